// Recreating layers from the options saved in model.json: one explicit case per layer class.

import { jsonPreview } from '../engine/json_preview.js';
import { HourglassError } from '../engine/errors.js';
import { Activation } from '../layers/activation.js';
import type { ActivationSpec } from '../layers/activations.js';
import { BatchNormalization, type BatchNormalizationOptions } from '../layers/batch_normalization.js';
import { Dense, type DenseOptions } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GaussianNoise } from '../layers/gaussian_noise.js';
import type { Layer } from '../layers/layer.js';
import { MaskingNoise, SaltAndPepper } from '../layers/corruption.js';
import { Sampling } from '../layers/sampling.js';
import { KLSparsity } from '../layers/kl_sparsity.js';
import { Conv2D, type Conv2DOptions } from '../layers/conv2d.js';
import { Conv2DTranspose, type Conv2DTransposeOptions } from '../layers/conv2d_transpose.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DOptions } from '../layers/pooling2d.js';
import { UpSampling2D, type UpSampling2DOptions } from '../layers/up_sampling2d.js';
import { Flatten, Reshape } from '../layers/reshape.js';
import { Cropping2D, ZeroPadding2D, type Amounts } from '../layers/padding2d.js';
import { GlobalAveragePooling2D } from '../layers/global_average_pooling2d.js';
import type { Pair } from '../layers/conv_geometry.js';
import { Conv1D, type Conv1DOptions } from '../layers/conv1d.js';
import { Conv1DTranspose, type Conv1DTransposeOptions } from '../layers/conv1d_transpose.js';
import { AveragePooling1D, MaxPooling1D, type Pooling1DOptions } from '../layers/pooling1d.js';
import { UpSampling1D, type UpSampling1DOptions } from '../layers/up_sampling1d.js';
import { Cropping1D, ZeroPadding1D, type Amounts1D } from '../layers/padding1d.js';
import { GlobalAveragePooling1D } from '../layers/global_average_pooling1d.js';
import type { Single } from '../layers/sequence_geometry.js';
import { LSTM, type LSTMOptions } from '../layers/lstm.js';
import { GRU, type GRUOptions } from '../layers/gru.js';
import { RepeatVector } from '../layers/repeat_vector.js';
import { TimeDistributed } from '../layers/time_distributed.js';

export interface LayerConfig {
  className: string;
  name: string;
  options: Record<string, unknown>;
}

function num(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number')
    throw new HourglassError(`${where}: option '${key}' should be a number, got ${jsonPreview(v)}`);
  return v;
}

export function layerFromConfig(c: LayerConfig, where: string): Layer {
  const o = c.options ?? {};
  const name = c.name;
  switch (c.className) {
    case 'Dense':
      return new Dense(num(o, 'units', where), { ...(o as DenseOptions), name });
    case 'Activation':
      return new Activation(o['activation'] as ActivationSpec, { name });
    case 'Dropout':
      return new Dropout(num(o, 'rate', where), { name });
    case 'GaussianNoise':
      return new GaussianNoise(num(o, 'stddev', where), {
        ...(o['clip'] ? { clip: o['clip'] as [number, number] } : {}),
        name,
      });
    case 'MaskingNoise':
      return new MaskingNoise(num(o, 'rate', where), { name });
    case 'SaltAndPepper':
      return new SaltAndPepper(num(o, 'rate', where), { low: num(o, 'low', where), high: num(o, 'high', where), name });
    case 'Sampling':
      return new Sampling({ klWeight: num(o, 'klWeight', where), name });
    case 'KLSparsity':
      return new KLSparsity({ target: num(o, 'target', where), weight: num(o, 'weight', where), name });
    case 'BatchNormalization':
      return new BatchNormalization({ ...(o as BatchNormalizationOptions), name });
    case 'Conv2D':
      return new Conv2D(num(o, 'filters', where), {
        ...(o as Omit<Conv2DOptions, 'kernelSize'>),
        kernelSize: o['kernelSize'] as Pair,
        name,
      });
    case 'Conv2DTranspose':
      return new Conv2DTranspose(num(o, 'filters', where), {
        ...(o as Omit<Conv2DTransposeOptions, 'kernelSize'>),
        kernelSize: o['kernelSize'] as Pair,
        name,
      });
    case 'MaxPooling2D':
      return new MaxPooling2D({ ...(o as Pooling2DOptions), name });
    case 'AveragePooling2D':
      return new AveragePooling2D({ ...(o as Pooling2DOptions), name });
    case 'UpSampling2D':
      return new UpSampling2D({ ...(o as UpSampling2DOptions), name });
    case 'Flatten':
      return new Flatten({ name });
    case 'Reshape':
      return new Reshape(o['targetShape'] as number[], { name });
    case 'ZeroPadding2D':
      return new ZeroPadding2D(o['amounts'] as Amounts, { name });
    case 'Cropping2D':
      return new Cropping2D(o['amounts'] as Amounts, { name });
    case 'GlobalAveragePooling2D':
      return new GlobalAveragePooling2D({ name });
    case 'Conv1D':
      return new Conv1D(num(o, 'filters', where), {
        ...(o as Omit<Conv1DOptions, 'kernelSize'>),
        kernelSize: o['kernelSize'] as Single,
        name,
      });
    case 'Conv1DTranspose':
      return new Conv1DTranspose(num(o, 'filters', where), {
        ...(o as Omit<Conv1DTransposeOptions, 'kernelSize'>),
        kernelSize: o['kernelSize'] as Single,
        name,
      });
    case 'MaxPooling1D':
      return new MaxPooling1D({ ...(o as Pooling1DOptions), name });
    case 'AveragePooling1D':
      return new AveragePooling1D({ ...(o as Pooling1DOptions), name });
    case 'UpSampling1D':
      return new UpSampling1D({ ...(o as UpSampling1DOptions), name });
    case 'ZeroPadding1D':
      return new ZeroPadding1D({ padding: o['padding'] as Amounts1D, name });
    case 'Cropping1D':
      return new Cropping1D({ cropping: o['cropping'] as Amounts1D, name });
    case 'GlobalAveragePooling1D':
      return new GlobalAveragePooling1D({ name });
    case 'LSTM':
      return new LSTM(num(o, 'units', where), { ...(o as LSTMOptions), name });
    case 'GRU':
      return new GRU(num(o, 'units', where), { ...(o as GRUOptions), name });
    case 'RepeatVector':
      return new RepeatVector(num(o, 'n', where), { name });
    case 'TimeDistributed': {
      const inner = o['layer'] as LayerConfig | undefined;
      if (typeof inner?.className !== 'string' || typeof inner.name !== 'string')
        throw new HourglassError(`${where}: option 'layer' should describe the wrapped layer`);
      return new TimeDistributed(layerFromConfig(inner, `${where} (wrapped layer)`), { name });
    }
    default:
      throw new HourglassError(`${where}: unknown layer class '${c.className}'`);
  }
}
