// Model: a functional graph of layers with Keras's compile / fit / evaluate / predict / summary.
// Sub-models built from the same layers share their weights.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import { globalRandom } from '../engine/seed.js';
import { type Tensor, type TensorLike } from '../engine/tensor.js';
import { InputLayer } from '../layers/input.js';
import { Layer, SymbolicTensor, size, type Param } from '../layers/layer.js';
import { resolveLoss, type LossSpec } from '../losses/index.js';
import { resolveOptimizer, type OptimizerName } from '../optim/index.js';
import type { Optimizer, OptimizerConfig } from '../optim/optimizer.js';
import { checkData, copyRows } from './batches.js';
import { evaluateTensors } from './evaluate.js';
import type { Callback } from './callbacks.js';
import { fitModel, type FitOptions, type History } from './fit.js';
import { fitDatasetModel, type FitDatasetOptions, type TrainBatch } from './fit_dataset.js';
import type { Dataset } from '../data/dataset.js';
import { buildGraph, type Graph } from './graph.js';
import type { Compiled, ModelArgs, PlannedModel } from './model_types.js';
import { Plan } from './plan.js';
import { defaultPredictRows } from './predict_rows.js';
import { formatSummary } from './summary.js';
import { createTaskProgress } from './progress.js';
import { saveModel } from './save.js';
import { emptyHistory, newFitRecord, type TrainingHistory } from './training_history.js';

export interface CompileOptions {
  optimizer?: OptimizerName | Optimizer | OptimizerConfig;
  loss: LossSpec;
  /** Extra values reported by fit/evaluate, computed like losses (e.g. 'mse', 'mae'). */
  metrics?: LossSpec[];
  /** Seed for shuffling, dropout and noise; defaults to a draw from the global generator. */
  seed?: number;
}

export type { Compiled, ModelArgs };

export interface SummaryOptions {
  /** Also print the planned operations of a training step (an inference step before compile). */
  plan?: boolean;
}

export interface PredictOptions {
  /**
   * Rows per forward pass. By default as many as keep the inference buffers near 64 MB, from 256
   * up to 2,048 (fewer hand-offs between the kernel workers); results do not depend on it.
   */
  batchSize?: number;
  /** A progress bar for long predictions on a terminal (default on). */
  verbose?: boolean;
}

// Rows x parameters above which predict() shows progress: about a second of work.
const PROGRESS_WORK = 2e10;

export class Model implements PlannedModel {
  readonly graph: Graph;
  readonly name: string;
  compiled: Compiled | null = null;
  private trainPlan: Plan | null = null;
  private inferPlan: Plan | null = null;
  // Rows per predict() block without batchSize (src/model/predict_rows.ts), worked out once.
  private predictRows: number | null = null;
  private disposed = false;
  /** Every fit of this model (and of the model it was loaded from): saved as history.json. */
  trainingHistory: TrainingHistory = emptyHistory();

  constructor(args: ModelArgs) {
    const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
    const outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
    if (inputs.length !== 1 || outputs.length !== 1)
      throw new HourglassError(
        'models with several inputs or outputs are not supported yet: pass one input and one output',
      );
    this.graph = buildGraph(inputs, outputs);
    this.name = args.name ?? 'model';
  }

  get input(): SymbolicTensor {
    return this.graph.inputs[0]!;
  }
  get output(): SymbolicTensor {
    return this.graph.outputs[0]!;
  }
  get layers(): Layer[] {
    return this.graph.layers;
  }

  getLayer(name: string): Layer {
    const l = this.layers.find((x) => x.name === name);
    if (!l)
      throw new HourglassError(`model has no layer '${name}' (layers: ${this.layers.map((x) => x.name).join(', ')})`);
    return l;
  }

