// Loss and metrics over already-checked tensors in inference mode, through the model's inference
// plan (no gradient buffers): evaluate() and fit()'s validation use it.

import type { Tensor } from '../engine/tensor.js';
import { copyRows } from './batches.js';
import type { Compiled, PlannedModel } from './model_types.js';

export function evaluateTensors(
  model: PlannedModel,
  c: Compiled,
  xs: Tensor,
  ys: Tensor,
  batchSize: number,
  mask: Tensor | null = null,
): Record<string, number> {
  const rows = xs.shape[0]!;
  const bs = Math.min(batchSize, rows);
  const plan = model.planForInference(bs, { evaluate: true, masked: mask !== null });
  let loss = 0;
  const metricSums = c.metrics.map(() => 0);
  for (let start = 0; start < rows; start += bs) {
    const b = Math.min(bs, rows - start);
    copyRows(xs, start, b, plan.input);
    copyRows(ys, start, b, plan.target!);
    if (mask) copyRows(mask, start, b, plan.mask!);
    // Penalties and the loss, missing targets taking the prediction's value (as in training).
    loss += plan.evaluateBatch(b) * b;
    c.metrics.forEach((m, i) => {
      metricSums[i]! += plan.metric(m, b) * b;
    });
  }
  const out: Record<string, number> = { loss: loss / rows };
  c.metrics.forEach((m, i) => {
    out[m.name] = metricSums[i]! / rows;
  });
  return out;
}
