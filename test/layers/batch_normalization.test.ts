// Batch normalization: training forward/backward and moving statistics against PyTorch
// (tools/make_fixtures.py, batch_normalization.json), inference mode, finite differences.

import { test } from 'node:test';
import { BatchNormalization } from '../../src/layers/batch_normalization.js';
import { Random } from '../../src/engine/random.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';

interface BNCase {
  x: number[];
  gamma: number[];
  beta: number[];
  epsilon: number;
  momentum: number;
  upstream: number[];
  y: number[];
  dx: number[];
  dGamma: number[];
  dBeta: number[];
  movingMean0: number[];
  movingVar0: number[];
  movingMean1: number[];
  movingVar1: number[];
  xInference: number[];
  yInference: number[];
}
const c = fixture<BNCase>('batch_normalization.json');

test('batchNormalization training step matches PyTorch', () => {
  const l = new BatchNormalization({ epsilon: c.epsilon, momentum: c.momentum });
  const x = Float32Array.from(c.x),
    up = Float32Array.from(c.upstream);
  runLayer(l, [4], 6, x, up); // builds the parameters
  l.gamma.value.view().set(c.gamma);
  l.beta.value.view().set(c.beta);
  l.movingMean.value.view().set(c.movingMean0);
  l.movingVariance.value.view().set(c.movingVar0);
  const r = runLayer(l, [4], 6, x, up);
  assertClose(r.y, c.y, 1e-5, 1e-5, 'y');
  assertClose(r.dx, c.dx, 1e-4, 1e-5, 'dx');
  assertClose(r.paramGrads[0]!, c.dGamma, 1e-4, 1e-5, 'dGamma');
  assertClose(r.paramGrads[1]!, c.dBeta, 1e-4, 1e-5, 'dBeta');
  assertClose(l.movingMean.value.view(), c.movingMean1, 1e-5, 1e-6, 'moving mean');
  assertClose(l.movingVariance.value.view(), c.movingVar1, 1e-5, 1e-6, 'moving variance');
});

test('batchNormalization inference uses the moving statistics (PyTorch eval mode)', () => {
  const l = new BatchNormalization({ epsilon: c.epsilon });
  runLayer(l, [4], 3, new Float32Array(12), new Float32Array(12), { training: false });
  l.gamma.value.view().set(c.gamma);
  l.beta.value.view().set(c.beta);
  l.movingMean.value.view().set(c.movingMean0);
  l.movingVariance.value.view().set(c.movingVar0);
  const r = runLayer(l, [4], 3, Float32Array.from(c.xInference), new Float32Array(12), { training: false });
  assertClose(r.y, c.yInference, 1e-5, 1e-5, 'inference y');
});

test('batchNormalization gradients match finite differences', () => {
  const rng = new Random(11);
  const l = new BatchNormalization();
  runLayer(l, [3], 5, randomArray(15, rng), randomArray(15, rng));
  l.gamma.value.view().set([0.5, 1.5, -0.7]);
  checkGradients(l, [3], 5, randomArray(15, rng, 2), randomArray(15, rng), { eps: 1e-2 });
});
