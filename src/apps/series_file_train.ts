// trainOnSeries for a series file larger than memory: the CSV/TSV is read in passes, in time
// order (series_stream.ts), and only bounded buffers are held. The passes:
//   layout      timestamps, order, duplicates, the usual step and the gaps (openSeriesStream)
//   sums        the scaling's sums and ranges; 'standard' adds a deviations pass (scaling_stream.ts),
//               so the scaling is exactly fitSeriesScaling's
//   training    one pass an epoch: the scaled windows (window_stream.ts, slidingWindows' windows)
//               through a seeded shuffle buffer of `shuffleBuffer` windows, in batches
//   scoring     the training windows' mean absolute errors, for the record's quantiles (exact up to
//               1,000,000 windows, then a seeded sample with the exact minimum and maximum)
// When every window fits the shuffle buffer the windows are gathered in the first training pass
// and trained in memory, exactly as trainOnSeries trains them (its shuffle, its weights): the
// buffer holds them all anyway. Every window trains: a streamed run holds none out, so there is
// no early stopping; left out, the epochs are sized from the windows by the table plan's step
// budget (TRAINING_DEFAULTS: 1,500 steps, at least 10 epochs), at most Keras's 50.

import { HourglassError } from '../engine/errors.js';
import { setSeed } from '../engine/seed.js';
import type { Tensor } from '../engine/tensor.js';
import { Dataset } from '../data/dataset.js';
import { openFile, type TableFile } from '../data/dataset_files.js';
import type { History } from '../model/fit.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { epochsFor, TRAINING_DEFAULTS } from '../models/defaults.js';
import { chooseTimeColumn, chooseValueColumns } from '../series/columns.js';
import { ErrorSample } from '../series/error_quantiles.js';
import type { DuplicateRule, GapRule, MissingRule } from '../series/read_series.js';
import { fitSeriesScalingStream } from '../series/scaling_stream.js';
import { openSeriesStream } from '../series/series_stream.js';
import { windowErrors } from '../series/window_errors.js';
import { scaledWindowBlocks, windowCount, type WindowBlock } from '../series/window_stream.js';
import {
  makeSeriesAutoencoder,
  seriesRecord,
  type SeriesModelRecord,
  type SeriesTrainOptions,
} from './series_model.js';

/** Windows the shuffle buffer holds by default (fewer for large windows: see shuffleBufferFor). */
export const SERIES_SHUFFLE_WINDOWS = 10_000;
/** Values the default shuffle buffer holds at most (64 MB of float32). */
const SHUFFLE_VALUES = 1 << 24;
/** Rows read from the head of the file to choose the time and value columns. */
export const SERIES_HEAD_ROWS = 10_000;
/** Keras's time-series example trains 50 epochs: a streamed run's default never goes past it. */
export const SERIES_MAX_EPOCHS = 50;
/** Windows per block handed through the training pipeline and per scoring batch (at most). */
const BLOCK_WINDOWS = 256;
const BLOCK_VALUES = 1 << 18;
/** Windows per reconstructed batch of the scoring pass at most (as detect --stream: about 4 MB). */
const SCORING_WINDOWS = 1024;
const SCORING_VALUES = 1 << 20;

/** Where a streamed run is: the pass and the steps read in it. */
export type SeriesFilePhase = 'layout' | 'sums' | 'deviations' | `training ${number}` | 'scoring';

export interface SeriesFileTrainOptions extends Omit<SeriesTrainOptions, 'validationSplit'> {
  /** The timestamp column (default: the one named timestamp, time, date or datetime). */
  timeColumn?: string;
  /** The value columns (default: every numeric column of the head of the file besides the timestamp). */
  valueColumns?: string[];
  missing?: MissingRule;
  gaps?: GapRule;
  duplicates?: DuplicateRule;
  /** Windows of the seeded shuffle buffer (default 10,000, at most 2^24 values); 0 trains in file order. */
  shuffleBuffer?: number;
  /** Called as steps are read: the pass and the steps read in it so far, and the file (its bytes). */
  onProgress?: (phase: SeriesFilePhase, steps: number, file: TableFile) => void;
  /** Called once the windows are counted, before the scaling passes: what the run will do. */
  onPlan?: (plan: SeriesFilePlan) => void;
}

export interface SeriesFilePlan {
  steps: number;
  windows: number;
  epochs: number;
  /** 'given' (epochs), or 'budget' (sized from the windows, capped at SERIES_MAX_EPOCHS). */
  epochsFrom: 'given' | 'budget';
  batchSize: number;
  learningRate: number;
  /** Windows the shuffle buffer holds (0: file order). */
  shuffleBuffer: number;
  /** Whether every window fits the buffer, so the run trains from memory as trainOnSeries. */
  inMemory: boolean;
}

