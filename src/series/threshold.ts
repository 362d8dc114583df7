// Thresholds for errors of windows or scores of steps: given, the largest training error (Keras's
// time-series example), a quantile of the training errors, or a contamination rate (the share of
// the scored values expected to be anomalous). Values above the threshold are anomalous.

import { HourglassError } from '../engine/errors.js';
import { quantile, type ThresholdRule } from '../apps/anomaly.js';

export type SeriesThresholdRule = ThresholdRule | { trainingMaximum: ArrayLike<number> };

/** The threshold the rule gives; `scored` are the values it will be compared with (for contamination). */
export function seriesThreshold(rule: SeriesThresholdRule, scored: ArrayLike<number> = []): number {
  if ('threshold' in rule) {
    if (!Number.isFinite(rule.threshold)) throw new HourglassError(`threshold must be a number, got ${rule.threshold}`);
    return rule.threshold;
  }
  if ('trainingMaximum' in rule) {
    if (rule.trainingMaximum.length === 0) throw new HourglassError('no training errors to take the maximum of');
    return finite(quantile(rule.trainingMaximum, 1), 'the training errors');
  }
  if ('contamination' in rule) {
    if (!(rule.contamination > 0 && rule.contamination < 0.5))
      throw new HourglassError(`contamination must be between 0 and 0.5, got ${rule.contamination}`);
    // Steps no window covers have NaN scores: they are not part of the scored data.
    const known = Array.from(scored).filter((v) => !Number.isNaN(v));
    return finite(quantile(known, 1 - rule.contamination), 'the scores');
  }
  return finite(quantile(rule.trainingScores, rule.quantile), 'the training errors');
}

function finite(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new HourglassError(`${what} hold a value that is not a finite number (${v})`);
  return v;
}
