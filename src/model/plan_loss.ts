// The loss part of a plan: the target mask (missing targets add no error) and the loss itself,
// from the output or, where the planner fused the output sigmoid into it, from the logits.

import type { Buf } from '../engine/memory.js';
import { hostOp, type LossOp, type Op } from '../engine/operation.js';
import type { Loss } from '../losses/loss.js';

export interface LossSite {
  loss: Loss;
  /** Output values per sample. */
  batchValues: number;
  output: Buf;
  target: Buf;
  /** The output layer's pre-activation when its sigmoid is fused into the loss. */
  logits: Buf | null;
  /** Where the gradient of the mean loss goes (null: no gradient). */
  grad: Buf | null;
}

/** The mean loss over the batch's values, a term of the training loss. */
export function lossOp(site: LossSite): LossOp {
  const fused = site.logits !== null;
  return {
    kind: 'loss',
    loss: fused ? site.loss.logitsKernel! : site.loss.kernel,
    n: { perSample: site.batchValues },
    z: site.logits,
    y: site.output,
    t: site.target,
    grad: site.grad,
    delta: site.loss.delta ?? 0,
    lossTerm: true,
  };
}

export function planLoss(site: LossSite & { mask: Buf | null }): Op[] {
  const ops: Op[] = [];
  const { mask, target: t, output: y, batchValues } = site;
  if (mask) {
    // A missing target takes the prediction's value, so its error and gradient are zero whatever
    // the loss (the mean still counts it: missing cells pull the loss toward zero, not its gradient).
    ops.push(
      hostOp('mask missing targets', { reads: [mask, y], writes: [t] }, (batch) => {
        const m = mask.view(),
          tv = t.view(),
          yv = y.view();
        for (let i = 0; i < batch * batchValues; i++) if (m[i] === 0) tv[i] = yv[i]!;
      }),
    );
  }
  ops.push(lossOp(site));
  return ops;
}
