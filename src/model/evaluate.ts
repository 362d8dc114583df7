// Loss and metrics over already-checked tensors in inference mode: evaluate() and fit()'s
// validation use it.

import type { Tensor } from '../engine/tensor.js';
import { lossSum, type Loss } from '../losses/loss.js';
import { copyRows } from './batches.js';
import type { Compiled, Model } from './model.js';
import type { Plan } from './plan.js';

export function evaluateTensors(model: Model, c: Compiled, xs: Tensor, ys: Tensor, batchSize: number, mask: Tensor | null = null): Record<string, number> {
  const rows = xs.shape[0]!;
  const bs = Math.min(batchSize, rows);
  const plan = model.planForTraining(bs, { masked: mask !== null });
  const k = plan.outputSize;
  let loss = 0, penalty = 0;
  const metricSums = c.metrics.map(() => 0);
  for (let start = 0; start < rows; start += bs) {
    const b = Math.min(bs, rows - start);
    copyRows(xs, start, b, plan.input);
    copyRows(ys, start, b, plan.target!);
    plan.forward(b, false);
    // Missing targets take the prediction's value: they add no error (as in training).
    if (mask) { copyRows(mask, start, b, plan.mask!); plan.maskTargets(b); }
    loss += plan.dataLoss(b) * b;
    penalty += plan.penalty(b) * b;
    c.metrics.forEach((m, i) => { metricSums[i]! += metricValue(m, plan, b * k) * b; });
  }
  const out: Record<string, number> = { loss: (loss + penalty) / rows };
  c.metrics.forEach((m, i) => { out[m.name] = metricSums[i]! / rows; });
  return out;
}

export function metricValue(m: Loss, plan: Plan, n: number): number {
  return lossSum(m, n, plan.output.ptr, plan.target!.ptr, 0, 1 / n) / n;
}


