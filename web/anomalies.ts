// The table's anomaly ranking: rows by reconstruction error, the top share flagged by the
// threshold slider, each flagged row with the feature it reconstructs worst.

import { detectAnomalies, quantile, type Autoencoder, type Tensor } from '../src/browser.js';

export interface Ranking {
  scores: Float32Array;
  /** Rows, worst first. */
  order: number[];
  /** Each row's worst feature (by squared error). */
  worst: number[];
}

/** Scores every row once (the slider then only moves the threshold). */
export function rankRows(ae: Autoencoder, x: Tensor): Ranking {
  // Threshold below every score: each row gets its worst features.
  const d = detectAnomalies(ae.model, x, { threshold: -1 }, 1);
  const rows = x.shape[0]!;
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => d.scores[b]! - d.scores[a]!);
  const worst = Array.from({ length: rows }, (_, i) => d.topFeatures.get(i)?.[0] ?? 0);
  return { scores: d.scores, order, worst };
}

/** Fills the table body with the rows above the (1 - share) quantile of the scores; returns the threshold. */
export function showRanking(
  body: HTMLTableSectionElement,
  r: Ranking,
  sharePercent: number,
  features: string[],
  labels: string[] | null,
  maxRows = 50,
): { threshold: number; flagged: number } {
  const threshold = quantile(r.scores, 1 - sharePercent / 100);
  const flagged = r.order.filter((i) => r.scores[i]! > threshold);
  body.replaceChildren(
    ...flagged.slice(0, maxRows).map((row, rank) => {
      const tr = document.createElement('tr');
      const cells = [
        String(rank + 1),
        String(row + 1),
        r.scores[row]!.toPrecision(4),
        labels ? labels[row]! : '–',
        features[r.worst[row]!] ?? '–',
      ];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      }
      return tr;
    }),
  );
  return { threshold, flagged: flagged.length };
}
