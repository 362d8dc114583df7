// Training from a streaming Dataset of batches: each batch is copied into the plan's input (and
// target) buffers as it arrives, so only the batches in flight (plus any shuffle buffer or
// prefetch upstream) are resident, never the whole set. The step itself is the in-memory fit's:
// on the same batches in the same order it gives the same weights.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Dataset } from '../data/dataset.js';
import type { Callback, Logs, TrainingContext } from './callbacks.js';
import { checkData, checkShape } from './batches.js';
import { BestWeights } from './divergence.js';
import { endEpoch, type EpochRun } from './epoch_end.js';
import type { History } from './fit.js';
import type { PlannedModel } from './model_types.js';
import { createProgress } from './progress.js';

/**
 * A batch of inputs (an autoencoder's target is its input), [inputs, targets], or inputs with a
 * target mask (1 observed, 0 missing: missing values add nothing to the loss, as fit's mask).
 */
export type TrainBatch = Tensor | [Tensor, Tensor] | MaskedBatch;

export interface MaskedBatch {
  x: Tensor;
  /** Targets; the inputs when left out. */
  y?: Tensor;
  mask: Tensor;
}

const isMasked = (b: TrainBatch): b is MaskedBatch => !Array.isArray(b) && 'mask' in b;

export interface FitDatasetOptions {
  epochs?: number;
  /**
   * Batches per epoch. Without it an epoch is one pass over the dataset; with it the dataset is
   * read on across epochs and restarted when it runs out (as tfjs's fitDataset).
   */
  stepsPerEpoch?: number;
  validationData?: [Tensor, Tensor];
  callbacks?: Callback[];
  verbose?: boolean;
  /**
   * Targets must lie in [0, 1] (an output chosen from a sample of the data: a sigmoid cannot fit
   * a later value outside it): the error to stop with, given the batch's first row in the pass.
   */
  unitTargets?: (row: number) => Error;
}

