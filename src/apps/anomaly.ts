// Anomaly detection with a trained autoencoder: rows it reconstructs badly are unusual.
// Scores are per-row mean squared reconstruction errors; a threshold comes from a contamination
// rate, a quantile of training scores, or is given; flagged rows name their worst features.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../model/model.js';

/** Squared reconstruction error of every value, [rows, features]. */
export function squaredErrors(model: Model, x: Tensor): { errors: Float32Array; rows: number; features: number } {
  const out = model.predict(x);
  const rows = x.shape[0]!, features = out.data.length / rows;
  if (out.data.length !== x.data.length) throw new HourglassError('anomaly scores need an autoencoder: its output must have the shape of its input');
  const errors = new Float32Array(out.data.length);
  for (let i = 0; i < errors.length; i++) { const d = out.data[i]! - x.data[i]!; errors[i] = d * d; }
  return { errors, rows, features };
}

function rowMeans(errors: Float32Array, rows: number, features: number): Float32Array {
  const means = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < features; j++) s += errors[r * features + j]!;
    means[r] = s / features;
  }
  return means;
}

/** Per-row mean squared reconstruction error. */
export function anomalyScores(model: Model, x: Tensor): Float32Array {
  const { errors, rows, features } = squaredErrors(model, x);
  return rowMeans(errors, rows, features);
}

/** The q-quantile (0..1) with linear interpolation, as numpy's default. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new HourglassError(`quantile must be between 0 and 1, got ${q}`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new HourglassError('no values to take a quantile of');
  const pos = q * (sorted.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
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

export function detectAnomalies(model: Model, x: Tensor, rule: ThresholdRule, topK = 3): Detection {
  const { errors, rows, features } = squaredErrors(model, x);
  const scores = rowMeans(errors, rows, features);
  let threshold: number;
  if ('threshold' in rule) {
    if (!Number.isFinite(rule.threshold)) throw new HourglassError(`threshold must be a number, got ${rule.threshold}`);
    threshold = rule.threshold;
  } else if ('contamination' in rule) {
    if (!(rule.contamination > 0 && rule.contamination < 0.5)) throw new HourglassError(`contamination must be between 0 and 0.5, got ${rule.contamination}`);
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
    topFeatures.set(r, Array.from({ length: features }, (_, j) => j).sort((a, b) => row[b]! - row[a]!).slice(0, topK));
  }
  return { scores, threshold, flagged, topFeatures };
}
