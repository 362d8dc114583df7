// At train time, the training rows' reconstruction errors (the score detect uses, over observed
// cells) are kept in the model folder's extra metadata, so `hourglass detect` with no rule flags
// above a quantile of them and gives the same threshold every time.

import { anomalyScores } from '../apps/anomaly.js';
import { summarizeTrainingScores, TRAINING_SCORES_KEY } from '../apps/training_scores.js';
import type { Dataset } from '../data/datasets.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { modelRowsOf } from './inputs.js';

export function recordTrainingScores(ae: Autoencoder, ds: Dataset, spec: string): void {
  const { x, mask } = modelRowsOf(ae, ds, spec);
  ae.extra[TRAINING_SCORES_KEY] = summarizeTrainingScores(anomalyScores(ae.model, x, mask));
}