  /** Every parameter (trainable or not) of every layer, in layer order. */
  params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }
  trainableParams(): Param[] {
    return this.layers.filter((l) => l.trainable).flatMap((l) => l.params.filter((p) => p.trainable));
  }
  countParams(): number {
    return this.layers.reduce((s, l) => s + l.countParams(), 0);
  }

  compile(options: CompileOptions): void {
    this.checkUsable();
    const loss = resolveLoss(options.loss);
    const metrics = (options.metrics ?? []).map(resolveLoss);
    const optimizer = resolveOptimizer(options.optimizer ?? 'adam');
    const random = options.seed !== undefined ? new Random(options.seed) : globalRandom().fork();
    this.disposePlans();
    // A new compile starts a new optimizer: the old one's state is freed.
    this.compiled?.optimizer.dispose();
    optimizer.attach(this.trainableParams());
    this.compiled = {
      optimizer,
      loss,
      metrics,
      random,
      config: { optimizer: optimizer.getConfig(), loss: loss.config, metrics: metrics.map((m) => m.config) },
    };
  }

  requireCompiled(what: string): Compiled {
    this.checkUsable();
    if (!this.compiled) throw new HourglassError(`call compile({optimizer, loss}) before ${what}()`);
    return this.compiled;
  }

  /** The training plan for batches up to maxBatch (reused while large enough). */
  planForTraining(maxBatch: number, options: { masked?: boolean } = {}): Plan {
    const c = this.requireCompiled('fit');
    const masked = options.masked ?? false;
    if (!this.trainPlan || this.trainPlan.maxBatch < maxBatch || (this.trainPlan.mask !== null) !== masked) {
      this.trainPlan?.dispose();
      this.trainPlan = null;
      this.trainPlan = new Plan(this.graph, this.trainableParams(), {
        mode: 'train',
        maxBatch,
        loss: c.loss,
        random: c.random,
        masked,
        optimizer: c.optimizer,
      });
    }
    return this.trainPlan;
  }

  /**
   * The inference plan for batches up to maxBatch (reused while large enough). With `evaluate` it
   * has a target buffer and computes the compiled loss and penalties, still without gradients.
   */
  planForInference(maxBatch: number, options: { evaluate?: boolean; masked?: boolean } = {}): Plan {
    this.checkUsable();
    const loss = options.evaluate ? this.requireCompiled('evaluate').loss : undefined;
    const masked = options.masked ?? false;
    const p = this.inferPlan;
    const fits = p && p.maxBatch >= maxBatch && (!loss || p.target !== null) && (p.mask !== null) === masked;
    if (!fits) {
      p?.dispose();
      this.inferPlan = null;
      // An evaluating plan also serves predictions, so keep the loss once one was asked for.
      const keepLoss = loss ?? (p?.target ? this.compiled?.loss : undefined);
      this.inferPlan = new Plan(this.graph, this.trainableParams(), {
        mode: 'infer',
        maxBatch: Math.max(maxBatch, p?.maxBatch ?? 0),
        random: new Random(0),
        masked,
        ...(keepLoss ? { loss: keepLoss } : {}),
      });
    }
    return this.inferPlan!;
  }

  /** Frees every buffer of the model: plans, weights, gradients and optimizer state. Using it afterwards is an error. */
  dispose(): void {
    if (this.disposed) return;
    this.disposePlans();
    this.compiled?.optimizer.dispose();
    for (const l of this.layers) l.dispose();
    this.disposed = true;
  }

  get isDisposed(): boolean {
    return this.disposed || this.layers.some((l) => l.disposed);
  }

  private checkUsable(): void {
    if (this.isDisposed) {
      throw new HourglassError(
        this.disposed
          ? `model '${this.name}' was disposed: build or load it again`
          : `model '${this.name}' shares layers with a model that was disposed (${this.layers
              .filter((l) => l.disposed)
              .map((l) => l.name)
              .join(', ')}): build or load it again`,
      );
    }
  }

  async fit(x: TensorLike, y: TensorLike, options: FitOptions = {}): Promise<History> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const h = await fitModel(this, x, y, options);
    this.recordFit(h, options, startedAt, (performance.now() - t0) / 1000);
    return h;
  }

  /** Appends a fit to trainingHistory: its options (JSON only), data and per-epoch records. */
  private recordFit(h: History, options: FitOptions, startedAt: string, seconds: number): void {
    const c = this.compiled!;
    const record = newFitRecord({
      startedAt,
      dataShape: h.dataShape,
      trainingRows: h.trainingRows,
      validationRows: h.validationRows,
      options: {
        epochs: options.epochs ?? 1,
        batchSize: options.batchSize ?? 32,
        shuffle: options.shuffle ?? true,
        ...(options.validationSplit ? { validationSplit: options.validationSplit } : {}),
        ...(options.validationData ? { validationData: true } : {}),
        ...(options.initialEpoch ? { initialEpoch: options.initialEpoch } : {}),
        ...(options.mask !== undefined ? { masked: true } : {}),
        ...(options.freshOptimizer ? { freshOptimizer: true } : {}),
        ...(options.callbacks?.length
          ? { callbacks: options.callbacks.map((cb) => cb.constructor?.name || 'callback') }
          : {}),
        ...c.config,
      },
      ...(h.stepLoss.length ? { stepLoss: h.stepLoss } : {}),
    });
    record.seconds = seconds;
    h.epoch.forEach((epoch, i) => {
      const logs: Record<string, number> = {};
      for (const [k, v] of Object.entries(h.history)) if (v[i] !== undefined) logs[k] = v[i]!;
      const s = h.seconds[i] ?? 0;
      record.epochs.push({ epoch, logs, seconds: s, samplesPerSecond: s > 0 ? h.trainingRows / s : 0 });
    });
    this.trainingHistory.runs.push(record);
  }

  /** Trains from a streaming dataset of batches (x, or [x, y]); only the batches in flight are resident. */
  async fitDataset(dataset: Dataset<TrainBatch>, options: FitDatasetOptions = {}): Promise<History> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const h = await fitDatasetModel(this, dataset, options);
    // Recorded as fit's runs are; the batch size is the dataset's (its largest batch).
    this.recordFit(
      h,
      {
        epochs: options.epochs ?? 1,
        batchSize: h.batchSize,
        ...(options.validationData ? { validationData: options.validationData } : {}),
        ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      },
      startedAt,
      (performance.now() - t0) / 1000,
    );
    return h;
  }

  /** Runs the model in inference mode over any number of rows, batchSize rows at a time. */
  predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    this.checkUsable();
    const data = checkData(x, this.input, 'predict input');
    const rows = data.shape[0]!;
    this.predictRows ??= defaultPredictRows(this.graph, this.trainableParams());
    const batchSize = Math.min(options.batchSize ?? this.predictRows, rows);
    const plan = this.planForInference(batchSize);
    const outSize = size(this.output.shape);
    const out = new Float32Array(rows * outSize);
    // A bar only for long runs: short predictions would just flicker.
    const progress =
      (options.verbose ?? true) && rows * this.countParams() > PROGRESS_WORK
        ? createTaskProgress('Predicting', rows)
        : null;
    for (let start = 0; start < rows; start += batchSize) {
      const b = Math.min(batchSize, rows - start);
      copyRows(data, start, b, plan.input);
      plan.forward(b);
      out.set(plan.output.view().subarray(0, b * outSize), start * outSize);
      progress?.update(start + b);
    }
    progress?.done();
    return { data: out, shape: [rows, ...this.output.shape] };
  }

  /** Mean loss (with regularization) and metrics over the data, in inference mode. */
  evaluate(x: TensorLike, y: TensorLike, options: { batchSize?: number } = {}): Record<string, number> {
    const c = this.requireCompiled('evaluate');
    const xs = checkData(x, this.input, 'evaluate x');
    const ys = checkData(y, this.output, 'evaluate y');
    if (xs.shape[0] !== ys.shape[0])
      throw new HourglassError(`evaluate: x has ${xs.shape[0]} rows but y has ${ys.shape[0]}`);
    return evaluateTensors(this, c, xs, ys, options.batchSize ?? 256);
  }

  /** Copies of every parameter's values, in params() order. */
  getWeights(): Float32Array[] {
    this.checkUsable();
    return this.params().map((p) => p.value.view().slice());
  }

  setWeights(weights: Float32Array[]): void {
    this.checkUsable();
    const params = this.params();
    if (weights.length !== params.length)
      throw new HourglassError(`setWeights: model has ${params.length} weight tensors, got ${weights.length}`);
    weights.forEach((w, i) => {
      const p = params[i]!;
      if (w.length !== p.value.length)
        throw new HourglassError(`setWeights: ${p.name} needs ${p.value.length} values, got ${w.length}`);
    });
    weights.forEach((w, i) => params[i]!.value.view().set(w));
  }

  /** Keras's table of layers; with `{ plan: true }` also the planned operations of a training step. */
  summary(
    printOrOptions: ((line: string) => void) | SummaryOptions = console.log,
    options: SummaryOptions = {},
  ): string {
    this.checkUsable();
    // summary({ plan: true }) prints to the console, as summary() does.
    const print = typeof printOrOptions === 'function' ? printOrOptions : console.log;
    const text = formatSummary(this, typeof printOrOptions === 'function' ? options : printOrOptions);
    print(text);
    return text;
  }

  /** Saves model.json and weights.safetensors into the folder (atomically). */
  save(dir: string, extra?: Record<string, unknown>): void {
    this.checkUsable();
    saveModel(this, dir, extra);
  }

  /** Frees the planned buffers (weights stay: they belong to the layers). */
  disposePlans(): void {
    this.trainPlan?.dispose();
    this.trainPlan = null;
    this.inferPlan?.dispose();
    this.inferPlan = null;
  }
}

export type { Callback, FitOptions, History };

/** Keras `Model(inputs, outputs)`. */
export function model(args: ModelArgs): Model {
  return new Model(args);
}

/** A linear stack: the first entry is input(shape) or the options give inputShape. */
export function sequential(
  stack: (Layer | SymbolicTensor)[],
  options: { inputShape?: number[]; name?: string } = {},
): Model {
  let x: SymbolicTensor;
  let rest = stack;
  if (stack[0] instanceof SymbolicTensor) {
    x = stack[0];
    rest = stack.slice(1);
  } else if (options.inputShape)
    x = new SymbolicTensor([...options.inputShape], new InputLayer(options.inputShape), []);
  else throw new HourglassError('sequential: start the list with input(shape) or pass {inputShape}');
  const inp = x;
  for (const l of rest) {
    if (!(l instanceof Layer)) throw new HourglassError('sequential: only the first entry may be an input');
    x = l.apply(x);
  }
  return new Model({ inputs: inp, outputs: x, ...(options.name ? { name: options.name } : {}) });
}
