// The training loop: epochs of shuffled batches through the compiled plan, validation,
// callbacks, progress, and a clear stop when the loss stops being a number.

import { HourglassError } from '../engine/errors.js';
import { sliceRows, toTensor, type Tensor, type TensorLike } from '../engine/tensor.js';
import { checkData, DeviceRows } from './batches.js';
import type { Callback, Logs, TrainingContext } from './callbacks.js';
import { BestWeights } from './divergence.js';
import { endEpoch, type EpochRun } from './epoch_end.js';
import type { PlannedModel } from './model_types.js';
import { createProgress } from './progress.js';
import { MAX_STEP_LOSSES } from './training_history.js';

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  /** Fraction of the rows, taken from the end as Keras does, held out for validation. */
  validationSplit?: number;
  validationData?: [TensorLike, TensorLike];
  callbacks?: Callback[];
  /** Progress bar (terminal) or a line per epoch; default on. */
  verbose?: boolean | 0 | 1;
  initialEpoch?: number;
  /**
   * 1 where a target value is observed, 0 where it is missing (same shape as y): missing values
   * add nothing to the loss. Not combined with validation data.
   */
  mask?: TensorLike;
  /** A new learning rate from this fit on (the optimizer keeps its moments and step count). */
  learningRate?: number;
  /** Start the optimizer afresh (zero moments, step count 0) instead of continuing its state. */
  freshOptimizer?: boolean;
}

