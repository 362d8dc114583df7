// The 1-D layers over sequences [batch, steps, features]: forward values and every gradient against
// PyTorch (tools/make_conv1d_fixtures.py, conv1d.json: 13 steps, 3 or 6 features, 5 filters;
// nn.Conv1d with stride, dilation, valid/same/causal; nn.ConvTranspose1d at Keras's output length),
// against finite differences (layer by layer, and a model's whole training loss), the reference
// executor against the wasm one, save/load, refusals of bad options, and the Keras timeseries
// anomaly-detection autoencoder training on windows of 288 steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { input, layers, loadModel, sequential, setSeed, tensor, type Model } from '../../src/index.js';
import { Conv1D } from '../../src/layers/conv1d.js';
import { Conv1DTranspose } from '../../src/layers/conv1d_transpose.js';
import { AveragePooling1D, MaxPooling1D } from '../../src/layers/pooling1d.js';
import { UpSampling1D } from '../../src/layers/up_sampling1d.js';
import { Cropping1D, ZeroPadding1D } from '../../src/layers/padding1d.js';
import { GlobalAveragePooling1D } from '../../src/layers/global_average_pooling1d.js';
import type { Layer } from '../../src/layers/layer.js';
import { randomArray } from '../helpers/engine.js';
import { compareExecutors } from '../helpers/executor_compare.js';
import { fixture } from '../helpers/fixtures.js';
import {
  checkAgainstFixture,
  checkGradientsOnRandom,
  fixtureWeights,
  type FixtureCase,
} from '../helpers/layer_cases.js';
import { checkModelGradients } from '../helpers/model_harness.js';

const { cases } = fixture<{ cases: FixtureCase[] }>('conv1d.json');

function make(c: FixtureCase): Layer {
  const o = c.options as Record<string, never>;
  const init = fixtureWeights(c);
  switch (c.layer) {
    case 'conv1d':
      return new Conv1D(o['filters']!, { kernelSize: o['kernelSize']!, ...o, ...init });
    case 'conv1dTranspose':
      return new Conv1DTranspose(o['filters']!, { kernelSize: o['kernelSize']!, ...o, ...init });
    case 'maxPooling1d':
      return new MaxPooling1D(o);
    case 'averagePooling1d':
      return new AveragePooling1D(o);
    case 'upSampling1d':
      return new UpSampling1D(o);
    case 'zeroPadding1d':
      return new ZeroPadding1D(o);
    case 'cropping1d':
      return new Cropping1D(o);
    case 'globalAveragePooling1d':
      return new GlobalAveragePooling1D();
    default:
      throw new Error(c.layer);
  }
}

test('the fixtures cover every 1-D layer, causal, dilation, strides and both transposed paddings', () => {
  const seen = new Set(cases.map((c) => c.layer));
  for (const name of [
    'conv1d',
    'conv1dTranspose',
    'maxPooling1d',
    'averagePooling1d',
    'upSampling1d',
    'zeroPadding1d',
    'cropping1d',
    'globalAveragePooling1d',
  ])
    assert.ok(seen.has(name), name);
  const conv = cases.filter((c) => c.layer === 'conv1d').map((c) => c.options);
  assert.ok(conv.some((o) => o['padding'] === 'causal' && o['dilationRate'] === 2));
  assert.ok(conv.some((o) => o['padding'] === 'causal' && (o['strides'] as number) > 1));
  const transposed = cases.filter((c) => c.layer === 'conv1dTranspose').map((c) => c.options);
  for (const padding of ['same', 'valid'])
    for (const strides of [1, 2])
      assert.ok(transposed.some((o) => o['padding'] === padding && o['strides'] === strides));
});

for (const c of cases) {
  test(`${c.layer} ${JSON.stringify(c.options)} on ${JSON.stringify(c.xShape)} matches PyTorch`, () => {
    const layer = make(c);
    checkAgainstFixture(layer, c);
    assert.deepEqual(layer.apply(input(c.xShape.slice(1))).shape, c.yShape.slice(1), 'output shape');
  });
}

