// The `autoencoders` namespace: one factory per member of the family, and load().

import { Autoencoder, type AutoencoderKind, type OutputActivation } from './autoencoder.js';
import { convNetwork, denseNetwork, type ConvNetworkOptions, type DenseNetworkOptions } from './base_networks.js';
import { contractiveAutoencoder, type ContractiveOptions } from './contractive_autoencoder.js';
import { denoisingAutoencoder, type DenoisingOptions, type NoiseSpec } from './denoising_autoencoder.js';
import { sparseAutoencoder, type SparseOptions, type SparsitySpec } from './sparse_autoencoder.js';
import {
  variationalAutoencoder,
  VariationalAutoencoder,
  type Elbo,
  type VariationalOptions,
} from './variational_autoencoder.js';
import {
  sequenceAutoencoder,
  SequenceVariationalAutoencoder,
  type SequenceArch,
  type SequenceOptions,
} from './sequence_autoencoder.js';
import { KINDS, loadAutoencoder, loadAutoencoderFromFiles, loadAutoencoderFromZip } from './kinds.js';

type WithOutput<T> = T & { outputActivation?: OutputActivation | 'auto' };

export const autoencoders = {
  /** Dense (deep when hidden has several sizes) autoencoder. */
  dense: (o: WithOutput<DenseNetworkOptions> = {}) => {
    const { outputActivation, ...net } = o;
    return new Autoencoder(
      { kind: 'dense', options: o, ...(outputActivation ? { outputActivation } : {}) },
      denseNetwork(net),
    );
  },
  /** Convolutional autoencoder for images [height, width, channels]. */
  conv: (o: WithOutput<ConvNetworkOptions> = {}) => {
    const { outputActivation, ...net } = o;
    return new Autoencoder(
      { kind: 'conv', options: o, ...(outputActivation ? { outputActivation } : {}) },
      convNetwork(net),
    );
  },
  denoising: denoisingAutoencoder,
  sparse: sparseAutoencoder,
  contractive: contractiveAutoencoder,
  variational: variationalAutoencoder,
  /** Conv1D (Keras's time-series example), LSTM or GRU autoencoder of series windows [window, features]. */
  sequence: sequenceAutoencoder,
  load: loadAutoencoder,
  loadZip: loadAutoencoderFromZip,
};

export {
  Autoencoder,
  VariationalAutoencoder,
  SequenceVariationalAutoencoder,
  loadAutoencoder,
  loadAutoencoderFromFiles,
  loadAutoencoderFromZip,
  KINDS,
};
export {
  CONTRACTIVE_DEFAULTS,
  CONV_DEFAULTS,
  DENSE_DEFAULTS,
  SEQUENCE_DEFAULTS,
  SPARSE_DEFAULTS,
  VARIATIONAL_DEFAULTS,
  TRAINING_DEFAULTS,
  codeSize,
  denseSizes,
  variationalSizes,
  trainingBudget,
  type NetworkSizes,
  type TrainingBudget,
} from './defaults.js';
export type {
  AutoencoderKind,
  ConvNetworkOptions,
  DenseNetworkOptions,
  ContractiveOptions,
  DenoisingOptions,
  NoiseSpec,
  SparseOptions,
  SparsitySpec,
  VariationalOptions,
  Elbo,
  OutputActivation,
  SequenceArch,
  SequenceOptions,
};
export type { AutoencoderFitOptions, AutoencoderRecord } from './autoencoder.js';