export interface History {
  epoch: number[];
  /** Keras naming: loss, val_loss, and each metric with and without the val_ prefix. */
  history: Record<string, number[]>;
  /** Wall-clock seconds of each epoch (training and validation). */
  seconds: number[];
  /** The loss of each training step, for runs of up to MAX_STEP_LOSSES steps (else empty). */
  stepLoss: number[];
  /** Rows trained on and rows validated on, and the shape of the x given. */
  trainingRows: number;
  validationRows: number;
  dataShape: number[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function fitModel(
  model: PlannedModel,
  x: TensorLike,
  y: TensorLike,
  options: FitOptions,
): Promise<History> {
  const c = model.requireCompiled('fit');
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new HourglassError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new HourglassError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  let xs = checkData(x, model.input, 'fit x');
  const dataShape = [...xs.shape];
  let ys = y === x ? xs : checkData(y, model.output, 'fit y');
  if (xs.shape[0] !== ys.shape[0]) throw new HourglassError(`fit: x has ${xs.shape[0]} rows but y has ${ys.shape[0]}`);

  let mask = options.mask === undefined ? null : checkMask(options.mask, ys);
  if (mask && options.validationData)
    throw new HourglassError(
      'fit: a target mask covers the training rows only; use validationSplit, or validation data without gaps and no mask',
    );
  let valMask: Tensor | null = null;
  let val: [Tensor, Tensor] | null = null;
  if (options.validationData) {
    const [vx, vy] = options.validationData;
    val = [checkData(vx, model.input, 'validation x'), checkData(vy, model.output, 'validation y')];
  } else if (options.validationSplit) {
    const s = options.validationSplit;
    if (!(s > 0 && s < 1)) throw new HourglassError(`fit: validationSplit must be between 0 and 1, got ${s}`);
    const n = xs.shape[0]!;
    const cut = Math.floor(n * (1 - s));
    if (cut === 0 || cut === n) throw new HourglassError(`fit: validationSplit ${s} of ${n} rows leaves an empty part`);
    val = [sliceRows(xs, cut, n), sliceRows(ys, cut, n)];
    if (mask) {
      valMask = sliceRows(mask, cut, n);
      mask = sliceRows(mask, 0, cut);
    }
    const same = ys === xs;
    xs = sliceRows(xs, 0, cut);
    ys = same ? xs : sliceRows(ys, 0, cut);
  }

  const rows = xs.shape[0]!;
  const bs = Math.min(batchSize, rows);
  const steps = Math.ceil(rows / bs);
  if (options.freshOptimizer) c.optimizer.reset();
  if (options.learningRate !== undefined) c.optimizer.setLearningRate(options.learningRate);
  // Reused while large enough: a second fit allocates nothing and keeps the optimizer's moments.
  const plan = model.planForTraining(bs, { masked: mask !== null });
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const shuffle = options.shuffle ?? true;
  const callbacks = options.callbacks ?? [];
  const verbose = options.verbose === undefined ? true : Boolean(options.verbose);
  const progress = verbose ? createProgress() : null;
  const history: History = {
    epoch: [],
    history: {},
    seconds: [],
    stepLoss: [],
    trainingRows: rows,
    validationRows: val ? val[0].shape[0]! : 0,
    dataShape,
  };
  const keepSteps = (epochs - (options.initialEpoch ?? 0)) * steps <= MAX_STEP_LOSSES;
  const ctx: TrainingContext = {
    epochs,
    stepsPerEpoch: steps,
    samples: rows,
    stopTraining: false,
    getWeights: () => model.getWeights(),
    setWeights: (w) => model.setWeights(w),
  };
  const device = new DeviceRows(xs, ys, mask);
  // A copy of the weights per improving epoch, restored if training diverges.
  const best = new BestWeights(model);
  const run: EpochRun = { model, compiled: c, best, progress, history, callbacks, ctx, val, valMask };
  try {
    return await trainEpochs();
  } finally {
    device.release();
  }

  // Declared inside fitModel so it shares the run's state; hoisted above its first use.
  async function trainEpochs(): Promise<History> {
    for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
    let lastYield = Date.now();
    let logs: Logs = {};

    for (let epoch = options.initialEpoch ?? 0; epoch < epochs && !ctx.stopTraining; epoch++) {
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
      progress?.epochBegin(epoch, epochs, steps);
      if (shuffle) c.random.shuffle(order);
      device.setOrder(order);
      const started = Date.now();
      const startedPrecise = performance.now();
      let lossSum = 0;
      const metricSums = c.metrics.map(() => 0);
      for (let step = 0; step < steps && !ctx.stopTraining; step++) {
        const start = step * bs;
        const b = Math.min(bs, rows - start);
        device.gather(start, b, plan.input, plan.target!, plan.mask);
        const loss = plan.trainStep(b);
        if (!Number.isFinite(loss)) {
          progress?.done();
          throw best.diverged(`the loss became ${loss}`, epoch, step + 1, loss);
        }
        plan.applyUpdate();
        lossSum += loss * b;
        if (keepSteps) history.stepLoss.push(loss);
        c.metrics.forEach((m, i) => {
          metricSums[i]! += plan.metric(m, b) * b;
        });
        progress?.batchEnd(step + 1, lossSum / (start + b));
        if (callbacks.length) {
          const batchLogs: Logs = { loss, size: b };
          for (const cb of callbacks) await cb.onBatchEnd?.(step, batchLogs, ctx);
        }
        // Let timers, progress output and the user's events run during long epochs.
        if (Date.now() - lastYield > 200) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
      }
      logs = await endEpoch(run, epoch, { lossSum, metricSums, rows, valBatch: bs, started, startedPrecise });
      await yieldToEventLoop();
      lastYield = Date.now();
    }
    progress?.done();
    for (const cb of callbacks) await cb.onTrainEnd?.(logs, ctx);
    return history;
  }
}

function checkMask(m: TensorLike, ys: Tensor): Tensor {
  const t = toTensor(m, 'fit mask');
  if (t.data.length !== ys.data.length)
    throw new HourglassError(`fit: the mask has shape [${t.shape.join(', ')}], the targets [${ys.shape.join(', ')}]`);
  if (!t.data.every((v) => v === 0 || v === 1))
    throw new HourglassError('fit: mask values must be 0 (missing) or 1 (observed)');
  return t;
}
