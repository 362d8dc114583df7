// TensorFlow.js layers-model fixtures for the tfjs import (test/interop/tfjs.test.ts), built and
// run by @tensorflow/tfjs itself (run: node --import tsx tools/make_tfjs_fixtures.ts; writes
// test/fixtures/tfjs/<name>/).
//
// Each model gets seeded random weights (biases and batch-norm statistics too, which start at 0
// and 1 and would hide mistakes), is saved through tf.io.withSaveHandler and written exactly as
// tfjs-node's file:// handler writes a folder (model.json = modelTopology, format, generatedBy,
// convertedBy, weightsManifest [{paths: ['weights.bin'], weights: weightSpecs}], plus
// trainingConfig when compiled; weights.bin = the weight data), and records tfjs's own
// predictions on a seeded input in expected.json. Two variants mirror tensorflowjs_converter's
// output: weights cut into two shards mid-weight (group1-shard1of2.bin, ...), and weights
// quantized to uint8 (value = q * scale + min) or float16, whose predictions come from tfjs
// loading the quantized weights.

import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const OUT = new URL('../test/fixtures/tfjs/', import.meta.url).pathname;
const BATCH = 4;

/** A small seeded generator (mulberry32), so the fixtures do not change from run to run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomizeWeights(m: tf.LayersModel, seed: number): void {
  const r = random(seed);
  const values = m.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a! * b!, 1)!;
    const positive = w.name.includes('moving_variance');
    const data = Float32Array.from({ length: n }, () => (positive ? 0.5 + r() : (r() - 0.5) * 1.2));
    return tf.tensor(data, w.shape as number[]);
  });
  m.setWeights(values);
}

async function artifactsOf(m: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

/** model.json as tfjs-node's file:// handler writes it (getModelJSONForModelArtifacts). */
function modelJson(a: tf.io.ModelArtifacts, manifest: tf.io.WeightsManifestConfig): object {
  return {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: manifest,
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
  };
}

const bytesOf = (a: tf.io.ModelArtifacts): Uint8Array => new Uint8Array(a.weightData as ArrayBuffer);

function writeFolder(name: string, json: object, shards: Record<string, Uint8Array>, expected: object): void {
  const dir = path.join(OUT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  for (const [f, b] of Object.entries(shards)) fs.writeFileSync(path.join(dir, f), b);
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected));
  console.log(`${name}: ${Object.keys(shards).join(', ')}`);
}

function predictions(m: tf.LayersModel, seed: number) {
  const shape = [BATCH, ...(m.inputs[0]!.shape.slice(1) as number[])];
  const r = random(seed);
  const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
  const y = m.predict(tf.tensor(x, shape)) as tf.Tensor;
  return { inputShape: shape, input: Array.from(x), outputShape: y.shape, output: Array.from(y.dataSync()) };
}

async function save(name: string, m: tf.LayersModel, seed: number): Promise<tf.io.ModelArtifacts> {
  randomizeWeights(m, seed);
  const a = await artifactsOf(m);
  writeFolder(
    name,
    modelJson(a, [{ paths: ['weights.bin'], weights: a.weightSpecs! }]),
    { 'weights.bin': bytesOf(a) },
    predictions(m, seed + 1),
  );
  return a;
}

const sigmoidGates = { recurrentActivation: 'sigmoid' } as const; // tfjs defaults to hard_sigmoid

function denseAutoencoder(): tf.LayersModel {
  const m = tf.sequential({ name: 'dense_ae' });
  m.add(tf.layers.dense({ units: 6, activation: 'relu', inputShape: [9] }));
  m.add(tf.layers.dense({ units: 3, kernelRegularizer: tf.regularizers.l2({ l2: 0.001 }) }));
  m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  m.add(tf.layers.dense({ units: 6, activation: 'elu' }));
  m.add(tf.layers.dropout({ rate: 0.1 }));
  m.add(tf.layers.dense({ units: 9, activation: 'sigmoid' }));
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

function convAutoencoder(): tf.LayersModel {
  const x = tf.input({ shape: [8, 6, 2], name: 'image' });
  let t = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(x) as tf.SymbolicTensor;
  t = tf.layers.batchNormalization({ epsilon: 0.01 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.maxPooling2d({ poolSize: 2 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers
    .conv2d({ filters: 3, kernelSize: [3, 2], strides: 1, padding: 'same', activation: 'tanh' })
    .apply(t) as tf.SymbolicTensor;
  t = tf.layers.flatten().apply(t) as tf.SymbolicTensor;
  t = tf.layers.dense({ units: 5, activation: 'softplus' }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.dense({ units: 36 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.reshape({ targetShape: [4, 3, 3] }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.upSampling2d({ size: [2, 2] }).apply(t) as tf.SymbolicTensor;
  t = tf.layers
    .conv2dTranspose({ filters: 3, kernelSize: 3, strides: 1, padding: 'same', activation: 'elu' })
    .apply(t) as tf.SymbolicTensor;
  t = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 0],
        [0, 1],
      ],
    })
    .apply(t) as tf.SymbolicTensor;
  t = tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'valid' }).apply(t) as tf.SymbolicTensor;
  t = tf.layers
    .cropping2D({
      cropping: [
        [0, 0],
        [1, 0],
      ],
    })
    .apply(t) as tf.SymbolicTensor;
  const y = tf.layers
    .conv2d({ filters: 2, kernelSize: 1, activation: 'sigmoid', name: 'reconstruction' })
    .apply(t) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'conv_ae' });
}

function lstmAutoencoder(): tf.LayersModel {
  const m = tf.sequential({ name: 'lstm_ae' });
  m.add(tf.layers.lstm({ units: 5, inputShape: [7, 3], ...sigmoidGates }));
  m.add(tf.layers.repeatVector({ n: 7 }));
  m.add(tf.layers.lstm({ units: 4, returnSequences: true, goBackwards: true, ...sigmoidGates }));
  m.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }));
  return m;
}

