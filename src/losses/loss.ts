// The loss contract: a kernel that sums the loss over a batch and writes the gradient of the
// mean loss. Mean over every output value, as Keras (per-sample mean, then batch mean) and PyTorch.

import type { KernelExports } from '../engine/kernels.js';

export interface Loss {
  readonly name: string;
  /** Summed loss over n values; writes d(mean)/d(prediction) into grad unless grad is 0. */
  compute(k: KernelExports, n: number, y: number, t: number, grad: number, invCount: number): number;
  /** Fused form on logits of a sigmoid output: writes sigmoid(z) into y, gradient w.r.t. z. */
  computeFromLogits?(k: KernelExports, n: number, z: number, y: number, t: number, grad: number, invCount: number): number;
  readonly config: object;
}
