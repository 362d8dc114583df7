// The training rows' anomaly scores, kept with a model so that a later `detect` with no rule can
// flag by a quantile of them (the same threshold every time, whatever the scored data holds). A
// table of 1,001 quantiles (every 0.1%) stands for the scores: a fixed size whatever the rows,
// and any quantile read back by linear interpolation between neighbours (exact at the 0.1% steps).

import { HourglassError } from '../engine/errors.js';
import { quantile } from './anomaly.js';

export const TRAINING_SCORES_KEY = 'trainingScores';
const STEPS = 1000;

/**
 * The default share flagged: the top 10% of the training rows' scores, the same rule as the
 * anomaly detector's default contamination of 0.1 (PyOD's default too).
 */
export const DEFAULT_TRAINING_QUANTILE = 0.9;

export interface TrainingScores {
  rows: number;
  /** quantiles[i] is the i/1000 quantile of the training scores. */
  quantiles: number[];
  /** The quantile a detect with no rule flags above. */
  defaultQuantile: number;
}

export function summarizeTrainingScores(
  scores: ArrayLike<number>,
  defaultQuantile = DEFAULT_TRAINING_QUANTILE,
): TrainingScores {
  const sorted = Float64Array.from(scores).sort();
  if (sorted.length === 0) quantile(sorted, 0); // refuses an empty set, in its words
  // Read off the sorted scores (quantile() would copy and sort them again for each of the 1,001).
  const at = (q: number) => {
    const pos = q * (sorted.length - 1),
      lo = Math.floor(pos),
      hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  };
  return {
    rows: sorted.length,
    quantiles: Array.from({ length: STEPS + 1 }, (_, i) => at(i / STEPS)),
    defaultQuantile,
  };
}

/** The q-quantile of the training scores, from the saved table. */
export function trainingQuantile(t: TrainingScores, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new HourglassError(`quantile must be between 0 and 1, got ${q}`);
  const pos = q * STEPS,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return t.quantiles[lo]! + (t.quantiles[hi]! - t.quantiles[lo]!) * (pos - lo);
}

/** The saved training scores, checked, or null when a model was saved without them. */
export function checkTrainingScores(v: unknown, where: string): TrainingScores | null {
  if (v === undefined) return null;
  const t = v as TrainingScores;
  if (
    typeof t !== 'object' ||
    t === null ||
    !Array.isArray(t.quantiles) ||
    t.quantiles.length !== STEPS + 1 ||
    !t.quantiles.every((x) => typeof x === 'number' && Number.isFinite(x)) ||
    !(t.defaultQuantile >= 0 && t.defaultQuantile <= 1)
  )
    throw new HourglassError(`${where}: the saved training scores are malformed (${STEPS + 1} quantiles expected)`);
  return t;
}