function gruConv1d(): tf.LayersModel {
  const x = tf.input({ shape: [10, 2] });
  let t = tf.layers
    .conv1d({ filters: 4, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'relu' })
    .apply(x) as tf.SymbolicTensor;
  t = tf.layers.maxPooling1d({ poolSize: 2 }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.gru({ units: 4, returnSequences: true, ...sigmoidGates }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }).apply(t) as tf.SymbolicTensor;
  t = tf.layers.gru({ units: 3, goBackwards: true, ...sigmoidGates }).apply(t) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 2 }).apply(t) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'gru_conv1d' });
}

/** The converter's uint8 affine quantization of each weight: q = round((v - min) / scale). */
function quantizeUint8(a: tf.io.ModelArtifacts): { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array } {
  const all = new Float32Array(a.weightData as ArrayBuffer);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: number[] = [];
  let at = 0;
  for (const s of a.weightSpecs!) {
    const n = s.shape.reduce((x, y) => x * y, 1);
    const v = all.subarray(at, at + n);
    at += n;
    const min = Math.min(...v),
      max = Math.max(...v);
    const scale = max > min ? (max - min) / 255 : 1;
    chunks.push(...Array.from(v, (x) => Math.round((x - min) / scale)));
    specs.push({ ...s, quantization: { dtype: 'uint8', scale, min } });
  }
  return { specs, data: Uint8Array.from(chunks) };
}

/** float32 -> IEEE half bits (truncating the mantissa; what matters is that tfjs reads the same bits). */
function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const b = new Uint32Array(f.buffer)[0]!;
  const sign = (b >>> 16) & 0x8000,
    exp = ((b >>> 23) & 0xff) - 127 + 15,
    mant = (b >>> 13) & 0x3ff;
  if (exp <= 0) return sign; // the fixtures' weights are never this small
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | mant;
}

/** The converter's float16 quantization (--quantize_float16). */
function quantizeFloat16(a: tf.io.ModelArtifacts): { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array } {
  const all = new Float32Array(a.weightData as ArrayBuffer);
  const half = Uint16Array.from(all, toHalf);
  const specs = a.weightSpecs!.map((s) => ({ ...s, quantization: { dtype: 'float16' as const } }));
  return { specs, data: new Uint8Array(half.buffer) };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const dense = await save('dense_ae', denseAutoencoder(), 1);
  await save('conv_ae', convAutoencoder(), 2);
  const lstm = lstmAutoencoder();
  const lstmArtifacts = await save('lstm_ae', lstm, 3);
  const gruArtifacts = await save('gru_conv1d', gruConv1d(), 4);

  // lstm_ae as the converter shards it: two files, cut in the middle of a weight.
  const bytes = bytesOf(lstmArtifacts);
  const cut = Math.floor(bytes.length / 2) + 2;
  writeFolder(
    'lstm_ae_sharded',
    modelJson(lstmArtifacts, [
      { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: lstmArtifacts.weightSpecs! },
    ]),
    { 'group1-shard1of2.bin': bytes.slice(0, cut), 'group1-shard2of2.bin': bytes.slice(cut) },
    predictions(lstm, 4),
  );

  // dense_ae quantized to uint8; tfjs loads it (dequantizing) to give the expected values.
  const q = quantizeUint8(dense);
  const quantized = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: dense.modelTopology,
      weightSpecs: q.specs,
      weightData: q.data.buffer as ArrayBuffer,
    }),
  );
  writeFolder(
    'dense_ae_uint8',
    modelJson(dense, [{ paths: ['group1-shard1of1.bin'], weights: q.specs }]),
    { 'group1-shard1of1.bin': q.data },
    predictions(quantized, 2),
  );

  // gru_conv1d quantized to float16, likewise.
  const h = quantizeFloat16(gruArtifacts);
  const halfModel = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: gruArtifacts.modelTopology,
      weightSpecs: h.specs,
      weightData: h.data.buffer as ArrayBuffer,
    }),
  );
  writeFolder(
    'gru_conv1d_float16',
    modelJson(gruArtifacts, [{ paths: ['group1-shard1of1.bin'], weights: h.specs }]),
    { 'group1-shard1of1.bin': h.data },
    predictions(halfModel, 5),
  );
}

await main();
