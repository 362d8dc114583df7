// Every layer's plan runs on the WebAssembly executor and on the reference executor (plain
// TypeScript kernels) and every buffer must agree after forward, backward and an optimizer step:
// each activation fused and apart, the loss-fused sigmoid, accumulating input gradients (a tensor
// with two consumers) and parameter gradients (a layer applied twice), masks and penalties.
// Reference values: src/engine/reference/ (written from the AssemblyScript kernels' definitions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, model, sequential, type Model } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import type { ActivationName } from '../../src/layers/activations.js';
import type { SymbolicTensor } from '../../src/layers/layer.js';
import { randomArray } from '../helpers/engine.js';
import { compareExecutors } from '../helpers/executor_compare.js';

const ACTIVATIONS: ActivationName[] = ['linear', 'relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softplus', 'gelu'];

function check(m: Model, batch: number, options: { unit?: boolean; mask?: boolean; seed?: number } = {}) {
  const rng = new Random(options.seed ?? 7);
  const inN = m.input.shape.reduce((a, b) => a * b, 1),
    outN = m.output.shape.reduce((a, b) => a * b, 1);
  const x = randomArray(batch * inN, rng);
  const t = randomArray(batch * outN, rng);
  // Targets in [0, 1] for cross-entropy.
  if (options.unit) for (let i = 0; i < t.length; i++) t[i] = 0.5 + 0.5 * t[i]!;
  const mask = options.mask ? Float32Array.from(t, (_, i) => (i % 3 === 0 ? 0 : 1)) : undefined;
  const report = compareExecutors(m, x, t, batch, mask ? { mask } : {});
  assert.ok(
    Number.isFinite(report.loss[0]) && report.operations > 3,
    `plan ran (${report.operations} operations, ${report.buffers} buffers)`,
  );
  return report;
}

for (const activation of ACTIVATIONS) {
  test(`dense with ${activation} (GEMM epilogue or apart) agrees across executors`, () => {
    const m = sequential([
      input([13]),
      layers.dense(11, { activation }),
      layers.dense(5, { activation }),
      layers.dense(13),
    ]);
    m.compile({ loss: 'mse', optimizer: 'adam', seed: 1 });
    check(m, 6);
  });
  test(`conv2d, one-filter conv and conv2dTranspose with ${activation} agree across executors`, () => {
    const m = sequential([
      input([7, 6, 3]),
      layers.conv2d(5, { kernelSize: [3, 2], padding: 'same', activation }),
      layers.conv2d(1, { kernelSize: 3, strides: 2, padding: 'same', activation }),
      layers.conv2dTranspose(6, { kernelSize: 3, strides: 2, padding: 'same', activation }),
      layers.conv2d(2, { kernelSize: 2, dilationRate: 2, activation }),
    ]);
    m.compile({ loss: 'mse', optimizer: 'sgd', seed: 2 });
    check(m, 3);
  });
}

test('sigmoid output fused into binary cross-entropy (dense, conv, one-filter conv, activation layer)', () => {
  const dense = sequential([
    input([9]),
    layers.dense(4, { activation: 'relu' }),
    layers.dense(9, { activation: 'sigmoid' }),
  ]);
  const conv = sequential([
    input([6, 5, 2]),
    layers.conv2d(3, { kernelSize: 3, padding: 'same', activation: 'elu' }),
    layers.conv2d(1, { kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ]);
  const transposed = sequential([
    input([3, 3, 2]),
    layers.conv2dTranspose(2, { kernelSize: 3, strides: 2, activation: 'sigmoid' }),
  ]);
  const standalone = sequential([input([9]), layers.dense(9), layers.activation('sigmoid')]);
  for (const m of [dense, conv, transposed, standalone]) {
    m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
    const plan = m.planForTraining(4);
    assert.ok(plan.logits, 'the planner fused the sigmoid into the loss');
    check(m, 4, { unit: true });
  }
});

test('a tensor with two consumers accumulates its gradient (VAE code: mean and log-variance heads, sampling)', () => {
  const x = input([8]);
  const h = layers.dense(6, { activation: 'tanh' }).apply(x);
  const mean = layers.dense(3).apply(h),
    logVar = layers.dense(3).apply(h);
  const z = layers.sampling({ klWeight: 0.5 }).apply([mean, logVar]);
  const m = model({ inputs: x, outputs: layers.dense(8, { activation: 'sigmoid' }).apply(z) });
  m.compile({ loss: 'bce', optimizer: 'rmsprop', seed: 4 });
  check(m, 5, { unit: true });
});

test('a layer applied twice accumulates its parameter gradients', () => {
  const x = input([6]);
  const shared = layers.dense(6, { activation: 'elu', kernelRegularizer: { l2: 0.01 } });
  const y: SymbolicTensor = shared.apply(shared.apply(x));
  const m = model({ inputs: x, outputs: layers.dense(6).apply(y) });
  m.compile({
    loss: 'mae',
    optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, clipNorm: 0.5 },
    seed: 5,
  });
  check(m, 4);
});

test('pooling, upsampling, padding, cropping, batch norm, reshape and global pooling agree across executors', () => {
  const m = sequential([
    input([9, 8, 3]),
    layers.conv2d(6, { kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.batchNormalization(),
    layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }),
    layers.cropping2d([
      [1, 2],
      [0, 3],
    ]),
    layers.zeroPadding2d([
      [1, 0],
      [2, 1],
    ]),
    layers.upSampling2d({ size: 2 }),
    layers.maxPooling2d(),
    layers.flatten(),
    layers.reshape([-1, 6]),
    layers.dense(5, { activation: 'softplus' }),
  ]);
  m.compile({
    loss: { name: 'huber', delta: 0.5 },
    optimizer: { name: 'adamw', globalClipNorm: 1, clipValue: 0.05 },
    seed: 6,
  });
  check(m, 3);
  const g = sequential([
    input([5, 4, 6]),
    layers.conv2d(5, { kernelSize: 2, activation: 'gelu' }),
    layers.globalAveragePooling2d(),
    layers.dense(3),
  ]);
  g.compile({ loss: 'mse', seed: 7 });
  check(g, 3);
});

test('noise layers, dropout, sparsity, activity and contractive penalties agree across executors (same draws)', () => {
  const m = sequential([
    input([10]),
    layers.gaussianNoise(0.3, { clip: [-0.8, 0.8] }),
    layers.maskingNoise(0.2),
    layers.saltAndPepper(0.1),
    layers.dense(7, { activation: 'sigmoid', activityRegularizer: { l1: 0.01, l2: 0.02 } }),
    layers.klSparsity({ target: 0.1, weight: 0.5 }),
    layers.dropout(0.25),
    layers.dense(4, { activation: 'tanh', contractive: 0.05 }),
    layers.gaussianNoise(0.1),
    layers.dense(10),
  ]);
  m.compile({ loss: 'mse', optimizer: 'adam', seed: 8 });
  check(m, 6);
});

test('masked targets agree across executors', () => {
  const m = sequential([
    input([7]),
    layers.dense(3, { activation: 'relu' }),
    layers.dense(7, { activation: 'sigmoid' }),
  ]);
  m.compile({ loss: 'bce', seed: 9 });
  check(m, 5, { unit: true, mask: true });
});
