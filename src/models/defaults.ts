// The defaults of every member of the family, in one place: the factories in this folder apply
// them and the command line prints them in --help and leaves an unset flag to them, so
// `autoencoders.variational()` and `hourglass train --kind variational` build the same network.

/** Dense autoencoders (and the denoising, sparse and contractive ones built on them). */
export const DENSE_DEFAULTS = {
  hidden: [128, 64],
  latent: 32,
  activation: 'relu',
} as const;

/** Convolutional autoencoders; the filters and hidden activation depend on the layout. */
export const CONV_DEFAULTS = {
  downsampling: 'pooling',
  filters: { pooling: [16, 8, 8], strided: [32, 64, 128] },
  activation: { pooling: 'relu', strided: 'elu' },
  kernelSize: 3,
  codeChannels: 8,
  upsampling: 'upsampling',
} as const;

/**
 * Sparse autoencoders: an L1 activity penalty unless a KL target is given; a KL penalty without
 * a weight gets klWeight. (Denoising has no default noise: the kind of corruption is the choice
 * that makes it a denoising autoencoder, so it is always given.)
 */
export const SPARSE_DEFAULTS = {
  sparsity: { l1: 1e-4 },
  klWeight: 1,
} as const;

/** Contractive autoencoders: the weight of the code layer's Jacobian penalty. */
export const CONTRACTIVE_DEFAULTS = {
  weight: 0.01,
} as const;

/** Variational autoencoders: Kingma and Welling's MNIST network (784-400-20). */
export const VARIATIONAL_DEFAULTS = {
  hidden: [400],
  latent: 20,
  activation: 'relu',
  beta: 1,
  sigma: 1,
} as const;

/**
 * Sequence autoencoders of series windows: Keras's time-series example (conv1d 32 and 16 filters,
 * kernel 7, dropout 0.2); recurrent encoder-decoders with 64 units.
 */
export const SEQUENCE_DEFAULTS = {
  arch: 'conv1d',
  filters: [32, 16],
  kernelSize: 7,
  dropout: 0.2,
  units: 64,
} as const;
