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
import type { Shape } from '../../src/layers/layer.js';
import { type Model } from '../../src/model/model.js';
import { autoencoders } from '../../src/models/index.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { PREPROCESSING_KEY } from '../../src/apps/tabular.js';
import { ONNX_LAYER_CASES, ONNX_PRESET_CASES } from '../helpers/onnx_cases.js';
import { assertAllClose, checkParity, randomizeWeights, runOnnx } from '../helpers/onnx_runtime.js';

async function parity(name: string, model: Model, options: Parameters<typeof checkParity>[3] = {}): Promise<void> {
  randomizeWeights(model, 11);
  await checkParity(model, exportOnnx(model), name, options);
}

for (const [name, build] of ONNX_LAYER_CASES) test(`onnx: ${name}`, () => parity(name, build()));

// The presets, built for odd shapes, with random weights.
async function presetParity(name: string, ae: Autoencoder, shape: Shape, out: 'sigmoid' | 'linear'): Promise<void> {
  ae.build(shape, out);
  randomizeWeights(ae.model, 5);
  await checkParity(ae.model, exportOnnx(ae), `${name} whole`);
  await checkParity(ae.encoder(), exportOnnx(ae, { part: 'encoder' }), `${name} encoder`);
  await checkParity(ae.decoder(), exportOnnx(ae, { part: 'decoder' }), `${name} decoder`);
}

test('onnx presets: dense, denoising, sparse, contractive, variational, conv (both layouts), conv denoising, sequence (lstm, gru, conv1d)', async () => {
  for (const c of ONNX_PRESET_CASES) await presetParity(c.name, c.build(), c.shape, c.output);
});

test('onnx: a conv network stays channels-first inside, with one Transpose at each end (none after a dense decoder)', () => {
  const conv = { filters: [4, 3], kernelSize: 3, downsampling: 'pooling' as const, upsampling: 'upsampling' as const };
  // The pooled map as the code: convolutions only.
  const ae = autoencoders.conv({ ...conv, latent: false });
  ae.build([12, 8, 1], 'sigmoid');
  const graph = onnx.ModelProto.decode(exportOnnx(ae)).graph!;
  const ops = graph.node!.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'Transpose').length, 2, ops.join(' '));
  assert.equal(ops[0], 'Transpose');
  assert.deepEqual(ops.slice(-2), ['Transpose', 'Identity']);
  // A dense code with the conv decoder adds one pair, around the dense part only (flattened
  // channels-last, as Keras orders it): Transpose Flatten ... Reshape Transpose.
  const dense = autoencoders.conv({ ...conv, decoder: 'conv' });
  dense.build([12, 8, 1], 'sigmoid');
  const denseOps = onnx.ModelProto.decode(exportOnnx(dense)).graph!.node!.map((n) => n.opType);
  const transposes = denseOps.flatMap((o, i) => (o === 'Transpose' ? [i] : []));
  assert.equal(transposes.length, 4, denseOps.join(' '));
  assert.equal(denseOps[transposes[1]! + 1], 'Flatten', denseOps.join(' '));
  assert.equal(denseOps[transposes[2]! - 1], 'Reshape', denseOps.join(' '));
  // The dense decoder writes every pixel channels-last already: no Transpose after the code.
  const pixels = autoencoders.conv({ ...conv, decoder: 'dense' });
  pixels.build([12, 8, 1], 'sigmoid');
  const pixelOps = onnx.ModelProto.decode(exportOnnx(pixels)).graph!.node!.map((n) => n.opType);
  assert.equal(pixelOps.filter((o) => o === 'Transpose').length, 2, pixelOps.join(' '));
  assert.deepEqual(pixelOps.slice(-3), ['Reshape', 'Sigmoid', 'Identity'], pixelOps.join(' '));
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
