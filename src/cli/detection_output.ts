// What both detect paths (an autoencoder folder and a detector folder) write and report: the
// scores CSV (row, score, flag, worst features) and the quality against labels when given.

import { averagePrecision, rocAuc } from '../apps/metrics.js';
import { csvCell } from '../data/table.js';
import { writeFileAtomic } from './files.js';

export interface FlaggedRows {
  scores: ArrayLike<number>;
  flagged: Uint8Array;
  topFeatures: Map<number, number[]>;
}

/** Writes the scores CSV and returns how many rows were flagged. */
export function writeScoresCsv(out: string, d: FlaggedRows, featureName: (j: number) => string): number {
  const lines = ['row,score,anomaly,top_features'];
  for (let r = 0; r < d.scores.length; r++)
    lines.push(
      `${r},${d.scores[r]},${d.flagged[r]},${csvCell((d.topFeatures.get(r) ?? []).map(featureName).join(';'))}`,
    );
  writeFileAtomic(out, lines.join('\n') + '\n');
  return d.flagged.reduce((a, b) => a + b, 0);
}

/** ROC-AUC and PR-AUC of the scores against 0/1 labels, or null without labels. */
export function detectionQuality(
  scores: ArrayLike<number>,
  labels: ArrayLike<number> | null,
): { rocAuc: number; prAuc: number } | null {
  return labels ? { rocAuc: rocAuc(scores, labels), prAuc: averagePrecision(scores, labels) } : null;
}
