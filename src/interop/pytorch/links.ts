// One Hourglass parameter's way to and from PyTorch state_dict entries (weights.ts says which
// mapping each layer's parameters take).

import type { Param } from '../../layers/layer.js';
import { permute } from '../onnx/mapper.js';

export interface TorchPart {
  name: string;
  shape: number[];
}

export interface WeightLink {
  param: Param;
  /** The state_dict entries this parameter is written as (one for most). */
  parts: TorchPart[];
  toTorch(data: Float32Array): Float32Array[];
  fromTorch(parts: Float32Array[]): Float32Array;
  /** When the mapping is one tensor with its axes permuted: torch axis i is Hourglass axis perm[i]. */
  perm: number[] | null;
  /** Otherwise, what the mapping does (for hourglass.json). */
  transform?: string;
}

export function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return inv;
}

/** One tensor, its axes permuted (or not). */
export function permutedLink(param: Param, torchName: string, perm: number[] | null): WeightLink {
  const shape = perm ? perm.map((a) => param.shape[a]!) : param.shape;
  return {
    param,
    parts: [{ name: torchName, shape }],
    toTorch: (data) => [perm ? permute(data, param.shape, perm).data : data],
    fromTorch: ([data]) => (perm ? permute(data!, shape, inversePerm(perm)).data : data!),
    perm,
  };
}
