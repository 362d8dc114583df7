// L1/L2 weight and activity penalties: value and gradient against PyTorch (regularizers.json),
// and the whole training loss of a model with penalties against finite differences.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from '../../src/engine/kernels.js';
import { arena, bufFrom } from '../../src/engine/memory.js';
import { Random } from '../../src/engine/random.js';
import { input, layers, model } from '../../src/index.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { checkModelGradients } from '../helpers/model_harness.js';

const f = fixture<{ w: number[]; l1: number; l2: number; value: number; grad: number[] }>('regularizers.json');

test('l1l2 penalty and gradient match PyTorch', () => {
  const k = getEngine().kernels;
  const W = bufFrom(f.w),
    G = arena.alloc(f.w.length);
  const value = k.regularize(f.w.length, W.ptr, G.ptr, f.l1, f.l2);
  assert.ok(Math.abs(value - f.value) < 1e-5, `value ${value} vs ${f.value}`);
  assertClose(G.view(), f.grad, 1e-5, 1e-7, 'grad');
  arena.release(W);
  arena.release(G);
});

test('training loss with weight and activity penalties has finite-difference gradients', () => {
  const rng = new Random(41);
  const x = input([5]);
  const h = layers
    .dense(4, {
      activation: 'tanh',
      kernelRegularizer: { l1: 0.01, l2: 0.02 },
      activityRegularizer: { l1: 0.03, l2: 0.01 },
    })
    .apply(x);
  const y = layers.dense(5, { biasRegularizer: { l2: 0.05 } }).apply(h);
  const m = model({ inputs: x, outputs: y });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const xs = randomArray(15, rng),
    ts = randomArray(15, rng);
  const loss = checkModelGradients(m, xs, ts, 3);
  // evaluate() reports the same penalised loss as the training step (no dropout here).
  const ev = m.evaluate({ data: xs, shape: [3, 5] }, { data: ts, shape: [3, 5] });
  assert.ok(Math.abs(ev['loss']! - loss) < 1e-5, 'evaluate includes the penalties');
});
