// The layer chains the ONNX export is checked on (Node's onnxruntime and onnxruntime-web in
// Chromium): every layer, on odd sizes, in the combinations that move layouts around.

import { layers } from '../../src/layers/index.js';
import { input } from '../../src/layers/input.js';
import type { Layer, Shape } from '../../src/layers/layer.js';
import { Model } from '../../src/model/model.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { autoencoders } from '../../src/models/index.js';

export function chain(shape: Shape, ...ls: Layer[]): Model {
  const x = input(shape);
  let t = x;
  for (const l of ls) t = l.apply(t);
  return new Model({ inputs: x, outputs: t });
}

export const ONNX_LAYER_CASES: [string, () => Model][] = [
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
  [
    'lstm: last state, sequences, goBackwards, relu / linear, no bias, after conv1d (channels-first)',
    () =>
      chain(
        [7, 3],
        layers.conv1d(4, { kernelSize: 2, padding: 'same' }),
        layers.lstm(5, { returnSequences: true }),
        layers.lstm(4, { returnSequences: true, goBackwards: true, activation: 'relu' }),
        layers.lstm(3, { returnSequences: true, activation: 'linear', recurrentActivation: 'tanh', useBias: false }),
        layers.lstm(2, { goBackwards: true, activation: 'softplus' }),
      ),
  ],
  [
    'gru: resetAfter true / false, sequences, goBackwards, last state',
    () =>
      chain(
        [6, 2],
        layers.gru(5, { returnSequences: true }),
        layers.gru(4, { returnSequences: true, resetAfter: false, goBackwards: true }),
        layers.gru(3, { returnSequences: true, goBackwards: true, activation: 'relu', recurrentActivation: 'tanh' }),
        layers.gru(4, { returnSequences: true, resetAfter: false, activation: 'linear', useBias: false }),
        layers.gru(3, { goBackwards: true }),
      ),
  ],
  [
    'repeatVector and timeDistributed(dense) around recurrent layers',
    () =>
      chain(
        [5, 3],
        layers.gru(4, { resetAfter: false, goBackwards: true }),
        layers.repeatVector(6),
        layers.lstm(3, { returnSequences: true, goBackwards: true }),
        layers.timeDistributed(layers.dense(2, { activation: 'sigmoid' })),
      ),
  ],
];

export interface PresetCase {
  name: string;
  build: () => Autoencoder;
  shape: Shape;
  output: 'sigmoid' | 'linear';
}

/** Every preset, on odd shapes; conv in both layouts (pooling/upsampling and strided/transpose). */
export const ONNX_PRESET_CASES: PresetCase[] = [
  { name: 'dense', build: () => autoencoders.dense({ hidden: [9, 6], latent: 3 }), shape: [13], output: 'sigmoid' },
  {
    name: 'denoising',
    build: () => autoencoders.denoising({ hidden: [8], latent: 3, noise: { type: 'gaussian', stddev: 0.2 } }),
    shape: [11],
    output: 'sigmoid',
  },
  { name: 'sparse', build: () => autoencoders.sparse({ hidden: [7], latent: 5 }), shape: [9], output: 'linear' },
  {
    name: 'contractive',
    build: () => autoencoders.contractive({ hidden: [6], latent: 3 }),
    shape: [7],
    output: 'linear',
  },
  {
    name: 'variational',
    build: () => autoencoders.variational({ hidden: [8], latent: 3 }),
    shape: [10],
    output: 'sigmoid',
  },
  {
    name: 'conv pooling',
    build: () =>
      autoencoders.conv({ filters: [4, 3], kernelSize: 3, downsampling: 'pooling', upsampling: 'upsampling' }),
    shape: [12, 8, 1],
    output: 'sigmoid',
  },
  {
    name: 'conv pooling, dense decoder',
    build: () => autoencoders.conv({ filters: [4, 3], kernelSize: 3, decoder: 'dense', decoderHidden: [6, 10] }),
    shape: [12, 8, 1],
    output: 'sigmoid',
  },
  {
    name: 'conv pooling, wider conv decoder',
    build: () => autoencoders.conv({ filters: [4, 3], kernelSize: 3, decoderChannels: 5 }),
    shape: [12, 8, 1],
    output: 'sigmoid',
  },
  {
    name: 'conv strided',
    build: () =>
      autoencoders.conv({
        filters: [3, 4],
        kernelSize: 3,
        downsampling: 'strided',
        upsampling: 'transpose',
        codeChannels: 2,
      }),
    shape: [8, 12, 3],
    output: 'linear',
  },
  {
    name: 'conv denoising',
    build: () =>
      autoencoders.denoising({ base: 'conv', filters: [3], kernelSize: 3, noise: { type: 'masking', rate: 0.3 } }),
    shape: [6, 10, 2],
    output: 'sigmoid',
  },
  {
    name: 'sequence lstm',
    build: () => autoencoders.sequence({ window: 7, features: 2, arch: 'lstm', units: 5 }),
    shape: [7, 2],
    output: 'linear',
  },
  {
    name: 'sequence gru',
    build: () => autoencoders.sequence({ window: 6, features: 3, arch: 'gru', units: 4 }),
    shape: [6, 3],
    output: 'sigmoid',
  },
  {
    name: 'sequence conv1d',
    build: () => autoencoders.sequence({ window: 10, features: 2, arch: 'conv1d', filters: [4, 3], kernelSize: 3 }),
    shape: [10, 2],
    output: 'linear',
  },
];
