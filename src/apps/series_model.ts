// Sequence autoencoders on a time series: the library side of `hourglass train --kind sequence`
// and of detect, encode, denoise and impute on series. Training fits the series scaling, cuts
// sliding windows, trains autoencoders.sequence() on them and keeps in the model folder what
// scoring a later series needs: the window, the stride, the value columns and their scaling, and
// the distribution of the training windows' errors (for the thresholds). Errors are Keras's: the
// mean absolute error over each window; a step's score is the mean over the windows covering it.

import { HourglassError } from '../engine/errors.js';
import { EarlyStopping, type Callback } from '../model/callbacks.js';
import type { History } from '../model/fit.js';
import { sequenceAutoencoder, type SequenceArch } from '../models/sequence_autoencoder.js';
import type { Autoencoder } from '../models/autoencoder.js';
import type { NoiseSpec } from '../models/denoising_autoencoder.js';
import { detectSeriesAnomalies, type SeriesDetection } from '../series/detect.js';
import { errorQuantiles } from '../series/error_quantiles.js';
import {
  checkSeriesScaling,
  fitSeriesScaling,
  scaleSeries,
  unscaleValues,
  type SeriesScaling,
  type SeriesScalingMethod,
} from '../series/scaling.js';
import type { Series } from '../series/series.js';
import type { StepFlagRule } from '../series/step_scores.js';
import type { SeriesThresholdRule } from '../series/threshold.js';
import { windowErrors } from '../series/window_errors.js';
import { slidingWindows, type SeriesWindows } from '../series/windows.js';

export const SERIES_KEY = 'series';

/** Saved in model.json under extra.series. */
export interface SeriesModelRecord {
  format: 'hourglass-series-model';
  version: 1;
  window: number;
  stride: number;
  timeColumn: string;
  scaling: SeriesScaling;
  /** The window error the thresholds compare (Keras's example: mean absolute error per window). */
  metric: 'mae';
  /** The training windows' errors: their count and quantiles at 0, 1/1000, ..., 1 (the last is the maximum). */
  training: {
    windows: number;
    quantiles: number[];
    /** Set when the quantiles come from a uniform sample of this many errors (a streamed run of many windows; the minimum and maximum are exact). */
    sampled?: number;
  };
}

export interface SeriesTrainOptions {
  window: number;
  /** Steps between training windows (default 1, as Keras's example). */
  stride?: number;
  arch?: SequenceArch;
  units?: number;
  filters?: number[];
  kernelSize?: number;
  dropout?: number;
  noise?: NoiseSpec;
  /** The variational variant (autoencoders.sequence's variational, latent and beta). */
  variational?: boolean;
  latent?: number;
  beta?: number;
  scaling?: SeriesScalingMethod;
  /** Left out: Keras's example (50 epochs, a tenth held out, stopping after 5 without progress). */
  epochs?: number;
  /** Default 128, as Keras's example. */
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  validationSplit?: number;
  verbose?: boolean;
  callbacks?: Callback[];
}

export interface SeriesTrained {
  ae: Autoencoder;
  history: History;
  seconds: number;
  windows: number;
  record: SeriesModelRecord;
}

