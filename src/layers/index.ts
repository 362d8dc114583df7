// The `layers` namespace users build models from, Keras-style: layers.dense(10, {...}).apply(x).

import { Activation } from './activation.js';
import type { ActivationSpec } from './activations.js';
import { BatchNormalization, type BatchNormalizationOptions } from './batch_normalization.js';
import { Dense, type DenseOptions } from './dense.js';
import { Dropout } from './dropout.js';
import { GaussianNoise } from './gaussian_noise.js';
import type { LayerOptions } from './layer.js';

export const layers = {
  dense: (units: number, options: DenseOptions = {}) => new Dense(units, options),
  activation: (activation: ActivationSpec, options: LayerOptions = {}) => new Activation(activation, options),
  dropout: (rate: number, options: LayerOptions = {}) => new Dropout(rate, options),
  gaussianNoise: (stddev: number, options: LayerOptions = {}) => new GaussianNoise(stddev, options),
  batchNormalization: (options: BatchNormalizationOptions = {}) => new BatchNormalization(options),
};

export { Activation, BatchNormalization, Dense, Dropout, GaussianNoise };
export type { ActivationSpec, BatchNormalizationOptions, DenseOptions, LayerOptions };
