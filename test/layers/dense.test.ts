// Dense with every activation: forward and gradients against PyTorch (tools/make_fixtures.py,
// dense.json) and against finite differences.

import { test } from 'node:test';
import { Dense } from '../../src/layers/dense.js';
import type { ActivationName } from '../../src/layers/activations.js';
import { Random } from '../../src/engine/random.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';

interface DenseCase {
  activation: ActivationName;
  x: number[];
  xShape: [number, number];
  kernel: number[];
  bias: number[];
  upstream: number[];
  y: number[];
  dx: number[];
  dKernel: number[];
  dBias: number[];
}
const { cases } = fixture<{ cases: DenseCase[] }>('dense.json');

for (const c of cases) {
  test(`dense ${c.activation} matches PyTorch`, () => {
    const layer = new Dense(3, {
      activation: c.activation,
      kernelInitializer: { values: c.kernel },
      biasInitializer: { values: c.bias },
    });
    const r = runLayer(layer, [7], 5, Float32Array.from(c.x), Float32Array.from(c.upstream));
    assertClose(r.y, c.y, 1e-5, 1e-6, 'y');
    assertClose(r.dx, c.dx, 1e-4, 1e-5, 'dx');
    assertClose(r.paramGrads[0]!, c.dKernel, 1e-4, 1e-5, 'dKernel');
    assertClose(r.paramGrads[1]!, c.dBias, 1e-4, 1e-5, 'dBias');
  });

  test(`dense ${c.activation} gradients match finite differences`, () => {
    const rng = new Random(3);
    const layer = new Dense(4, { activation: c.activation });
    checkGradients(layer, [6], 3, randomArray(18, rng), randomArray(12, rng));
  });
}

test('dense applies to the last axis of a rank-2 input', () => {
  const rng = new Random(4);
  checkGradients(new Dense(3, { activation: 'tanh' }), [2, 5], 2, randomArray(20, rng), randomArray(12, rng));
});
