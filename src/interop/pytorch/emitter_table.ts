// Which code writer exports each layer class to PyTorch. A layer missing here is refused by name.

import type { PyEmitter } from './emitter.js';
import { emitConv1D, emitConv1DTranspose, emitConv2D, emitConv2DTranspose } from './py_conv.js';
import { emitActivation, emitDense } from './py_dense.js';
import {
  emitBatchNormalization,
  emitDropout,
  emitGaussianNoise,
  emitKLSparsity,
  emitMaskingNoise,
  emitSaltAndPepper,
  emitSampling,
} from './py_misc.js';
import { emitRecurrent, emitRepeatVector, emitTimeDistributed } from './py_recurrent.js';
import { emitGlobalAveragePooling, emitPooling1D, emitPooling2D } from './py_pooling.js';
import {
  emitCropping,
  emitFlatten,
  emitReshape,
  emitUpSampling1D,
  emitUpSampling2D,
  emitZeroPadding,
} from './py_shape.js';

export const PYTORCH_EMITTERS: Readonly<Record<string, PyEmitter>> = {
  Dense: emitDense,
  Activation: emitActivation,
  Conv2D: emitConv2D,
  Conv2DTranspose: emitConv2DTranspose,
  Conv1D: emitConv1D,
  Conv1DTranspose: emitConv1DTranspose,
  MaxPooling2D: emitPooling2D,
  AveragePooling2D: emitPooling2D,
  MaxPooling1D: emitPooling1D,
  AveragePooling1D: emitPooling1D,
  GlobalAveragePooling2D: emitGlobalAveragePooling,
  GlobalAveragePooling1D: emitGlobalAveragePooling,
  UpSampling2D: emitUpSampling2D,
  UpSampling1D: emitUpSampling1D,
  BatchNormalization: emitBatchNormalization,
  Flatten: emitFlatten,
  Reshape: emitReshape,
  ZeroPadding2D: emitZeroPadding,
  ZeroPadding1D: emitZeroPadding,
  Cropping2D: emitCropping,
  Cropping1D: emitCropping,
  Dropout: emitDropout,
  GaussianNoise: emitGaussianNoise,
  MaskingNoise: emitMaskingNoise,
  SaltAndPepper: emitSaltAndPepper,
  KLSparsity: emitKLSparsity,
  Sampling: emitSampling,
  LSTM: emitRecurrent,
  GRU: emitRecurrent,
  RepeatVector: emitRepeatVector,
  TimeDistributed: emitTimeDistributed,
};
