// Which op mapping exports each layer class (by className, as model.json names them). A layer
// missing here is refused by name.

import type { LayerMapper } from './mapper.js';
import { mapActivation } from './ops_activation.js';
import { mapConv1D, mapConv1DTranspose, mapConv2D, mapConv2DTranspose } from './ops_conv.js';
import { mapDense } from './ops_dense.js';
import { mapIdentity, mapSamplingMean } from './ops_identity.js';
import { mapBatchNormalization } from './ops_norm.js';
import { mapGlobalAveragePooling, mapPooling1D, mapPooling2D } from './ops_pooling.js';
import { mapGRU, mapLSTM, mapRepeatVector, mapTimeDistributed } from './ops_recurrent.js';
import { mapCropping, mapFlatten, mapReshape, mapUpSampling1D, mapUpSampling2D, mapZeroPadding } from './ops_shape.js';

export const ONNX_MAPPINGS: Readonly<Record<string, LayerMapper>> = {
  Dense: mapDense,
  Activation: mapActivation,
  Conv2D: mapConv2D,
  Conv2DTranspose: mapConv2DTranspose,
  Conv1D: mapConv1D,
  Conv1DTranspose: mapConv1DTranspose,
  MaxPooling2D: mapPooling2D,
  AveragePooling2D: mapPooling2D,
  MaxPooling1D: mapPooling1D,
  AveragePooling1D: mapPooling1D,
  GlobalAveragePooling2D: mapGlobalAveragePooling,
  GlobalAveragePooling1D: mapGlobalAveragePooling,
  UpSampling2D: mapUpSampling2D,
  UpSampling1D: mapUpSampling1D,
  BatchNormalization: mapBatchNormalization,
  Flatten: mapFlatten,
  Reshape: mapReshape,
  ZeroPadding2D: mapZeroPadding,
  ZeroPadding1D: mapZeroPadding,
  Cropping2D: mapCropping,
  Cropping1D: mapCropping,
  Dropout: mapIdentity,
  GaussianNoise: mapIdentity,
  MaskingNoise: mapIdentity,
  SaltAndPepper: mapIdentity,
  KLSparsity: mapIdentity,
  Sampling: mapSamplingMean,
  LSTM: mapLSTM,
  GRU: mapGRU,
  RepeatVector: mapRepeatVector,
  TimeDistributed: mapTimeDistributed,
};

/** The layers that export with one input only at inference (the others are not followed). */
export const FIRST_INPUT_ONLY = new Set(['Sampling']);