// Smooth activations only: finite differences step over relu's kink and max-pooling near-ties.
const gradientCases: [string, () => Layer, number[], number?][] = [
  [
    'conv1d same, stride 2, even kernel',
    () => new Conv1D(5, { kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
    [13, 3],
  ],
  [
    'conv1d causal, dilation 2',
    () => new Conv1D(5, { kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'elu' }),
    [13, 3],
  ],
  [
    'conv1d causal, stride 3',
    () => new Conv1D(4, { kernelSize: 5, strides: 3, padding: 'causal', activation: 'sigmoid' }),
    [13, 3],
  ],
  ['conv1d valid, 6 features', () => new Conv1D(5, { kernelSize: 3, activation: 'gelu' }), [13, 6]],
  [
    'conv1d one filter, causal (direct kernels)',
    () => new Conv1D(1, { kernelSize: 3, padding: 'causal', activation: 'tanh' }),
    [13, 3],
  ],
  [
    'conv1dTranspose same, stride 2, kernel 7',
    () => new Conv1DTranspose(5, { kernelSize: 7, strides: 2, padding: 'same', activation: 'tanh' }),
    [7, 3],
  ],
  [
    'conv1dTranspose valid, stride 2, kernel 4',
    () => new Conv1DTranspose(5, { kernelSize: 4, strides: 2, activation: 'sigmoid' }),
    [6, 3],
  ],
  [
    'conv1dTranspose valid, kernel 1 shorter than stride 2',
    () => new Conv1DTranspose(3, { kernelSize: 1, strides: 2, activation: 'tanh' }),
    [7, 3],
  ],
  [
    'conv1dTranspose one filter, same',
    () => new Conv1DTranspose(1, { kernelSize: 7, padding: 'same', activation: 'linear' }),
    [7, 6],
  ],
  [
    'conv1d same, kernel longer than the input',
    () => new Conv1D(3, { kernelSize: 7, strides: 2, padding: 'same', activation: 'tanh' }),
    [4, 3],
  ],
  [
    'conv1dTranspose same, one step in',
    () => new Conv1DTranspose(2, { kernelSize: 5, strides: 3, padding: 'same', activation: 'tanh' }),
    [1, 4],
  ],
  ['maxPooling1d same, stride 2', () => new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }), [13, 6], 1e-4],
  ['averagePooling1d same', () => new AveragePooling1D({ poolSize: 4, strides: 1, padding: 'same' }), [13, 3]],
  ['averagePooling1d valid', () => new AveragePooling1D({ poolSize: 2 }), [13, 6]],
  ['upSampling1d', () => new UpSampling1D({ size: 3 }), [13, 3]],
  ['zeroPadding1d', () => new ZeroPadding1D({ padding: [2, 1] }), [13, 3]],
  ['cropping1d', () => new Cropping1D({ cropping: [1, 3] }), [13, 3]],
  ['globalAveragePooling1d', () => new GlobalAveragePooling1D(), [13, 6]],
];

for (const [name, makeLayer, shape, eps] of gradientCases) {
  test(`${name} gradients match finite differences`, () => checkGradientsOnRandom(makeLayer(), shape, 120, eps));
}

