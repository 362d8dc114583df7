// Anomaly detection with a trained autoencoder: rows it reconstructs badly are unusual.
// Scores are per-row mean squared reconstruction errors (over observed cells); a threshold comes
// from a contamination rate, a quantile of training scores, or is given; flagged rows name their
// worst features.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../model/model.js';
import { rowErrors, type RowErrors } from '../models/reconstruction_error.js';

/** Squared reconstruction error of every value and each row's mean over its observed values. */
export function squaredErrors(model: Model, x: Tensor, mask: Tensor | null = null): RowErrors {
  return rowErrors(x.data, model.predict(x).data, x.shape[0]!, mask ? mask.data : null);
}

/** Per-row mean squared reconstruction error (over observed values when a mask is given). */
export function anomalyScores(model: Model, x: Tensor, mask: Tensor | null = null): Float32Array {
  return squaredErrors(model, x, mask).scores;
}

/** The q-quantile (0..1) with linear interpolation, as numpy's default. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new HourglassError(`quantile must be between 0 and 1, got ${q}`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new HourglassError('no values to take a quantile of');
  const pos = q * (sorted.length - 1),
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export type ThresholdRule =
  | { threshold: number }
  /** The expected share of anomalies in the scored data (0 < r < 0.5). */
  | { contamination: number }
  /** A quantile of the training data's scores (e.g. 0.99). */
  | { quantile: number; trainingScores: ArrayLike<number> };

export interface Detection {
  scores: Float32Array;
  threshold: number;
  flagged: Uint8Array;
  /** For each flagged row, its features by contribution to the error, largest first (topK of them). */
  topFeatures: Map<number, number[]>;
}

export function detectAnomalies(
  model: Model,
  x: Tensor,
  rule: ThresholdRule,
  topK = 3,
  mask: Tensor | null = null,
): Detection {
  return flagRows(squaredErrors(model, x, mask), rule, topK);
}

/**
 * detectAnomalies on errors already computed (squaredErrors): a caller that needs the scores to
 * choose the threshold predicts once, not twice.
 */
export function flagRows({ errors, scores, rows, features }: RowErrors, rule: ThresholdRule, topK = 3): Detection {
  let threshold: number;
  if ('threshold' in rule) {
    if (!Number.isFinite(rule.threshold)) throw new HourglassError(`threshold must be a number, got ${rule.threshold}`);
    threshold = rule.threshold;
  } else if ('contamination' in rule) {
    if (!(rule.contamination > 0 && rule.contamination < 0.5))
      throw new HourglassError(`contamination must be between 0 and 0.5, got ${rule.contamination}`);
    threshold = quantile(scores, 1 - rule.contamination);
  } else {
    threshold = quantile(rule.trainingScores, rule.quantile);
  }
  const flagged = new Uint8Array(rows);
  const topFeatures = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    if (scores[r]! <= threshold) continue;
    flagged[r] = 1;
    const row = errors.subarray(r * features, (r + 1) * features);
    topFeatures.set(
      r,
      Array.from({ length: features }, (_, j) => j)
        .sort((a, b) => row[b]! - row[a]!)
        .slice(0, topK),
    );
  }
  return { scores, threshold, flagged, topFeatures };
}
