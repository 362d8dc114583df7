// The high-level autoencoder: one object that builds its network from options when it first sees
// data (choosing the output activation and loss from the data's range), trains, encodes, decodes,
// reconstructs, scores rows by reconstruction error, and saves/loads itself with everything needed
// to use it again (kind, options, preprocessing). The variants in this folder build on it.

import { HourglassError } from '../engine/errors.js';
import { setSeed } from '../engine/seed.js';
import { toTensor, type Tensor, type TensorLike } from '../engine/tensor.js';
import { size, type Shape } from '../layers/layer.js';
import type { FitOptions, History } from '../model/fit.js';
import type { Model } from '../model/model.js';
import { Dataset } from '../data/dataset.js';
import type { FitDatasetOptions, TrainBatch } from '../model/fit_dataset.js';
import { outsideUnitRange, SAMPLE_ROWS, sampleDataset } from './dataset_sample.js';
import { modelToFiles } from '../model/save.js';
import { TRAINING_DEFAULTS } from './defaults.js';
import { sizedFitOptions } from './sized_fit.js';
import type { TrainingHistory } from '../model/training_history.js';
import { modelToZip } from '../model/zip.js';
import { decoderOf, encoderOf } from './dense_autoencoder.js';
import { rowScores } from './reconstruction_error.js';

export type OutputActivation = 'sigmoid' | 'linear';

/** The members of the family, as saved in model.json (kinds.ts restores each). */
export type AutoencoderKind = 'dense' | 'conv' | 'denoising' | 'sparse' | 'contractive' | 'variational' | 'sequence';

/** What a builder returns: the training network and the names of its code layers. */
export interface Network {
  model: Model;
  /** The layer whose output encode() returns. */
  encodeLayer: string;
  /** The layer the decoder starts after (its output is what decode() takes). */
  codeLayer: string;
}

/** Builds the network for rows of this shape once the data has been seen. */
export type NetworkBuilder = (inputShape: Shape, outputActivation: OutputActivation) => Network;

/**
 * Left out, epochs and batchSize are sized from the rows (see trainingBudget in defaults.ts), and
 * a run whose epochs are left out holds a tenth of a large table out for early stopping.
 */
export interface AutoencoderFitOptions extends Omit<FitOptions, 'mask'>, AutoencoderFitBase {
  /** Target mask: 1 observed, 0 missing (missing values add nothing to the loss). */
  mask?: TensorLike;
}

/** What every autoencoder fit takes, in memory or from a dataset. */
export interface AutoencoderFitBase {
  /** Adam's learning rate (default 0.001). */
  learningRate?: number;
  /** Seed of the weights, shuffling and noise (default 42): the same seed gives the same model. */
  seed?: number;
  /** Reconstruction loss: auto (default) is binary cross-entropy for a sigmoid output, else MSE. */
  loss?: 'auto' | 'mse' | 'bce';
  /** Where the rows came from (a file name, a dataset), recorded in the training history. */
  source?: string;
}

/** fitDataset's options: epochs (default 1), stepsPerEpoch, validationData, callbacks, verbose. */
export interface AutoencoderDatasetFitOptions extends FitDatasetOptions, AutoencoderFitBase {
  inputShape?: Shape;
  /** Rows read from the start of the dataset to choose the output activation (default 10,000). */
  sampleRows?: number;
}

/** Saved in model.json under extra.autoencoder. */
export interface AutoencoderRecord {
  kind: AutoencoderKind;
  options: Record<string, unknown>;
  encodeLayer: string;
  codeLayer: string;
  outputActivation: OutputActivation;
}

export interface AutoencoderSettings {
  kind: AutoencoderKind;
  options: object;
  /** 'auto' (default): sigmoid and binary cross-entropy for data in [0, 1], linear and MSE otherwise. */
  outputActivation?: OutputActivation | 'auto';
}

/** How a kind is recreated around a loaded network (see kinds.ts). */
export type Restorer = (settings: AutoencoderSettings) => Autoencoder;

export class Autoencoder {
  readonly kind: AutoencoderKind;
  readonly options: Record<string, unknown>;
  protected network: Network | null = null;
  private encoderModel: Model | null = null;
  private decoderModel: Model | null = null;
  private disposed = false;
  private requestedOutput: OutputActivation | 'auto';
  /** Free-form data saved with the model (the tabular preprocessing lives here). */
  extra: Record<string, unknown> = {};

  constructor(
    settings: AutoencoderSettings,
    private readonly builder: NetworkBuilder | null,
  ) {
    this.kind = settings.kind;
    this.options = { ...settings.options };
    this.requestedOutput = settings.outputActivation ?? 'auto';
  }