export interface SeriesFileTrained {
  ae: Autoencoder;
  history: History;
  /** Seconds of the training (the epochs' passes; not the scaling and scoring passes). */
  seconds: number;
  steps: number;
  windows: number;
  columns: string[];
  timeColumn: string;
  record: SeriesModelRecord;
  plan: SeriesFilePlan;
}

/** Default epochs of a streamed run: the step budget's, at most Keras's 50. */
export function seriesFileEpochs(windows: number, batchSize: number): number {
  const t = TRAINING_DEFAULTS;
  return Math.min(SERIES_MAX_EPOCHS, epochsFor(windows, batchSize, t.steps, t.minEpochs));
}

/** The default shuffle buffer for windows of this many values. */
export function shuffleBufferFor(windowValues: number): number {
  return Math.max(1, Math.min(SERIES_SHUFFLE_WINDOWS, Math.floor(SHUFFLE_VALUES / windowValues)));
}

/**
 * The time and value columns by trainOnSeries' rules (chooseTimeColumn, chooseValueColumns), read
 * from the first SERIES_HEAD_ROWS rows: the streamed passes check every later row.
 */
async function columnsFromHead(
  file: string,
  o: SeriesFileTrainOptions,
): Promise<{ timeColumn: string; valueColumns: string[] }> {
  if (!/\.(csv|tsv)$/i.test(file)) throw new HourglassError(`${file}: a series is read from a .csv or .tsv file`);
  const table = (await openFile(file)) as TableFile;
  const rows = await table.cells
    .take(SERIES_HEAD_ROWS)
    .map((cells) => cells.slice())
    .toArray();
  if (rows.length === 0) throw new HourglassError(`${file} has a header but no data rows`);
  const head = { columns: table.columns, rows };
  const timeAt = chooseTimeColumn(head, file, o.timeColumn);
  const { indices } = chooseValueColumns(head, file, timeAt, o.valueColumns);
  return { timeColumn: table.columns[timeAt]!, valueColumns: indices.map((c) => table.columns[c]!) };
}

function checkWindowing(window: number, stride: number): void {
  if (!(Number.isInteger(window) && window >= 1))
    throw new HourglassError(`window must be a whole number of steps, at least 1; got ${window}`);
  if (!(Number.isInteger(stride) && stride >= 1))
    throw new HourglassError(`stride must be a whole number of steps, at least 1; got ${stride}`);
}

