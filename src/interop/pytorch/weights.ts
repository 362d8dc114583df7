// Hourglass parameters <-> PyTorch state_dict entries: names and layouts.
//   dense            kernel [in, units]            -> Linear.weight [units, in]
//   conv2d           kernel [kh, kw, in, filters]  -> Conv2d.weight [filters, in, kh, kw]
//   conv2dTranspose  kernel [kh, kw, filters, in]  -> ConvTranspose2d.weight [in, filters, kh, kw]
//   conv1d           kernel [k, in, filters]       -> Conv1d.weight [filters, in, k]
//   conv1dTranspose  kernel [k, filters, in]       -> ConvTranspose1d.weight [in, filters, k]
//   bias                                           -> .bias
//   batchNormalization gamma, beta, moving_mean, moving_variance
//                                                  -> .weight, .bias, .running_mean, .running_var
//   lstm, gru: see recurrent_weights.ts (gate blocks reordered, a bias split in two).
// Most links are one tensor with its axes permuted; a recurrent bias becomes two tensors.

import type { Layer } from '../../layers/layer.js';
import { permutedLink, type WeightLink } from './links.js';
import { recurrentLinks } from './recurrent_weights.js';

export { inversePerm, type WeightLink } from './links.js';

const KERNEL_PERMS: Record<string, number[]> = {
  Dense: [1, 0],
  TimeDistributed: [1, 0],
  Conv2D: [3, 2, 0, 1],
  Conv2DTranspose: [3, 2, 0, 1],
  Conv1D: [2, 1, 0],
  Conv1DTranspose: [2, 1, 0],
};

const BN_NAMES: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

export function weightLinks(layer: Layer, attribute: string): WeightLink[] {
  const recurrent = recurrentLinks(layer, attribute);
  if (recurrent) return recurrent;
  return layer.params.map((param) => {
    if (layer.className === 'BatchNormalization')
      return permutedLink(param, `${attribute}.${BN_NAMES[param.name]!}`, null);
    if (param.name === 'kernel') return permutedLink(param, `${attribute}.weight`, KERNEL_PERMS[layer.className]!);
    return permutedLink(param, `${attribute}.${param.name}`, null);
  });
}
