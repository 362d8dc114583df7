// The whole mapping from window errors to a report on the series: per-step scores, the
// threshold, per-step flags and the anomaly intervals.

import type { Series } from './series.js';
import { seriesIntervals, type IntervalOptions, type SeriesInterval } from './intervals.js';
import { stepFlags, stepScores, type StepFlagRule } from './step_scores.js';
import { seriesThreshold, type SeriesThresholdRule } from './threshold.js';
import type { SeriesWindows } from './windows.js';

export interface SeriesDetectionOptions extends IntervalOptions {
  threshold: SeriesThresholdRule;
  /** Default 'all-windows' (Keras's rule). */
  flagRule?: StepFlagRule;
}

export interface SeriesDetection {
  /** Mean error of the windows covering each step. */
  scores: Float64Array;
  threshold: number;
  flagged: Uint8Array;
  intervals: SeriesInterval[];
}

/**
 * `errors` as stepScores takes them (per window, or per step of each window). A contamination
 * rate applies to what the rule compares: the errors for 'all-windows', the step scores for 'mean'.
 */
export function detectSeriesAnomalies(
  series: Pick<Series, 'times' | 'timeKind'>,
  windows: SeriesWindows,
  errors: ArrayLike<number>,
  options: SeriesDetectionOptions,
): SeriesDetection {
  const rule = options.flagRule ?? 'all-windows';
  const scores = stepScores(windows, errors);
  const threshold = seriesThreshold(options.threshold, rule === 'mean' ? scores : errors);
  const flagged = stepFlags(windows, errors, threshold, rule);
  return { scores, threshold, flagged, intervals: seriesIntervals(series, scores, flagged, options) };
}
