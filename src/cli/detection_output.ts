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

export const SCORES_CSV_HEADER = 'row,score,anomaly,top_features';

/**
 * The scores CSV's lines for these rows, numbered from `first` (a streamed batch's first row):
 * one format for the in-memory and the streamed detect, whose outputs must be the same bytes.
 */
export function scoresCsvLines(d: FlaggedRows, featureName: (j: number) => string, first = 0): string[] {
  const lines: string[] = [];
  for (let r = 0; r < d.scores.length; r++)
    lines.push(
      `${first + r},${d.scores[r]},${d.flagged[r]},${csvCell((d.topFeatures.get(r) ?? []).map(featureName).join(';'))}`,
    );
  return lines;
}

/** Writes the scores CSV and returns how many rows were flagged. */
export function writeScoresCsv(out: string, d: FlaggedRows, featureName: (j: number) => string): number {
  writeFileAtomic(out, [SCORES_CSV_HEADER, ...scoresCsvLines(d, featureName)].join('\n') + '\n');
  return d.flagged.reduce((a, b) => a + b, 0);
}

/** ROC-AUC and PR-AUC of the scores against 0/1 labels, or null without labels. */
export function detectionQuality(
  scores: ArrayLike<number>,
  labels: ArrayLike<number> | null,
): { rocAuc: number; prAuc: number } | null {
  return labels ? { rocAuc: rocAuc(scores, labels), prAuc: averagePrecision(scores, labels) } : null;
}
