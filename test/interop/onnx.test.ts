// ONNX export: every layer (on odd sizes, with random weights, biases and statistics) and every
// autoencoder preset, run by onnxruntime-node, equals Hourglass's predict within 1e-5.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../src/index.js';
import { HourglassError } from '../../src/engine/errors.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { parseTable } from '../../src/data/table.js';
import { exportOnnx } from '../../src/interop/onnx/export.js';
import { onnx } from '../../src/interop/onnx/proto.js';
import { layers } from '../../src/layers/index.js';
import { input } from '../../src/layers/input.js';
import type { Layer, Shape } from '../../src/layers/layer.js';
import { Model } from '../../src/model/model.js';
import { autoencoders } from '../../src/models/index.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { PREPROCESSING_KEY } from '../../src/apps/tabular.js';
import { assertAllClose, checkParity, randomizeWeights, runOnnx } from '../helpers/onnx_runtime.js';

function chain(shape: Shape, ...ls: Layer[]): Model {
  const x = input(shape);
  let t = x;
  for (const l of ls) t = l.apply(t);
  return new Model({ inputs: x, outputs: t });
}

async function parity(name: string, model: Model, options: Parameters<typeof checkParity>[3] = {}): Promise<void> {
  randomizeWeights(model, 11);
  await checkParity(model, exportOnnx(model), name, options);
}