/** Trains a sequence autoencoder on a series file at bounded memory (see the top of this file). */
export async function trainOnSeriesFile(file: string, o: SeriesFileTrainOptions): Promise<SeriesFileTrained> {
  const stride = o.stride ?? 1;
  checkWindowing(o.window, stride);
  const method = o.scaling ?? 'standard';
  if (method !== 'standard' && method !== 'minmax')
    throw new HourglassError(`series scaling must be 'standard' or 'minmax', got '${String(method)}'`);
  if (o.shuffleBuffer !== undefined && !(Number.isInteger(o.shuffleBuffer) && o.shuffleBuffer >= 0))
    throw new HourglassError(`shuffleBuffer must be a whole number of windows, got ${o.shuffleBuffer}`);
  const columns = await columnsFromHead(file, o);
  let layoutSteps = 0;
  const s = await openSeriesStream(file, {
    ...columns,
    missing: o.missing ?? 'error',
    gaps: o.gaps ?? 'error',
    duplicates: o.duplicates ?? 'error',
    onLayoutStep: (table) => o.onProgress?.('layout', ++layoutSteps, table),
  });
  const progress = (phase: SeriesFilePhase) => (steps: number) => o.onProgress?.(phase, steps, s.table);
  const size = o.window * s.features;
  const windows = windowCount(s.steps, o.window, stride);
  const batchSize = o.batchSize ?? 128;
  const buffer = o.shuffleBuffer ?? shuffleBufferFor(size);
  const plan: SeriesFilePlan = {
    steps: s.steps,
    windows,
    epochs: o.epochs ?? seriesFileEpochs(Math.max(1, windows), batchSize),
    epochsFrom: o.epochs !== undefined ? 'given' : 'budget',
    batchSize,
    learningRate: o.learningRate ?? 0.001,
    shuffleBuffer: buffer,
    inMemory: buffer > 0 && windows <= buffer,
  };
  o.onPlan?.(plan);
  // The in-memory order of checks: the scaling's errors before the window's.
  const scaling = await fitSeriesScalingStream(s, method, (pass, steps) => progress(pass)(steps));
  if (s.steps < o.window)
    throw new HourglassError(
      `${file} has ${s.steps} steps, fewer than the window of ${o.window}: use a shorter window`,
    );
  const ae = makeSeriesAutoencoder(o, s.features);
  const seed = o.seed ?? 42;
  const fit = {
    epochs: plan.epochs,
    learningRate: plan.learningRate,
    seed,
    // The variational variant's loss follows its (Gaussian) likelihood: MSE plus the KL term.
    ...(o.variational ? {} : { loss: 'mse' as const }),
    verbose: o.verbose ?? false,
    callbacks: o.callbacks ?? [],
    source: file,
  };
  const cut = (phase: SeriesFilePhase, perBlock: number) =>
    scaledWindowBlocks(s.read(), {
      window: o.window,
      stride,
      scaling,
      perBlock,
      onStep: (_, i) => progress(phase)(i + 1),
    });
  const perBlock = Math.max(1, Math.min(BLOCK_WINDOWS, Math.floor(BLOCK_VALUES / size)));
  const scoringBlock = Math.max(1, Math.min(SCORING_WINDOWS, Math.floor(SCORING_VALUES / size)));
  const started = performance.now();
  let history: History;
  let errors: ErrorSample;
  let seconds: number;
  if (plan.inMemory) {
    // Every window fits the buffer: gathered once, then trainOnSeries' fit (its shuffle and
    // weights), and its errors.
    const data = new Float32Array(windows * size);
    let at = 0;
    for await (const b of cut('training 1', perBlock)) {
      data.set(b.data, at);
      at += b.data.length;
    }
    const x: Tensor = { data, shape: [windows, o.window, s.features] };
    history = await ae.fit(x, { ...fit, batchSize });
    seconds = (performance.now() - started) / 1000;
    errors = new ErrorSample(Math.max(1, windows));
    errors.add(
      windowErrors({ data, count: windows, window: o.window, features: s.features }, ae.reconstruct(x).data, {
        metric: 'mae',
      }),
    );
  } else {
    // Built here, not by fitDataset from a sample of the batches: that would be one more partial
    // pass (filling the shuffle buffer) and would draw from the buffer's generator.
    setSeed(seed);
    ae.build([o.window, s.features], ae.outputActivation);
    const batches = trainingBatches(o.window, s.features, batchSize, buffer, seed, (pass) =>
      cut(`training ${pass}`, perBlock),
    );
    history = await ae.fitDataset(batches, fit);
    seconds = (performance.now() - started) / 1000;
    errors = new ErrorSample();
    for await (const b of cut('scoring', scoringBlock)) {
      const x = { data: b.data, shape: [b.starts.length, o.window, s.features] };
      const count = b.starts.length;
      errors.add(
        windowErrors({ data: b.data, count, window: o.window, features: s.features }, ae.reconstruct(x).data, {
          metric: 'mae',
        }),
      );
    }
  }
  const record = seriesRecord(
    ae,
    { window: o.window, stride, timeColumn: s.timeColumn, scaling },
    {
      windows,
      quantiles: errors.quantiles(),
      ...(errors.exact ? {} : { sampled: errors.capacity }),
    },
  );
  return { ae, history, seconds, steps: s.steps, windows, columns: s.columns, timeColumn: s.timeColumn, record, plan };
}

/**
 * The training set of a streamed run: each pass cuts the windows afresh (pass 1, 2, ...), and they
 * go through a seeded shuffle buffer of `buffer` windows (the same seed, the same orders; 0 keeps
 * the file's order) into batches of [batch, window, features], read ahead of the step.
 */
function trainingBatches(
  window: number,
  features: number,
  batchSize: number,
  buffer: number,
  seed: number,
  pass: (n: number) => AsyncIterable<WindowBlock>,
): Dataset<Tensor> {
  let passes = 0;
  const blocks = Dataset.fromGenerator(() => pass(++passes)).map((b) => b.data);
  const size = window * features;
  const flat =
    buffer > 0 ? blocks.shuffleBlockBatches(size, buffer, batchSize, seed) : inOrder(blocks, size, batchSize);
  return flat.map((b) => ({ data: b.data, shape: [b.shape[0]!, window, features] })).prefetch(4);
}

/** Blocks of windows regrouped into batches of `batchSize`, in order (the last may be smaller). */
function inOrder(blocks: Dataset<Float32Array>, size: number, batchSize: number): Dataset<Tensor> {
  return Dataset.fromGenerator(async function* () {
    let data = new Float32Array(batchSize * size),
      filled = 0;
    for await (const block of blocks) {
      for (let at = 0; at < block.length; at += size) {
        data.set(block.subarray(at, at + size), filled * size);
        if (++filled === batchSize) {
          yield { data, shape: [batchSize, size] };
          data = new Float32Array(batchSize * size);
          filled = 0;
        }
      }
    }
    if (filled) yield { data: data.slice(0, filled * size), shape: [filled, size] };
  });
}
