// Sparse autoencoders: a penalty keeps most code units quiet for any one row. Either an L1
// activity penalty on the code (Keras's example), or KL sparsity toward a target mean activation
// on a sigmoid code (Ng's formulation).

import { HourglassError } from '../engine/errors.js';
import { KLSparsity } from '../layers/kl_sparsity.js';
import { Autoencoder, type OutputActivation } from './autoencoder.js';
import { denseNetwork, type DenseNetworkOptions } from './base_networks.js';
import { SPARSE_DEFAULTS } from './defaults.js';

export type SparsitySpec = { l1: number } | { target: number; weight?: number };

export type SparseOptions = DenseNetworkOptions & {
  /** The penalty (default SPARSE_DEFAULTS.sparsity, an L1 weight of 1e-4). */
  sparsity?: SparsitySpec;
  outputActivation?: OutputActivation | 'auto';
};

export function sparseAutoencoder(o: SparseOptions = {}): Autoencoder {
  const { sparsity = SPARSE_DEFAULTS.sparsity, outputActivation, ...net } = o;
  let builder;
  if ('l1' in sparsity) {
    if (!(sparsity.l1 > 0 && Number.isFinite(sparsity.l1)))
      throw new HourglassError(`sparse autoencoder: l1 must be a positive number, got ${sparsity.l1}`);
    builder = denseNetwork(net, { codeOptions: { activityRegularizer: { l1: sparsity.l1 } } });
  } else {
    const penalty = () =>
      new KLSparsity({
        target: sparsity.target,
        weight: sparsity.weight ?? SPARSE_DEFAULTS.klWeight,
        name: 'code_sparsity',
      });
    penalty(); // checks target and weight now
    // KL sparsity compares mean activations with a probability: the code is a sigmoid.
    builder = denseNetwork({ ...net, codeActivation: net.codeActivation ?? 'sigmoid' }, { codePenalty: penalty });
  }
  return new Autoencoder({ kind: 'sparse', options: o, ...(outputActivation ? { outputActivation } : {}) }, builder);
}