  /** The training network (after the first fit or a load). */
  get model(): Model {
    return this.requireNetwork('model').model;
  }
  get built(): boolean {
    return this.network !== null;
  }
  get outputActivation(): OutputActivation {
    return this.requestedOutput === 'auto' ? 'linear' : this.requestedOutput;
  }

  /** Builds the network for rows of this shape now (fit does it on first use). */
  build(inputShape: Shape, outputActivation: OutputActivation): this {
    this.checkNotDisposed('build');
    if (this.network) throw new HourglassError(`this ${this.kind} autoencoder is already built`);
    if (!this.builder) throw new HourglassError('this autoencoder was loaded without a builder');
    this.requestedOutput = outputActivation;
    this.network = this.builder(inputShape, outputActivation);
    return this;
  }

  /**
   * Trains on rows in memory, or on a streaming Dataset of batches (see fitDataset). The first
   * fit builds the network for the rows' shape and range.
   */
  async fit(
    x: TensorLike | Dataset<TrainBatch>,
    options: AutoencoderFitOptions & { inputShape?: Shape } = {},
  ): Promise<History> {
    this.checkNotDisposed('fit');
    if (x instanceof Dataset) {
      const {
        mask,
        batchSize,
        validationSplit,
        shuffle,
        initialEpoch,
        freshOptimizer,
        validationData,
        verbose,
        ...rest
      } = options;
      const refused = { mask, batchSize, validationSplit, shuffle, initialEpoch, freshOptimizer };
      const given = Object.entries(refused).filter(([, v]) => v !== undefined);
      if (given.length)
        throw new HourglassError(
          `fit on a dataset: ${given.map(([k]) => k).join(', ')} belong to in-memory rows; a dataset brings its own batches, order and masks (see fitDataset)`,
        );
      return this.fitDataset(x, {
        ...rest,
        ...(verbose !== undefined ? { verbose: Boolean(verbose) } : {}),
        ...(validationData
          ? { validationData: validationData.map((t) => toTensor(t, 'validation data')) as [Tensor, Tensor] }
          : {}),
      });
    }
    const data = toTensor(x, 'fit x');
    const seed = options.seed ?? 42;
    if (!this.network) {
      setSeed(seed);
      this.build(options.inputShape ?? data.shape.slice(1), this.outputFor(inUnitRange(data), 'this data has'));
    }
    const loss = this.compileFor(options, seed);
    const { learningRate: _lr, seed: _seed, inputShape: _shape, loss: _loss, source, ...fitOptions } = options;
    const history = await this.network!.model.fit(data, data, sizedFitOptions(data.shape[0]!, fitOptions));
    this.noteRun(loss, source);
    return this.finishFit(history);
  }

  /**
   * Trains from a streaming dataset of batches (tensors [b, ...row], [x, y] pairs, or { x, mask }
   * with missing values masked out of the loss): only the batches in flight are resident, so a
   * file larger than memory trains at constant memory. A network not built yet is built for the
   * first batch's row shape; its output (sigmoid for values in [0, 1]) is chosen from the first
   * `sampleRows` rows (default 10,000), and every later batch is checked to agree.
   */
  async fitDataset(ds: Dataset<TrainBatch>, options: AutoencoderDatasetFitOptions = {}): Promise<History> {
    this.checkNotDisposed('fit');
    const seed = options.seed ?? 42;
    let unitTargets: ((row: number) => Error) | undefined;
    if (!this.network) {
      setSeed(seed);
      const sample = await sampleDataset(ds, options.sampleRows ?? SAMPLE_ROWS);
      const out = this.outputFor(sample.unit, `the first ${sample.rows} rows have`);
      this.build(options.inputShape ?? sample.rowShape, out);
      if (out === 'sigmoid') unitTargets = outsideUnitRange(sample.rows);
    }
    const loss = this.compileFor(options, seed);
    const {
      learningRate: _lr,
      seed: _seed,
      inputShape: _shape,
      loss: _loss,
      source,
      sampleRows: _s,
      ...fitOptions
    } = options;
    const history = await this.network!.model.fitDataset(ds, {
      ...fitOptions,
      ...(unitTargets ? { unitTargets } : {}),
    });
    this.noteRun(loss, source);
    return this.finishFit(history);
  }

  /** The output activation for data in [0, 1] or not (`what` names the data in the message). */
  protected outputFor(unit: boolean, what: string): OutputActivation {
    const out = this.requestedOutput === 'auto' ? (unit ? 'sigmoid' : 'linear') : this.requestedOutput;
    if (out === 'sigmoid' && !unit)
      throw new HourglassError(
        `a sigmoid output needs data in [0, 1]; ${what} values outside it (use a linear output)`,
      );
    return out;
  }

