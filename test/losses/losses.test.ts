// Loss kernels: values and gradients against PyTorch (tools/make_fixtures.py, losses.json),
// and against finite differences.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from '../../src/engine/kernels.js';
import { arena, bufFrom } from '../../src/engine/memory.js';
import { Random } from '../../src/engine/random.js';
import { lossSum, resolveLoss } from '../../src/losses/index.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

interface LossCase {
  loss: string;
  delta?: number;
  y: number[];
  z?: number[];
  t: number[];
  value: number;
  grad: number[];
}
const { cases } = fixture<{ cases: LossCase[] }>('losses.json');

function evalLoss(name: string, delta: number | undefined, y: Float32Array, t: Float32Array) {
  const loss = name === 'huber' ? resolveLoss({ name: 'huber', delta: delta ?? 1 }) : resolveLoss(name as 'mse');
  const Y = bufFrom(y),
    T = bufFrom(t),
    G = arena.alloc(y.length);
  const n = y.length;
  const value = lossSum(loss, n, Y.ptr, T.ptr, G.ptr, 1 / n) / n;
  const grad = G.view().slice();
  for (const b of [Y, T, G]) arena.release(b);
  return { value, grad };
}

for (const c of cases) {
  test(`${c.loss}${c.delta ? ` (delta ${c.delta})` : ''} matches PyTorch`, () => {
    const t = Float32Array.from(c.t);
    if (c.loss === 'binaryCrossentropyLogits') {
      const k = getEngine().kernels;
      const Z = bufFrom(c.z!),
        Y = arena.alloc(t.length),
        T = bufFrom(t),
        G = arena.alloc(t.length);
      const value = k.binaryCrossentropyLogits(t.length, Z.ptr, Y.ptr, T.ptr, G.ptr, 1 / t.length) / t.length;
      assert.ok(Math.abs(value - c.value) < 1e-5 * Math.abs(c.value) + 1e-6, `value ${value} vs ${c.value}`);
      assertClose(G.view(), c.grad, 1e-4, 1e-7, 'grad');
      assertClose(Y.view(), c.y, 1e-5, 1e-7, 'sigmoid output');
      return;
    }
    const { value, grad } = evalLoss(c.loss, c.delta, Float32Array.from(c.y), t);
    assert.ok(Math.abs(value - c.value) < 1e-5 * Math.abs(c.value) + 1e-6, `value ${value} vs ${c.value}`);
    assertClose(grad, c.grad, 1e-4, 1e-7, 'grad');
  });
}

for (const name of ['mse', 'mae', 'huber', 'binaryCrossentropy']) {
  test(`${name} gradient matches finite differences`, () => {
    const rng = new Random(31);
    const n = 24;
    const isBce = name === 'binaryCrossentropy';
    const y = isBce ? Float32Array.from(randomArray(n, rng), (v) => 0.5 + 0.4 * v) : randomArray(n, rng, 2);
    const t = isBce ? Float32Array.from(randomArray(n, rng), (v) => 0.5 + 0.5 * v) : randomArray(n, rng, 2);
    const { grad } = evalLoss(name, 1, y, t);
    const eps = 1e-3;
    const numeric = Array.from(y, (_, i) => {
      const p = y.slice();
      p[i] = y[i]! + eps;
      const m = y.slice();
      m[i] = y[i]! - eps;
      return (evalLoss(name, 1, p, t).value - evalLoss(name, 1, m, t).value) / (2 * eps);
    });
    assertClose(grad, numeric, 2e-2, 2e-4, `${name} finite differences`);
  });
}
