// What ends a training epoch, for fit (in-memory rows) and fitDataset (streamed batches) alike:
// the epoch's mean loss and metrics, the divergence check on the weights (the last update of an
// epoch is seen by no loss), the best-weights copy, validation, the history, the progress line
// and the callbacks. One rule, so the two loops cannot drift apart.

import type { Tensor } from '../engine/tensor.js';
import type { Callback, Logs, TrainingContext } from './callbacks.js';
import type { BestWeights } from './divergence.js';
import { weightsAreFinite } from './divergence.js';
import { evaluateTensors } from './evaluate.js';
import type { History } from './fit.js';
import type { Compiled, PlannedModel } from './model_types.js';
import type { ProgressReporter } from './progress.js';

/** What stays the same over a run's epochs. */
export interface EpochRun {
  model: PlannedModel;
  compiled: Compiled;
  best: BestWeights;
  progress: ProgressReporter | null;
  history: History;
  callbacks: Callback[];
  ctx: TrainingContext;
  /** Validation rows and targets (and their mask), evaluated at the end of each epoch. */
  val: readonly [Tensor, Tensor] | null;
  valMask: Tensor | null;
}

/** One epoch's sums, as its training steps left them. */
export interface EpochSums {
  /** Sum over the steps of the batch's loss times its rows, and the same for each metric. */
  lossSum: number;
  metricSums: number[];
  rows: number;
  /** Batch size validation is evaluated in. */
  valBatch: number;
  /** Date.now() and performance.now() when the epoch began. */
  started: number;
  startedPrecise: number;
}

/** Ends epoch `epoch`: returns its logs (loss, metrics, val_ ones), or throws if training diverged. */
export async function endEpoch(run: EpochRun, epoch: number, s: EpochSums): Promise<Logs> {
  const { model, compiled: c, best, progress, history } = run;
  const logs: Logs = { loss: s.lossSum / s.rows };
  if (!weightsAreFinite(model)) {
    progress?.done();
    throw best.diverged('the weights became infinite or NaN (exploding gradients)', epoch, 0, logs['loss']!);
  }
  best.epochEnd(epoch, logs['loss']!);
  c.metrics.forEach((m, i) => {
    logs[m.name] = s.metricSums[i]! / s.rows;
  });
  if (run.val) {
    const v = evaluateTensors(model, c, run.val[0], run.val[1], s.valBatch, run.valMask);
    for (const [key, value] of Object.entries(v)) logs[`val_${key}`] = value;
  }
  history.epoch.push(epoch);
  history.seconds.push((performance.now() - s.startedPrecise) / 1000);
  for (const [key, value] of Object.entries(logs)) (history.history[key] ??= []).push(value);
  progress?.epochEnd(logs, (Date.now() - s.started) / 1000);
  for (const cb of run.callbacks) await cb.onEpochEnd?.(epoch, logs, run.ctx);
  return logs;
}