  /** Compiles the network for this fit when needed; returns the loss it trains with. */
  private compileFor(options: AutoencoderFitBase, seed: number): 'binaryCrossentropy' | 'mse' {
    const m = this.network!.model;
    const loss =
      options.loss === undefined || options.loss === 'auto'
        ? this.lossName()
        : options.loss === 'bce'
          ? 'binaryCrossentropy'
          : 'mse';
    if (loss === 'binaryCrossentropy' && this.outputActivation !== 'sigmoid')
      throw new HourglassError(
        'binary cross-entropy needs data in [0, 1] and a sigmoid output; this data has values outside [0, 1] (use mse)',
      );
    if (!m.compiled || options.learningRate !== undefined || options.seed !== undefined || options.loss !== undefined) {
      m.compile({
        optimizer: { name: 'adam', learningRate: options.learningRate ?? TRAINING_DEFAULTS.learningRate },
        loss,
        metrics: ['mse'],
        seed,
      });
    }
    return loss;
  }

  /** The network's fit recorded the run; the family member and the data's source are known here. */
  private noteRun(loss: string, source: string | undefined): void {
    const run = this.network!.model.trainingHistory.runs.at(-1);
    if (run) {
      run.member = this.kind;
      if (source !== undefined) run.source = source;
      run.options['reconstructionLoss'] = loss;
    }
  }

  /** What a member adds to a finished fit's history (the variational one its ELBO). */
  protected finishFit(history: History): History {
    return history;
  }

  /** Every fit so far (saved as history.json with the model, kept by load, appended by fit). */
  get trainingHistory(): TrainingHistory {
    return this.requireNetwork('trainingHistory').model.trainingHistory;
  }

  /** The loss the network trains with: binary cross-entropy for a sigmoid output, else MSE. */
  protected lossName(): 'binaryCrossentropy' | 'mse' {
    return this.outputActivation === 'sigmoid' ? 'binaryCrossentropy' : 'mse';
  }

  /** The codes of the rows, one flat row of values per input row. */
  encode(x: TensorLike): Tensor {
    const codes = this.encoder().predict(x);
    const rows = codes.shape[0]!;
    return { data: codes.data, shape: [rows, codes.data.length / rows] };
  }

  /** Rows rebuilt from codes (flat rows of the code's size). */
  decode(z: TensorLike): Tensor {
    const dec = this.decoder();
    const t = toTensor(z, 'decode input');
    const rows = t.shape[0]!;
    if (t.data.length !== rows * size(dec.input.shape))
      throw new HourglassError(
        `decode: codes have ${t.data.length / rows} values per row, this model's code has ${size(dec.input.shape)}`,
      );
    return dec.predict({ data: t.data, shape: [rows, ...dec.input.shape] });
  }

  reconstruct(x: TensorLike): Tensor {
    return this.requireNetwork('reconstruct').model.predict(x);
  }

  /** Per-row mean squared reconstruction error, the anomaly score (over observed values with a mask). */
  score(x: TensorLike, options: { mask?: TensorLike } = {}): Float32Array {
    this.checkNotDisposed('score');
    const t = toTensor(x, 'score input');
    const mask = options.mask === undefined ? null : toTensor(options.mask, 'score mask').data;
    return rowScores(t.data, this.reconstruct(t).data, t.shape[0]!, mask);
  }

  /** The encoder sub-model (sharing the network's weights), built on first use and kept. */
  encoder(): Model {
    const n = this.requireNetwork('encode');
    return (this.encoderModel ??= encoderOf(n.model, n.encodeLayer));
  }

  /** The decoder sub-model (sharing the network's weights), built on first use and kept. */
  decoder(): Model {
    const n = this.requireNetwork('decode');
    return (this.decoderModel ??= decoderOf(n.model, n.codeLayer));
  }

  /** The shape of one row's code, read from the network (builds no encoder). */
  get codeShape(): number[] {
    const n = this.requireNetwork('codeShape');
    const node = n.model.graph.nodes.find((t) => t.layer.name === n.encodeLayer);
    if (!node) throw new HourglassError(`model '${n.model.name}' has no layer '${n.encodeLayer}' to encode with`);
    return [...node.shape];
  }