/** Every 1-D layer in one model: [13, 3] -> ... -> [6]. */
function allLayersModel(): Model {
  return sequential([
    input([13, 3]),
    layers.conv1d(5, { kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'tanh' }),
    layers.maxPooling1d({ poolSize: 2 }),
    layers.zeroPadding1d({ padding: [1, 2] }),
    layers.conv1d(4, { kernelSize: 4, strides: 2, padding: 'same', activation: 'elu', useBias: false }),
    layers.upSampling1d({ size: 3 }),
    layers.cropping1d({ cropping: [1, 1] }),
    layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
    layers.conv1dTranspose(3, {
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'sigmoid',
      kernelRegularizer: { l2: 1e-3 },
    }),
    layers.conv1d(1, { kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
    layers.conv1dTranspose(6, { kernelSize: 2, strides: 1, padding: 'valid' }),
    layers.globalAveragePooling1d(),
  ]);
}

test('a model of every 1-D layer agrees across the wasm and reference executors', () => {
  setSeed(12);
  const m = allLayersModel();
  assert.deepEqual(m.output.shape, [6]);
  m.compile({ loss: 'mse', optimizer: 'adam', seed: 3 });
  const rng = new Random(13);
  const report = compareExecutors(m, randomArray(4 * 13 * 3, rng), randomArray(4 * 6, rng), 4);
  assert.ok(Number.isFinite(report.loss[0]) && report.operations > 20, `${report.operations} operations`);
});

test("a 1-D model's training-loss gradients match finite differences of the whole loss", () => {
  setSeed(14);
  const m = sequential([
    input([9, 2]),
    layers.conv1d(3, { kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh' }),
    layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
    layers.conv1dTranspose(2, { kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    layers.cropping1d({ cropping: [0, 1] }),
    layers.conv1d(2, { kernelSize: 2, padding: 'same' }),
  ]);
  assert.deepEqual(m.output.shape, [9, 2]);
  m.compile({ loss: 'mse', optimizer: 'sgd', seed: 1 });
  const rng = new Random(15);
  const loss = checkModelGradients(m, randomArray(3 * 18, rng), randomArray(3 * 18, rng), 3);
  assert.ok(loss > 0);
});

test('the same through padding, max pooling, upsampling and global pooling', () => {
  setSeed(15);
  const m = sequential([
    input([8, 2]),
    layers.zeroPadding1d({ padding: [1, 0] }),
    layers.conv1d(3, { kernelSize: 2, activation: 'tanh' }),
    layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    layers.upSampling1d({ size: 2 }),
    layers.conv1d(4, { kernelSize: 3, strides: 2, padding: 'causal', activation: 'sigmoid' }),
    layers.globalAveragePooling1d(),
  ]);
  assert.deepEqual(m.output.shape, [4]);
  m.compile({ loss: 'mse', optimizer: 'sgd', seed: 1 });
  const rng = new Random(19);
  assert.ok(checkModelGradients(m, randomArray(3 * 16, rng), randomArray(3 * 4, rng), 3) > 0);
});

test('a model with every 1-D layer saves and loads with identical outputs and options', async () => {
  setSeed(16);
  const m = allLayersModel();
  m.compile({ loss: 'mse', optimizer: 'adam', seed: 4 });
  const x = tensor(randomArray(10 * 13 * 3, new Random(17)), [10, 13, 3]);
  const y = tensor(randomArray(10 * 6, new Random(18)), [10, 6]);
  await m.fit(x, y, { epochs: 1, batchSize: 5, verbose: false });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-conv1d-')), 'm');
  m.save(dir);
  const { model: loaded } = loadModel(dir);
  assert.deepEqual(
    loaded.layers.map((l) => [l.className, l.name, l.getOptions()]),
    m.layers.map((l) => [l.className, l.name, l.getOptions()]),
  );
  assert.deepEqual(Array.from(loaded.predict(x).data), Array.from(m.predict(x).data));
});

const refusals: [string, () => unknown, RegExp][] = [
  [
    'a kernel longer than the input with valid padding',
    () => layers.conv1d(2, { kernelSize: 7 }).apply(input([5, 1])),
    /input has 5 steps, fewer than the window \(7\) with padding 'valid'/,
  ],
  [
    'a dilated window longer than the input',
    () => layers.conv1d(2, { kernelSize: 3, dilationRate: 3 }).apply(input([6, 1])),
    /6 steps, fewer than the window \(7\)/,
  ],
  [
    'a pooling window longer than the input',
    () => layers.maxPooling1d({ poolSize: 4 }).apply(input([3, 2])),
    /3 steps, fewer than the window \(4\)/,
  ],
  [
    'causal padding on conv1dTranspose',
    () => layers.conv1dTranspose(2, { kernelSize: 3, padding: 'causal' as 'same' }),
    /padding must be 'valid' or 'same', got "causal" \(causal padding is for conv1d only\)/,
  ],
  ['causal padding on pooling', () => layers.averagePooling1d({ padding: 'causal' as 'same' }), /padding must be/],
  ['an unknown padding', () => layers.conv1d(2, { kernelSize: 3, padding: 'full' as 'same' }), /padding must be/],
  ['zero filters', () => layers.conv1d(0, { kernelSize: 3 }), /filters must be a positive integer, got 0/],
  ['negative filters', () => layers.conv1dTranspose(-2, { kernelSize: 3 }), /filters must be a positive integer/],
  ['a zero kernel', () => layers.conv1d(2, { kernelSize: 0 }), /kernelSize must be a positive integer, got 0/],
  ['a missing kernel size', () => layers.conv1d(2, {} as { kernelSize: number }), /kernelSize must be/],
  ['a 2-D kernel size', () => layers.conv1d(2, { kernelSize: [3, 3] as unknown as number }), /kernelSize must be/],
  ['a zero stride', () => layers.conv1d(2, { kernelSize: 3, strides: 0 }), /strides must be a positive integer/],
  ['a negative dilation', () => layers.conv1d(2, { kernelSize: 3, dilationRate: -1 }), /dilationRate must be/],
  [
    'strides with dilation',
    () => layers.conv1d(2, { kernelSize: 3, strides: 2, dilationRate: 2 }),
    /strides above 1 cannot be combined with dilationRate above 1/,
  ],
  ['a zero pool size', () => layers.maxPooling1d({ poolSize: 0 }), /poolSize must be a positive integer/],
  ['a fractional stride', () => layers.averagePooling1d({ strides: 1.5 }), /strides must be a positive integer/],
  ['a zero upsampling size', () => layers.upSampling1d({ size: 0 }), /size must be a positive integer/],
  ['negative padding', () => layers.zeroPadding1d({ padding: -1 }), /padding must be a non-negative integer/],
  ['three padding amounts', () => layers.zeroPadding1d([1, 2, 3] as unknown as number), /or \[left, right\]/],
  [
    'cropping everything',
    () => layers.cropping1d({ cropping: [2, 3] }).apply(input([5, 2])),
    /crops 5 steps to nothing/,
  ],
  [
    'an image input to conv1d',
    () => layers.conv1d(2, { kernelSize: 3 }).apply(input([28, 28, 1])),
    /expects sequences \[batch, steps, features\], got \[batch, 28, 28, 1\]/,
  ],
  [
    'a flat input to conv1dTranspose',
    () => layers.conv1dTranspose(2, { kernelSize: 3 }).apply(input([288])),
    /got \[batch, 288\] \(reshape to \[steps, 1\]/,
  ],
  [
    'an image input to globalAveragePooling1d',
    () => layers.globalAveragePooling1d().apply(input([4, 4, 1])),
    /expects sequences/,
  ],
];
for (const [what, run, message] of refusals) {
  test(`refuses ${what} with a clear HourglassError`, () => {
    assert.throws(run, (e: unknown) => e instanceof HourglassError && message.test(e.message));
  });
}

/** The Keras "timeseries anomaly detection" Conv1D autoencoder for windows of 288 steps. */
function timeseriesAutoencoder(): Model {
  return sequential([
    input([288, 1]),
    layers.conv1d(32, { kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }),
    layers.dropout(0.2),
    layers.conv1d(16, { kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }),
    layers.conv1dTranspose(16, { kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }),
    layers.dropout(0.2),
    layers.conv1dTranspose(32, { kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }),
    layers.conv1dTranspose(1, { kernelSize: 7, padding: 'same' }),
  ]);
}

test('the Keras timeseries Conv1D autoencoder on 288-step windows has its shapes and trains', async () => {
  setSeed(20);
  const m = timeseriesAutoencoder();
  assert.deepEqual(
    m.layers.map((l) => l.countParams()),
    [0, 7 * 32 + 32, 0, 7 * 32 * 16 + 16, 7 * 16 * 16 + 16, 0, 7 * 16 * 32 + 32, 7 * 32 + 1],
  );
  assert.deepEqual(m.output.shape, [288, 1]);
  // Noisy daily-cycle windows at random phases, as the Numenta series the Keras example uses.
  const rng = new Random(21);
  const windows = 96;
  const data = new Float32Array(windows * 288);
  for (let n = 0; n < windows; n++) {
    const phase = rng.uniform() * 2 * Math.PI;
    for (let t = 0; t < 288; t++) data[n * 288 + t] = Math.sin((2 * Math.PI * t) / 96 + phase) + 0.1 * rng.normal();
  }
  const x = tensor(data, [windows, 288, 1]);
  m.compile({ loss: 'mse', optimizer: { name: 'adam', learningRate: 0.001 }, seed: 22 });
  const h = await m.fit(x, x, { epochs: 6, batchSize: 16, verbose: false });
  const loss = h.history['loss']!;
  assert.ok(loss.at(-1)! < 0.5 * loss[0]!, `loss ${loss.map((v) => v.toFixed(4)).join(' -> ')}`);
  assert.deepEqual(m.predict(x).shape, [windows, 288, 1]);
});
