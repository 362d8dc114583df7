// Hourglass parameters <-> PyTorch state_dict entries: names and layouts.
//   dense            kernel [in, units]            -> Linear.weight [units, in]
//   conv2d           kernel [kh, kw, in, filters]  -> Conv2d.weight [filters, in, kh, kw]
//   conv2dTranspose  kernel [kh, kw, filters, in]  -> ConvTranspose2d.weight [in, filters, kh, kw]
//   conv1d           kernel [k, in, filters]       -> Conv1d.weight [filters, in, k]
//   conv1dTranspose  kernel [k, filters, in]       -> ConvTranspose1d.weight [in, filters, k]
//   bias                                           -> .bias
//   batchNormalization gamma, beta, moving_mean, moving_variance
//                                                  -> .weight, .bias, .running_mean, .running_var

import type { Layer, Param } from '../../layers/layer.js';

export interface WeightLink {
  param: Param;
  torchName: string;
  /** Torch axis i is Hourglass axis perm[i] (null: the same layout). */
  perm: number[] | null;
}

const KERNEL_PERMS: Record<string, number[]> = {
  Dense: [1, 0],
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
  return layer.params.map((param) => {
    if (layer.className === 'BatchNormalization')
      return { param, torchName: `${attribute}.${BN_NAMES[param.name]!}`, perm: null };
    if (param.name === 'kernel')
      return { param, torchName: `${attribute}.weight`, perm: KERNEL_PERMS[layer.className]! };
    return { param, torchName: `${attribute}.${param.name}`, perm: null };
  });
}

export function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return inv;
}