  /**
   * Frees the network's weights, optimizer state and plans, and those of every sub-model built
   * from it (a long-lived page or service must be able to drop a model without leaking its
   * memory). Any later call throws; calling dispose again does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const network = this.network;
    this.network = null;
    for (const m of this.releaseSubModels()) m.dispose();
    network?.model.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Hands over (and forgets) the sub-models built from the network, for dispose. */
  protected releaseSubModels(): Model[] {
    const own = [this.encoderModel, this.decoderModel].filter((m): m is Model => m !== null);
    this.encoderModel = this.decoderModel = null;
    return own;
  }

  record(): AutoencoderRecord {
    const n = this.requireNetwork('save');
    return {
      kind: this.kind,
      options: this.options,
      encodeLayer: n.encodeLayer,
      codeLayer: n.codeLayer,
      outputActivation: this.outputActivation,
    };
  }

  /** Writes model.json (architecture, kind, options, preprocessing) and the weights, atomically. */
  save(dir: string): void {
    this.requireNetwork('save').model.save(dir, this.savedExtra());
  }

  /** The two saved files as bytes (what save() writes), for stores without folders (IndexedDB). */
  toFiles(): Record<string, Uint8Array> {
    return modelToFiles(this.requireNetwork('save').model, this.savedExtra());
  }

  /** The saved model as one .zip file (model.json + weights.safetensors); loadAutoencoderFromZip reads it. */
  toZip(): Uint8Array {
    return modelToZip(this.requireNetwork('save').model, this.savedExtra());
  }

  /** What model.json carries beside the network: the record, the preprocessing and other extras. */
  private savedExtra(): Record<string, unknown> {
    return { autoencoder: this.record(), ...this.extra };
  }

  /** Adopts a loaded network (used by load). */
  protected adopt(network: Network, extra: Record<string, unknown>): this {
    this.network = network;
    this.extra = extra;
    return this;
  }

  /**
   * Restores a saved autoencoder, or wraps a plain saved model with a layer named 'code', with
   * the restorer its kind has in the table given (kinds.ts passes the family's).
   */
  static restore(
    model: Model,
    extra: Record<string, unknown> | undefined,
    file: string,
    kinds: Readonly<Record<AutoencoderKind, Restorer>>,
  ): Autoencoder {
    const { autoencoder, ...rest } = extra ?? {};
    const rec = readRecord(autoencoder, file);
    const kind = rec?.kind ?? 'dense';
    if (!isKind(kind, kinds))
      throw new HourglassError(
        `${file}: unknown autoencoder kind '${kind}' (known kinds: ${Object.keys(kinds).join(', ')})`,
      );
    const outputActivation = rec?.outputActivation ?? (model.output.layer.endsInSigmoid() ? 'sigmoid' : 'linear');
    const network = { model, encodeLayer: rec?.encodeLayer ?? 'code', codeLayer: rec?.codeLayer ?? 'code' };
    return kinds[kind]({ kind, options: rec?.options ?? {}, outputActivation }).adopt(network, rest);
  }

  protected requireNetwork(what: string): Network {
    this.checkNotDisposed(what);
    if (!this.network)
      throw new HourglassError(
        `${what}: the autoencoder has not been trained yet; call fit() first or load a saved one`,
      );
    return this.network;
  }

  protected checkNotDisposed(what: string): void {
    if (this.disposed)
      throw new HourglassError(`${what}: this ${this.kind} autoencoder was disposed; build or load a new one`);
  }
}

/** The record as model.json holds it, checked field by field (null for a plain saved model). */
function readRecord(
  value: unknown,
  file: string,
):
  | (Omit<AutoencoderRecord, 'kind' | 'outputActivation'> & { kind: string; outputActivation?: OutputActivation })
  | null {
  if (value === undefined) return null;
  const rec =
    typeof value === 'object' && value !== null ? (value as Partial<Record<keyof AutoencoderRecord, unknown>>) : {};
  const { kind, encodeLayer, codeLayer, options, outputActivation } = rec;
  if (typeof kind !== 'string' || typeof encodeLayer !== 'string' || typeof codeLayer !== 'string') {
    throw new HourglassError(`${file}: the autoencoder record is damaged (kind, encodeLayer and codeLayer are needed)`);
  }
  return {
    kind,
    encodeLayer,
    codeLayer,
    options: typeof options === 'object' && options !== null ? { ...options } : {},
    ...(outputActivation === 'sigmoid' || outputActivation === 'linear' ? { outputActivation } : {}),
  };
}

function isKind(kind: string, kinds: Readonly<Record<AutoencoderKind, Restorer>>): kind is AutoencoderKind {
  return Object.hasOwn(kinds, kind);
}

/** True when every value is in [0, 1], the range a sigmoid output (and BCE) can fit. */
export function inUnitRange(x: Tensor): boolean {
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    if (!(v >= 0 && v <= 1)) return false;
  }
  return true;
}
