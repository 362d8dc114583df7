// The loss contract: which kernel sums the loss over a batch and writes the gradient of the
// mean loss. Mean over every output value, as Keras (per-sample mean, then batch mean) and PyTorch.

import { runLoss } from '../engine/threads.js';
import { LossKernel } from '../engine/worker_loop.js';

export interface Loss {
  readonly name: string;
  readonly kernel: LossKernel;
  /** Set where the loss can be fused with a sigmoid output and computed from its logits. */
  readonly logitsKernel?: LossKernel;
  readonly delta?: number;
  readonly config: object;
}

/** Summed loss over n values; writes d(mean)/d(prediction) into grad unless grad is 0. */
export function lossSum(loss: Loss, n: number, y: number, t: number, grad: number, invCount: number): number {
  return runLoss({ kind: loss.kernel, n, z: 0, y, t, grad, inv: invCount, delta: loss.delta ?? 0 });
}

/** The fused form on logits z of a sigmoid output: writes sigmoid(z) into y, the gradient w.r.t. z into grad. */
export function lossSumFromLogits(
  loss: Loss,
  n: number,
  z: number,
  y: number,
  t: number,
  grad: number,
  invCount: number,
): number {
  return runLoss({ kind: loss.logitsKernel!, n, z, y, t, grad, inv: invCount, delta: 0 });
}

export { LossKernel };
