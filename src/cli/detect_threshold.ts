// The threshold `hourglass detect` flags above: one of --threshold, --contamination or --quantile,
// or, with none, the default saved with the model at train time (a quantile of the training
// rows' scores), so the same rows are flagged whatever else the scored data holds. Each choice
// comes with the words that say how it was made, for the report.

import { quantile } from '../apps/anomaly.js';
import { trainingQuantile, type TrainingScores } from '../apps/training_scores.js';
import { HourglassError } from '../engine/errors.js';

export interface ThresholdFlags {
  threshold?: number;
  contamination?: number;
  quantile?: number;
}

export interface ChosenThreshold {
  threshold: number;
  /** How it was chosen, e.g. "the 0.9 quantile of the 455 training rows' scores, saved at train time". */
  how: string;
}

/** A threshold a detector saved itself at train time, with the rule that made it. */
export interface SavedThreshold {
  threshold: number;
  /** E.g. "the 0.99 quantile of the 6,000 training images' scores". */
  rule: string;
}

export function chooseThreshold(
  flags: ThresholdFlags,
  scores: ArrayLike<number>,
  saved: TrainingScores | null,
  savedThreshold?: SavedThreshold,
): ChosenThreshold {
  const given = (['threshold', 'contamination', 'quantile'] as const).filter((k) => flags[k] !== undefined);
  if (given.length > 1)
    throw new HourglassError(
      `give at most one of --threshold, --contamination or --quantile (got ${given.map((k) => `--${k}`).join(' and ')})`,
    );
  if (flags.threshold !== undefined) return { threshold: flags.threshold, how: 'given (--threshold)' };
  if (flags.contamination !== undefined) {
    if (!(flags.contamination < 0.5))
      throw new HourglassError(`--contamination must be below 0.5, got ${flags.contamination}`);
    return {
      threshold: quantile(scores, 1 - flags.contamination),
      how: `flags the top ${flags.contamination} of these rows (--contamination)`,
    };
  }
  if (flags.quantile !== undefined) {
    if (!saved)
      throw new HourglassError(
        'this model folder has no training scores (saved by an older version): give --threshold or --contamination, or train it again',
      );
    return {
      threshold: trainingQuantile(saved, flags.quantile),
      how: `the ${flags.quantile} quantile of the ${saved.rows} training rows' scores (--quantile)`,
    };
  }
  const change = '(--threshold, --contamination or --quantile to change)';
  if (savedThreshold)
    return {
      threshold: savedThreshold.threshold,
      how: `default: ${savedThreshold.rule}, saved at train time ${change}`,
    };
  if (saved)
    return {
      threshold: trainingQuantile(saved, saved.defaultQuantile),
      how: `default: the ${saved.defaultQuantile} quantile of the ${saved.rows} training rows' scores, saved at train time ${change}`,
    };
  // A folder from before training scores were saved: flag PyOD's default share of these rows.
  return {
    threshold: quantile(scores, 0.9),
    how: `default: no training scores saved with this model, so the top 0.1 of these rows ${change}`,
  };
}
