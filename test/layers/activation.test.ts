// The Activation layer: every activation against the float64 reference formulas
// (src/engine/reference.ts; GELU's erf by series) and finite-difference gradients.

import { test } from 'node:test';
import { Activation } from '../../src/layers/activation.js';
import { resolveActivation, type ActivationName } from '../../src/layers/activations.js';
import { Random } from '../../src/engine/random.js';
import { activateRef } from '../../src/engine/reference.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';

const NAMES: ActivationName[] = ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softplus', 'gelu'];

for (const name of NAMES) {
  test(`activation ${name}: values and gradients`, () => {
    const rng = new Random(21);
    const x = randomArray(40, rng, 4);
    const r = runLayer(new Activation(name), [8], 5, x, new Float32Array(40));
    const a = resolveActivation(name, 'test');
    assertClose(
      r.y,
      Array.from(x, (v) => activateRef(v, a.code, a.alpha)),
      1e-5,
      1e-6,
      name,
    );
    checkGradients(new Activation(name), [8], 5, x, randomArray(40, rng));
  });
}

test('activation alpha options are honoured', () => {
  const x = Float32Array.from([-2, -1, 1, 2]);
  const r = runLayer(new Activation({ name: 'leakyRelu', alpha: 0.5 }), [4], 1, x, new Float32Array(4));
  assertClose(r.y, [-1, -0.5, 1, 2], 0, 1e-7, 'leakyRelu alpha 0.5');
});
