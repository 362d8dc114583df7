// The `layers` namespace users build models from, Keras-style: layers.dense(10, {...}).apply(x).

import { Activation } from './activation.js';
import type { ActivationSpec } from './activations.js';
import { BatchNormalization, type BatchNormalizationOptions } from './batch_normalization.js';
import { Dense, type DenseOptions } from './dense.js';
import { Dropout } from './dropout.js';
import { GaussianNoise, type GaussianNoiseOptions } from './gaussian_noise.js';
import { MaskingNoise, SaltAndPepper, type SaltAndPepperOptions } from './corruption.js';
import { Sampling, type SamplingOptions } from './sampling.js';
import { KLSparsity, type KLSparsityOptions } from './kl_sparsity.js';
import type { LayerOptions } from './layer.js';
import { Conv2D, type Conv2DOptions } from './conv2d.js';
import { Conv2DTranspose, type Conv2DTransposeOptions } from './conv2d_transpose.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DOptions } from './pooling2d.js';
import { UpSampling2D, type UpSampling2DOptions } from './up_sampling2d.js';
import { Flatten, Reshape } from './reshape.js';
import { Cropping2D, ZeroPadding2D, type Amounts } from './padding2d.js';
import { GlobalAveragePooling2D } from './global_average_pooling2d.js';
import { Conv1D, type Conv1DOptions } from './conv1d.js';
import { Conv1DTranspose, type Conv1DTransposeOptions } from './conv1d_transpose.js';
import { AveragePooling1D, MaxPooling1D, type Pooling1DOptions } from './pooling1d.js';
import { UpSampling1D, type UpSampling1DOptions } from './up_sampling1d.js';
import {
  Cropping1D,
  ZeroPadding1D,
  type Amounts1D,
  type Cropping1DOptions,
  type ZeroPadding1DOptions,
} from './padding1d.js';
import { GlobalAveragePooling1D } from './global_average_pooling1d.js';
import { LSTM, type LSTMOptions } from './lstm.js';
import { GRU, type GRUOptions } from './gru.js';
import { RepeatVector } from './repeat_vector.js';
import { TimeDistributed } from './time_distributed.js';
import type { Layer } from './layer.js';

export const layers = {
  dense: (units: number, options: DenseOptions = {}) => new Dense(units, options),
  activation: (activation: ActivationSpec, options: LayerOptions = {}) => new Activation(activation, options),
  dropout: (rate: number, options: LayerOptions = {}) => new Dropout(rate, options),
  gaussianNoise: (stddev: number, options: GaussianNoiseOptions = {}) => new GaussianNoise(stddev, options),
  maskingNoise: (rate: number, options: LayerOptions = {}) => new MaskingNoise(rate, options),
  saltAndPepper: (rate: number, options: SaltAndPepperOptions = {}) => new SaltAndPepper(rate, options),
  sampling: (options: SamplingOptions = {}) => new Sampling(options),
  klSparsity: (options: KLSparsityOptions = {}) => new KLSparsity(options),
  batchNormalization: (options: BatchNormalizationOptions = {}) => new BatchNormalization(options),
  conv2d: (filters: number, options: Conv2DOptions) => new Conv2D(filters, options),
  conv2dTranspose: (filters: number, options: Conv2DTransposeOptions) => new Conv2DTranspose(filters, options),
  maxPooling2d: (options: Pooling2DOptions = {}) => new MaxPooling2D(options),
  averagePooling2d: (options: Pooling2DOptions = {}) => new AveragePooling2D(options),
  upSampling2d: (options: UpSampling2DOptions = {}) => new UpSampling2D(options),
  flatten: (options: LayerOptions = {}) => new Flatten(options),
  reshape: (targetShape: number[], options: LayerOptions = {}) => new Reshape(targetShape, options),
  zeroPadding2d: (padding: Amounts = 1, options: LayerOptions = {}) => new ZeroPadding2D(padding, options),
  cropping2d: (cropping: Amounts = 0, options: LayerOptions = {}) => new Cropping2D(cropping, options),
  globalAveragePooling2d: (options: LayerOptions = {}) => new GlobalAveragePooling2D(options),
  conv1d: (filters: number, options: Conv1DOptions) => new Conv1D(filters, options),
  conv1dTranspose: (filters: number, options: Conv1DTransposeOptions) => new Conv1DTranspose(filters, options),
  maxPooling1d: (options: Pooling1DOptions = {}) => new MaxPooling1D(options),
  averagePooling1d: (options: Pooling1DOptions = {}) => new AveragePooling1D(options),
  upSampling1d: (options: UpSampling1DOptions = {}) => new UpSampling1D(options),
  zeroPadding1d: (options: ZeroPadding1DOptions | Amounts1D = {}) => new ZeroPadding1D(options),
  cropping1d: (options: Cropping1DOptions | Amounts1D = {}) => new Cropping1D(options),
  globalAveragePooling1d: (options: LayerOptions = {}) => new GlobalAveragePooling1D(options),
  lstm: (units: number, options: LSTMOptions = {}) => new LSTM(units, options),
  gru: (units: number, options: GRUOptions = {}) => new GRU(units, options),
  repeatVector: (n: number, options: LayerOptions = {}) => new RepeatVector(n, options),
  timeDistributed: (layer: Layer, options: LayerOptions = {}) => new TimeDistributed(layer, options),
};

export {
  Activation,
  BatchNormalization,
  Dense,
  Dropout,
  GaussianNoise,
  MaskingNoise,
  SaltAndPepper,
  Sampling,
  KLSparsity,
  Conv2D,
  Conv2DTranspose,
  MaxPooling2D,
  AveragePooling2D,
  UpSampling2D,
  Flatten,
  Reshape,
  ZeroPadding2D,
  Cropping2D,
  GlobalAveragePooling2D,
  Conv1D,
  Conv1DTranspose,
  MaxPooling1D,
  AveragePooling1D,
  UpSampling1D,
  ZeroPadding1D,
  Cropping1D,
  GlobalAveragePooling1D,
  LSTM,
  GRU,
  RepeatVector,
  TimeDistributed,
};
export type { LSTMOptions, GRUOptions };
export type { Conv2DOptions, Conv2DTransposeOptions, Pooling2DOptions, UpSampling2DOptions, Amounts };
export type {
  Conv1DOptions,
  Conv1DTransposeOptions,
  Pooling1DOptions,
  UpSampling1DOptions,
  ZeroPadding1DOptions,
  Cropping1DOptions,
  Amounts1D,
};
export type {
  ActivationSpec,
  BatchNormalizationOptions,
  DenseOptions,
  LayerOptions,
  GaussianNoiseOptions,
  SaltAndPepperOptions,
  SamplingOptions,
  KLSparsityOptions,
};