/** The largest finite float32: [-F32_MAX, F32_MAX] holds every finite value and no NaN. */
const F32_MAX = 3.4028234663852886e38;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function fitDatasetModel(
  model: PlannedModel,
  dataset: Dataset<TrainBatch>,
  options: FitDatasetOptions = {},
): Promise<History & { batchSize: number }> {
  const c = model.requireCompiled('fitDataset');
  const epochs = options.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new HourglassError(`fitDataset: epochs must be a non-negative integer, got ${epochs}`);
  const stepsPerEpoch = options.stepsPerEpoch;
  if (stepsPerEpoch !== undefined && !(Number.isInteger(stepsPerEpoch) && stepsPerEpoch > 0))
    throw new HourglassError(`fitDataset: stepsPerEpoch must be a positive integer, got ${stepsPerEpoch}`);
  const val = options.validationData
    ? ([
        checkData(options.validationData[0], model.input, 'validation x'),
        checkData(options.validationData[1], model.output, 'validation y'),
      ] as const)
    : null;
  const callbacks = options.callbacks ?? [];
  const progress = options.verbose === false ? null : createProgress();
  // Streaming knows no row count up front: rows and shape stay empty; per-step losses are not kept.
  const history: History & { batchSize: number } = {
    batchSize: 0,
    epoch: [],
    history: {},
    seconds: [],
    stepLoss: [],
    trainingRows: 0,
    validationRows: 0,
    dataShape: [],
  };
  const ctx: TrainingContext = {
    epochs,
    stepsPerEpoch: stepsPerEpoch ?? 0,
    samples: 0,
    stopTraining: false,
    getWeights: () => model.getWeights(),
    setWeights: (w) => model.setWeights(w),
  };

  let it: AsyncIterator<TrainBatch> | null = null;
  let maxBatch = 0;
  // Sticky once a batch brings a mask: later batches without one count every value as observed.
  let masked = false;
  const next = async (): Promise<TrainBatch | null> => {
    it ??= dataset[Symbol.asyncIterator]();
    let r = await it.next();
    if (r.done && stepsPerEpoch !== undefined) {
      // Restart a finished pass so that every epoch has its stepsPerEpoch batches.
      it = dataset[Symbol.asyncIterator]();
      r = await it.next();
      if (r.done) throw new HourglassError('fitDataset: the dataset yields no batches');
    }
    return r.done ? null : r.value;
  };

  // A copy of the weights per improving epoch, restored if training diverges.
  const best = new BestWeights(model);
  const run: EpochRun = { model, compiled: c, best, progress, history, callbacks, ctx, val, valMask: null };
  for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
  let logs: Logs = {};
  let lastYield = Date.now();
  for (let epoch = 0; epoch < epochs && !ctx.stopTraining; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
    progress?.epochBegin(epoch, epochs, stepsPerEpoch ?? 0);
    const started = Date.now();
    const startedPrecise = performance.now();
    let lossSum = 0,
      rows = 0;
    const metricSums = c.metrics.map(() => 0);
    for (let step = 0; stepsPerEpoch === undefined || step < stepsPerEpoch; step++) {
      const batch = await next();
      if (!batch) break;
      const bmask = isMasked(batch) ? batch.mask : null;
      const [bx, by] = Array.isArray(batch) ? batch : isMasked(batch) ? [batch.x, batch.y ?? batch.x] : [batch, batch];
      const b = bx.shape[0]!;
      if (by.shape[0] !== b) throw new HourglassError(`fitDataset: a batch has ${b} inputs but ${by.shape[0]} targets`);
      const xs = checkShape(bx, model.input, 'fitDataset batch x');
      const ys = by === bx ? xs : checkShape(by, model.output, 'fitDataset batch y');
      // The plan is sized by the first batch; a later, larger one re-plans (weights are kept).
      if (b > maxBatch) maxBatch = b;
      if (bmask) {
        if (bmask.data.length !== ys.data.length)
          throw new HourglassError(
            `fitDataset: a batch's mask has ${bmask.data.length} values, its targets ${ys.data.length}`,
          );
        masked = true;
      }
      const plan = model.planForTraining(maxBatch, { masked });
      plan.input.view().set(xs.data);
      plan.target!.view().set(ys.data);
      // The values are checked where they now are, in one SIMD pass each; checkData finds and
      // names a bad value when there is one.
      const k = plan.executor.kernels;
      if (!k.allWithin(xs.data.length, plan.input.ptr, -F32_MAX, F32_MAX))
        checkData(bx, model.input, 'fitDataset batch x');
      if (ys !== xs && !k.allWithin(ys.data.length, plan.target!.ptr, -F32_MAX, F32_MAX))
        checkData(by, model.output, 'fitDataset batch y');
      if (options.unitTargets && !k.allWithin(ys.data.length, plan.target!.ptr, 0, 1)) throw options.unitTargets(rows);
      if (plan.mask) {
        if (bmask) plan.mask.view().set(bmask.data);
        else plan.mask.view().fill(1, 0, ys.data.length);
      }
      const loss = plan.trainStep(b);
      if (!Number.isFinite(loss)) {
        progress?.done();
        throw best.diverged(`the loss became ${loss}`, epoch, step + 1, loss);
      }
      plan.applyUpdate();
      lossSum += loss * b;
      rows += b;
      c.metrics.forEach((m, i) => {
        metricSums[i]! += plan.metric(m, b) * b;
      });
      progress?.batchEnd(step + 1, lossSum / rows);
      if (callbacks.length) for (const cb of callbacks) await cb.onBatchEnd?.(step, { loss, size: b }, ctx);
      if (Date.now() - lastYield > 200) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    if (stepsPerEpoch === undefined) it = null;
    if (rows === 0) throw new HourglassError('fitDataset: the dataset yields no batches');
    history.trainingRows = rows;
    history.batchSize = maxBatch;
    history.dataShape = [rows, ...model.input.shape];
    logs = await endEpoch(run, epoch, { lossSum, metricSums, rows, valBatch: maxBatch, started, startedPrecise });
  }
  progress?.done();
  for (const cb of callbacks) await cb.onTrainEnd?.(logs, ctx);
  return history;
}
