// Denoising autoencoders (Vincent et al. 2008): the input is corrupted in training only and the
// network learns to rebuild the clean row. Gaussian noise (optionally clipped to the data's range),
// masking noise, or salt-and-pepper, in front of a dense or convolutional network.

import { HourglassError } from '../engine/errors.js';
import { MaskingNoise, SaltAndPepper } from '../layers/corruption.js';
import { GaussianNoise } from '../layers/gaussian_noise.js';
import type { Layer } from '../layers/layer.js';
import { Autoencoder, type OutputActivation } from './autoencoder.js';
import { convNetwork, denseNetwork, type ConvNetworkOptions, type DenseNetworkOptions } from './base_networks.js';

export type NoiseSpec =
  | { type: 'gaussian'; stddev: number; clip?: [number, number] }
  | { type: 'masking'; rate: number }
  | { type: 'saltAndPepper'; rate: number; low?: number; high?: number };

export type DenoisingOptions = (
  ({ base?: 'dense' } & DenseNetworkOptions) | ({ base: 'conv' } & ConvNetworkOptions)
) & {
  noise: NoiseSpec;
  outputActivation?: OutputActivation | 'auto';
};

export function noiseLayer(n: NoiseSpec): Layer {
  switch (n.type) {
    case 'gaussian':
      return new GaussianNoise(n.stddev, { name: 'corruption', ...(n.clip ? { clip: n.clip } : {}) });
    case 'masking':
      return new MaskingNoise(n.rate, { name: 'corruption' });
    case 'saltAndPepper':
      return new SaltAndPepper(n.rate, {
        name: 'corruption',
        ...(n.low !== undefined ? { low: n.low } : {}),
        ...(n.high !== undefined ? { high: n.high } : {}),
      });
    default:
      throw new HourglassError(
        `unknown noise type '${(n as { type: string }).type}' (gaussian, masking, saltAndPepper)`,
      );
  }
}

export function denoisingAutoencoder(o: DenoisingOptions): Autoencoder {
  const { noise, outputActivation, ...net } = o;
  noiseLayer(noise); // checks the options now rather than at the first fit
  // Gaussian noise on data in [0, 1] stays there when the output is a sigmoid.
  const corruption = () =>
    noiseLayer(
      noise.type === 'gaussian' && !noise.clip && ae.outputActivation === 'sigmoid'
        ? { ...noise, clip: [0, 1] }
        : noise,
    );
  const builder =
    net.base === 'conv'
      ? // The pooled map stays the code here unless a dense one is asked for: rebuilding a clean
        // image needs the map's local detail (bench/conv_code: MNIST, Gaussian 0.5, output MSE
        // 0.0436 with the map, 0.0480 with a dense 32-value code; masking 0.3, 0.0313 and 0.0364).
        convNetwork({ ...net, latent: net.latent ?? false }, { inputCorruption: corruption })
      : denseNetwork(net, { inputCorruption: corruption });
  const ae: Autoencoder = new Autoencoder(
    { kind: 'denoising', options: o, ...(outputActivation ? { outputActivation } : {}) },
    builder,
  );
  return ae;
}
