// Contractive autoencoders (Rifai et al. 2011): the squared Frobenius norm of the code layer's
// Jacobian with respect to its input is added to the loss, so the code changes little when the
// input moves off the data. The paper's code is a sigmoid; here the code takes the hidden
// activation (relu) by default, since a sigmoid code sits on the predict-the-mean plateau for a
// long time on MNIST (in PyTorch as here); codeActivation: 'sigmoid' or 'tanh' gives the original.

import { Autoencoder, type OutputActivation } from './autoencoder.js';
import { denseNetwork, type DenseNetworkOptions } from './base_networks.js';
import { CONTRACTIVE_DEFAULTS } from './defaults.js';

export type ContractiveOptions = DenseNetworkOptions & {
  /** Weight of the Jacobian penalty (default CONTRACTIVE_DEFAULTS.weight, 0.01). */
  weight?: number;
  outputActivation?: OutputActivation | 'auto';
};

export function contractiveAutoencoder(o: ContractiveOptions = {}): Autoencoder {
  const { weight = CONTRACTIVE_DEFAULTS.weight, outputActivation, ...net } = o;
  const builder = denseNetwork(net, { codeOptions: { contractive: weight } });
  return new Autoencoder(
    { kind: 'contractive', options: o, ...(outputActivation ? { outputActivation } : {}) },
    builder,
  );
}
