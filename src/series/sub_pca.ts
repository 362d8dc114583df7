// Baseline detector "Sub-PCA": PCA of the series' sliding windows (standard-scaled columns), each
// window scored by its mean squared reconstruction error and the errors mapped back to steps as
// for a neural model (mean over covering windows). The components kept are the fewest that hold
// `varianceKept` of the windows' variance (the usual rule; at most maxComponents are fitted).
// Fitted on the series itself (unsupervised, as NAB scores) or on a separate training series.

import { HourglassError } from '../engine/errors.js';
import { fitPca, pcaErrors, pcaTransform, type Pca } from '../apps/pca.js';
import { fitSeriesScaling, scaleSeries } from './scaling.js';
import type { Series } from './series.js';
import { stepScores } from './step_scores.js';
import { slidingWindows, type SeriesWindows } from './windows.js';

export interface SubPcaOptions {
  /** Steps per window (default 64). */
  window?: number;
  /** Default 1. */
  stride?: number;
  /** Share of the windows' variance the kept components hold (default 0.9). */
  varianceKept?: number;
  /** Components fitted at most (default 32). */
  maxComponents?: number;
  /** Fit the scaling and the PCA on this series instead of the scored one. */
  train?: Series;
}

export interface SubPcaResult {
  /** One score per step of the scored series. */
  scores: Float64Array;
  windows: SeriesWindows;
  windowErrors: Float64Array;
  components: number;
  /** The share of the training windows' variance the kept components hold. */
  varianceKept: number;
}

export function subPcaScores(series: Series, options: SubPcaOptions = {}): SubPcaResult {
  const window = options.window ?? 64,
    stride = options.stride ?? 1,
    share = options.varianceKept ?? 0.9,
    maxComponents = options.maxComponents ?? 32;
  if (!(share > 0 && share <= 1)) throw new HourglassError(`varianceKept must be in (0, 1], got ${share}`);
  if (!(Number.isInteger(maxComponents) && maxComponents >= 1))
    throw new HourglassError(`maxComponents must be a whole number, at least 1; got ${maxComponents}`);
  const train = options.train ?? series;
  const scaling = fitSeriesScaling(train, 'standard');
  const trainWindows = slidingWindows(scaleSeries(scaling, train), { window, stride });
  const scored = options.train ? slidingWindows(scaleSeries(scaling, series), { window, stride }) : trainWindows;
  const d = window * trainWindows.features;
  const flat = (w: SeriesWindows) => ({ data: w.data, shape: [w.count, d] });
  const full = fitPca(flat(trainWindows), Math.min(d, maxComponents));
  const { pca, held } = keepVariance(full, flat(trainWindows), share);
  const windowErrors = pcaErrors(pca, flat(scored));
  return {
    scores: stepScores(scored, windowErrors),
    windows: scored,
    windowErrors,
    components: pca.components.length,
    varianceKept: held,
  };
}

/** The fewest leading components holding `share` of the variance of x (all of them if they hold less). */
function keepVariance(p: Pca, x: { data: Float32Array; shape: number[] }, share: number): { pca: Pca; held: number } {
  const [n, d] = [x.shape[0]!, x.shape[1]!];
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) total += (x.data[i * d + j]! - p.mean[j]!) ** 2;
  const k = p.components.length;
  const coefficients = pcaTransform(p, x);
  const along = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) along[c]! += coefficients[i * k + c]! ** 2;
  let held = 0,
    keep = k;
  for (let c = 0; c < k; c++) {
    held += along[c]!;
    if (held >= share * total) {
      keep = c + 1;
      break;
    }
  }
  held = along.subarray(0, keep).reduce((a, b) => a + b, 0);
  return { pca: { mean: p.mean, components: p.components.slice(0, keep) }, held: total > 0 ? held / total : 1 };
}