/** Trains a sequence autoencoder on the series' windows and stores the series record in the model. */
export async function trainOnSeries(series: Series, o: SeriesTrainOptions): Promise<SeriesTrained> {
  const stride = o.stride ?? 1;
  const scaling = fitSeriesScaling(series, o.scaling ?? 'standard');
  const windows = slidingWindows(scaleSeries(scaling, series), { window: o.window, stride });
  const ae = makeSeriesAutoencoder(o, series.features);
  const started = performance.now();
  // Keras's time-series example trains 50 epochs at batch 128 on 90% of the windows and stops
  // once the held-out loss has not improved for 5 epochs; that is the default run here too.
  const kerasRun = o.epochs === undefined && o.validationSplit === undefined;
  const history = await ae.fit(windows, {
    epochs: o.epochs ?? 50,
    batchSize: o.batchSize ?? 128,
    learningRate: o.learningRate ?? 0.001,
    seed: o.seed ?? 42,
    // The variational variant's loss follows its (Gaussian) likelihood: MSE plus the KL term.
    ...(o.variational ? {} : { loss: 'mse' as const }),
    verbose: o.verbose ?? false,
    ...(o.validationSplit ? { validationSplit: o.validationSplit } : kerasRun ? { validationSplit: 0.1 } : {}),
    callbacks: [
      ...(o.callbacks ?? []),
      ...(kerasRun ? [new EarlyStopping({ patience: 5, restoreBestWeights: true })] : []),
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const errors = windowErrors(windows, ae.reconstruct(windows).data, { metric: 'mae' });
  const record = seriesRecord(
    ae,
    { window: o.window, stride, timeColumn: series.timeColumn, scaling },
    {
      windows: windows.count,
      quantiles: errorQuantiles(errors),
    },
  );
  return { ae, history, seconds, windows: windows.count, record };
}

/** The sequence autoencoder trainOnSeries (and trainOnSeriesFile) trains, for this many features. */
export function makeSeriesAutoencoder(o: SeriesTrainOptions, features: number): Autoencoder {
  return sequenceAutoencoder({
    window: o.window,
    features,
    ...(o.arch ? { arch: o.arch } : {}),
    ...(o.units !== undefined ? { units: o.units } : {}),
    ...(o.filters ? { filters: o.filters } : {}),
    ...(o.kernelSize !== undefined ? { kernelSize: o.kernelSize } : {}),
    ...(o.dropout !== undefined ? { dropout: o.dropout } : {}),
    ...(o.noise ? { noise: o.noise } : {}),
    ...(o.variational ? { variational: true } : {}),
    ...(o.latent !== undefined ? { latent: o.latent } : {}),
    ...(o.beta !== undefined ? { beta: o.beta } : {}),
  });
}

/** Stores the series record in the model (what detect, encode, denoise and impute read back). */
export function seriesRecord(
  ae: Autoencoder,
  s: Pick<SeriesModelRecord, 'window' | 'stride' | 'timeColumn' | 'scaling'>,
  training: SeriesModelRecord['training'],
): SeriesModelRecord {
  const record: SeriesModelRecord = {
    format: 'hourglass-series-model',
    version: 1,
    window: s.window,
    stride: s.stride,
    timeColumn: s.timeColumn,
    scaling: s.scaling,
    metric: 'mae',
    training,
  };
  ae.extra[SERIES_KEY] = record;
  return record;
}

/** The series record of a model trained by trainOnSeries, or null for other models. */
export function seriesRecordOf(ae: Autoencoder): SeriesModelRecord | null {
  const r = ae.extra[SERIES_KEY] as Partial<SeriesModelRecord> | undefined;
  if (r === undefined) return null;
  const ok =
    r !== null &&
    typeof r === 'object' &&
    r.format === 'hourglass-series-model' &&
    r.version === 1 &&
    Number.isInteger(r.window) &&
    r.window! > 0 &&
    Number.isInteger(r.stride) &&
    r.stride! > 0 &&
    typeof r.timeColumn === 'string' &&
    r.metric === 'mae' &&
    Array.isArray(r.training?.quantiles) &&
    r.training.quantiles.length > 0 &&
    r.training.quantiles.every(Number.isFinite);
  if (!ok) throw new HourglassError('model.json: the saved series record is damaged');
  checkSeriesScaling(r.scaling, 'model.json');
  return r as SeriesModelRecord;
}

/** The record of a sequence model, or a clear error for a model that was not trained on a series. */
export function requireSeriesRecord(ae: Autoencoder, what: string): SeriesModelRecord {
  const r = seriesRecordOf(ae);
  if (!r)
    throw new HourglassError(
      `${what}: this model was not trained on a series (train one with hourglass train series.csv --kind sequence --window N)`,
    );
  return r;
}

export interface ScoredSeries {
  /** The scaled series' windows (every `stride` steps, and one ending at the last step). */
  windows: SeriesWindows;
  reconstruction: Float32Array;
  /** Mean absolute error of each window. */
  errors: Float64Array;
}

/** The series scaled as the training series was, cut into windows and reconstructed. */
export function scoreSeriesWindows(ae: Autoencoder, series: Series, stride = 1): ScoredSeries {
  const r = requireSeriesRecord(ae, series.file);
  const windows = slidingWindows(scaleSeries(r.scaling, series), { window: r.window, stride });
  const reconstruction = ae.reconstruct(windows).data;
  return { windows, reconstruction, errors: windowErrors(windows, reconstruction, { metric: 'mae' }) };
}

/** How detection sets its threshold on window errors. */
export type SeriesRule =
  { trainingMaximum: true } | { quantile: number } | { contamination: number } | { threshold: number };

/**
 * Per-step scores, flags and intervals. Default rule: the largest training window error and
 * Keras's all-windows flag rule (a step is anomalous when every window covering it is).
 */
export function detectInSeries(
  ae: Autoencoder,
  series: Series,
  rule: SeriesRule = { trainingMaximum: true },
  options: { flagRule?: StepFlagRule; mergeGap?: number } = {},
): SeriesDetection & { errors: Float64Array; windows: SeriesWindows } {
  const r = requireSeriesRecord(ae, series.file);
  const { windows, errors } = scoreSeriesWindows(ae, series);
  const training = r.training.quantiles;
  const threshold: SeriesThresholdRule =
    'trainingMaximum' in rule
      ? { trainingMaximum: training }
      : 'quantile' in rule
        ? { quantile: rule.quantile, trainingScores: training }
        : rule;
  const d = detectSeriesAnomalies(series, windows, errors, {
    threshold,
    ...(options.flagRule ? { flagRule: options.flagRule } : {}),
    ...(options.mergeGap !== undefined ? { mergeGap: options.mergeGap } : {}),
  });
  return { ...d, errors, windows };
}

/**
 * Each step rebuilt by the model, in the series' units: the mean of its reconstructions in the
 * windows covering it (stride 1, so every step is seen `window` times away from the ends).
 */
export function reconstructSeries(ae: Autoencoder, series: Series): Float64Array {
  const r = requireSeriesRecord(ae, series.file);
  const { windows, reconstruction } = scoreSeriesWindows(ae, series);
  return unscaleValues(r.scaling, meanOverWindows(windows, reconstruction));
}

/** Values of every window's steps averaged back onto the steps: [steps * features]. */
export function meanOverWindows(w: SeriesWindows, values: ArrayLike<number>): Float64Array {
  const d = w.features;
  const sum = new Float64Array(w.steps * d),
    n = new Float64Array(w.steps);
  for (let i = 0; i < w.count; i++) {
    const s = w.starts[i]!;
    for (let j = 0; j < w.window; j++) {
      n[s + j]!++;
      for (let f = 0; f < d; f++) sum[(s + j) * d + f]! += values[(i * w.window + j) * d + f]!;
    }
  }
  for (let t = 0; t < w.steps; t++) for (let f = 0; f < d; f++) sum[t * d + f]! /= n[t]!;
  return sum;
}

/**
 * Missing cells (mask 0) filled by the model: start from the series as read (missing cells filled
 * by linear interpolation) and replace them by the model's reconstruction, `rounds` times, so
 * each round starts from a better guess. Observed cells are kept as they are.
 */
export function imputeSeries(ae: Autoencoder, series: Series, mask: Uint8Array, rounds = 5): Float64Array {
  if (mask.length !== series.values.length)
    throw new HourglassError(`the mask has ${mask.length} cells but the series has ${series.values.length}`);
  let values = series.values.slice();
  for (let k = 0; k < rounds; k++) {
    const rebuilt = reconstructSeries(ae, { ...series, values });
    values = values.map((v, i) => (mask[i] ? v : rebuilt[i]!));
  }
  return values;
}