const cases: [string, () => Model][] = [
  [
    'dense with every activation',
    () =>
      chain(
        [7],
        layers.dense(5, { activation: 'relu' }),
        layers.dense(6, { activation: { name: 'leakyRelu', alpha: 0.3 } }),
        layers.dense(5, { activation: 'elu' }),
        layers.dense(4, { activation: 'tanh' }),
        layers.dense(5, { activation: 'softplus' }),
        layers.dense(3, { activation: 'gelu' }),
        layers.dense(3, { activation: 'sigmoid', useBias: false }),
        layers.activation('gelu'),
        layers.activation('relu'),
      ),
  ],
  ['dense on a sequence (last axis)', () => chain([5, 3], layers.dense(4, { activation: 'tanh' }))],
  [
    'conv2d same stride 2, valid dilated, one filter',
    () =>
      chain(
        [9, 11, 3],
        layers.conv2d(4, { kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        layers.conv2d(5, { kernelSize: [2, 3], dilationRate: 2, padding: 'valid' }),
        layers.conv2d(1, { kernelSize: 2, padding: 'same', activation: 'sigmoid' }),
      ),
  ],
  [
    'conv2dTranspose same / valid / kernel below stride / dilated',
    () =>
      chain(
        [3, 5, 2],
        layers.conv2dTranspose(3, { kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
        layers.conv2dTranspose(2, { kernelSize: [3, 2], strides: [2, 1], padding: 'valid' }),
        layers.conv2dTranspose(2, { kernelSize: 1, strides: 2, padding: 'same' }),
        layers.conv2dTranspose(1, { kernelSize: 2, dilationRate: 2, padding: 'same' }),
      ),
  ],
  [
    'pooling, batch norm, global average',
    () =>
      chain(
        [11, 13, 3],
        layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.batchNormalization({ epsilon: 0.01 }),
        layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        layers.averagePooling2d({ poolSize: [2, 1], strides: 1 }),
        layers.maxPooling2d({ poolSize: [1, 2] }),
        layers.globalAveragePooling2d(),
        layers.batchNormalization(),
      ),
  ],
  [
    'upsampling nearest and bilinear, padding, cropping',
    () =>
      chain(
        [3, 5, 2],
        layers.upSampling2d({ size: [2, 3] }),
        layers.zeroPadding2d([
          [1, 2],
          [0, 3],
        ]),
        layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
        layers.cropping2d([
          [1, 0],
          [2, 1],
        ]),
        layers.conv2d(2, { kernelSize: 3 }),
        layers.zeroPadding2d(1),
      ),
  ],
  [
    'flatten and reshape around convolutions (channels-last order)',
    () =>
      chain(
        [5, 4, 3],
        layers.conv2d(2, { kernelSize: 2 }),
        layers.flatten(),
        layers.dense(30),
        layers.reshape([5, 3, 2]),
        layers.conv2dTranspose(3, { kernelSize: 2 }),
        layers.reshape([-1, 3]),
      ),
  ],
  [
    'global average pooling on channels-last input',
    () => chain([3, 5, 4], layers.globalAveragePooling2d(), layers.dense(2)),
  ],
  [
    'identity at inference: dropout and noise',
    () =>
      chain(
        [6],
        layers.gaussianNoise(0.5),
        layers.maskingNoise(0.3),
        layers.saltAndPepper(0.2),
        layers.dense(4, { activation: 'sigmoid' }),
        layers.dropout(0.5),
        layers.klSparsity(),
      ),
  ],
  [
    'conv1d same / causal dilated / valid, pooling, upsampling',
    () =>
      chain(
        [11, 3],
        layers.conv1d(4, { kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        layers.conv1d(3, { kernelSize: 2, dilationRate: 2, padding: 'causal' }),
        layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.upSampling1d({ size: 3 }),
        layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
        layers.conv1d(2, { kernelSize: 3, padding: 'valid' }),
        layers.batchNormalization(),
      ),
  ],
  [
    'conv1dTranspose, padding, cropping, global average',
    () =>
      chain(
        [5, 2],
        layers.conv1dTranspose(3, { kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
        layers.conv1dTranspose(2, { kernelSize: 2, strides: 3, padding: 'valid' }),
        layers.zeroPadding1d([2, 1]),
        layers.cropping1d([1, 3]),
        layers.conv1d(1, { kernelSize: 2 }),
        layers.globalAveragePooling1d(),
      ),
  ],
];

for (const [name, build] of cases) test(`onnx: ${name}`, () => parity(name, build()));

// The presets, built for odd shapes, with random weights.
async function presetParity(name: string, ae: Autoencoder, shape: Shape, out: 'sigmoid' | 'linear'): Promise<void> {
  ae.build(shape, out);
  randomizeWeights(ae.model, 5);
  await checkParity(ae.model, exportOnnx(ae), `${name} whole`);
  await checkParity(ae.encoder(), exportOnnx(ae, { part: 'encoder' }), `${name} encoder`);
  await checkParity(ae.decoder(), exportOnnx(ae, { part: 'decoder' }), `${name} decoder`);
}

test('onnx presets: dense, denoising, sparse, contractive, variational', async () => {
  await presetParity('dense', autoencoders.dense({ hidden: [9, 6], latent: 3 }), [13], 'sigmoid');
  await presetParity(
    'denoising',
    autoencoders.denoising({ hidden: [8], latent: 3, noise: { type: 'gaussian', stddev: 0.2 } }),
    [11],
    'sigmoid',
  );
  await presetParity('sparse', autoencoders.sparse({ hidden: [7], latent: 5 }), [9], 'linear');
  await presetParity('contractive', autoencoders.contractive({ hidden: [6], latent: 3 }), [7], 'linear');
  await presetParity('variational', autoencoders.variational({ hidden: [8], latent: 3 }), [10], 'sigmoid');
});

test('onnx presets: conv with pooling/upsampling and strided/transpose layouts', async () => {
  await presetParity(
    'conv pooling',
    autoencoders.conv({ filters: [4, 3], kernelSize: 3, downsampling: 'pooling', upsampling: 'upsampling' }),
    [12, 8, 1],
    'sigmoid',
  );
  await presetParity(
    'conv strided',
    autoencoders.conv({
      filters: [3, 4],
      kernelSize: 3,
      downsampling: 'strided',
      upsampling: 'transpose',
      codeChannels: 2,
    }),
    [8, 12, 3],
    'linear',
  );
  await presetParity(
    'conv denoising',
    autoencoders.denoising({ base: 'conv', filters: [3], kernelSize: 3, noise: { type: 'masking', rate: 0.3 } }),
    [6, 10, 2],
    'sigmoid',
  );
});

test('onnx: a conv network stays channels-first inside, with one Transpose at each end', () => {
  const ae = autoencoders.conv({ filters: [4, 3], kernelSize: 3, downsampling: 'pooling', upsampling: 'upsampling' });
  ae.build([12, 8, 1], 'sigmoid');
  const graph = onnx.ModelProto.decode(exportOnnx(ae)).graph!;
  const ops = graph.node!.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'Transpose').length, 2, ops.join(' '));
  assert.equal(ops[0], 'Transpose');
  assert.deepEqual(ops.slice(-2), ['Transpose', 'Identity']);
  const dims = graph.input![0]!.type!.tensorType!.shape!.dim!;
  assert.equal(dims[0]!.dimParam, 'batch');
  assert.deepEqual(
    dims.slice(1).map((d) => Number(d.dimValue)),
    [12, 8, 1],
  );
});

test('onnx: the tabular preprocessing folds in (raw columns in and out, missing cells filled)', async () => {
  const table = parseTable('a,b,c\n1,10,-3\n2,30,0.5\n4,20,7\n3,,1\n', 't.csv');
  const p = fitPreprocessing(table, 'standard', 't.csv');
  const ae = autoencoders.dense({ hidden: [5], latent: 2 });
  ae.build([3], 'linear');
  randomizeWeights(ae.model, 3);
  ae.extra[PREPROCESSING_KEY] = p;
  const prepared = transformTable(p, table, 't.csv');
  const raw = Float32Array.from([1, 10, -3, 2, 30, 0.5, 4, 20, 7, 3, NaN, 1]);
  const expectedScaled = ae.reconstruct({ data: prepared.x.data, shape: [4, 3] }).data;
  const cols = p.columns as { center: number; scale: number }[];
  const expected = expectedScaled.map((v, i) => v * cols[i % 3]!.scale + cols[i % 3]!.center);
  const got = await runOnnx(exportOnnx(ae, { foldPreprocessing: true }), raw, [4, 3]);
  assertAllClose(got.data as Float32Array, expected, 1e-5, 'folded whole');
  const codes = await runOnnx(exportOnnx(ae, { part: 'encoder', foldPreprocessing: true }), raw, [4, 3]);
  assertAllClose(
    codes.data as Float32Array,
    ae.encode({ data: prepared.x.data, shape: [4, 3] }).data,
    1e-5,
    'folded encoder',
  );
});

test('onnx: text columns cannot be folded, unknown layers and bad parts are refused by name', () => {
  const table = parseTable('a,colour\n1,red\n2,blue\n', 't.csv');
  const ae = autoencoders.dense({ hidden: [3], latent: 1 });
  ae.build([3], 'linear');
  ae.extra[PREPROCESSING_KEY] = fitPreprocessing(table, 'standard', 't.csv');
  assert.throws(
    () => exportOnnx(ae, { foldPreprocessing: true }),
    (e: Error) => e instanceof HourglassError && /'colour'/.test(e.message),
  );
  assert.throws(() => exportOnnx(ae.model, { part: 'encoder' }), HourglassError);
  assert.throws(() => exportOnnx(ae, { part: 'middle' as 'whole' }), /part must be/);
  const bare = autoencoders.dense({ hidden: [3], latent: 1 });
  bare.build([3], 'linear');
  assert.throws(() => exportOnnx(bare, { foldPreprocessing: true }), /no tabular preprocessing/);
});
