// What a trained (or loaded) autoencoder shows on the data: its mean reconstruction error,
// originals above reconstructions for images, the code map, and the anomaly ranking for tables.

import { fitPca, pcaTransform, prepareTable, preprocessingOf, type Autoencoder, type Tensor } from '../src/browser.js';
import { rankRows, showRanking, type Ranking } from './anomalies.js';
import type { CodeMap } from './charts.js';
import type { Dataset } from './datasets.js';
import { drawDigits } from './digits.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The rows the model reads: a table goes through the model's own preprocessing when it has one. */
export function rowsFor(ae: Autoencoder, d: Dataset): Tensor {
  if (d.kind === 'table' && preprocessingOf(ae)) return prepareTable(ae, d.table, d.name).x;
  return d.x;
}

/** The codes projected on their first two principal components (or the one code value and 0). */
function mapCodes(codes: Tensor): { xs: Float32Array; ys: Float32Array } {
  const n = codes.shape[0]!,
    d = codes.shape[1]!;
  if (d < 2) return { xs: codes.data.slice(0, n), ys: new Float32Array(n) };
  const p = pcaTransform(fitPca(codes, 2), codes);
  const xs = new Float32Array(n),
    ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = p[2 * i]!;
    ys[i] = p[2 * i + 1]!;
  }
  return { xs, ys };
}

export interface ShownResults {
  error: number;
  ranking: Ranking | null;
}

/** Fills the results section; throws (with a message) when the model does not fit the data. */
export function showResults(ae: Autoencoder, d: Dataset, map: CodeMap): ShownResults {
  const x = rowsFor(ae, d);
  const scores = ae.score(x);
  const error = scores.reduce((s, v) => s + v, 0) / scores.length;
  $('results').hidden = false;
  const shown = $('recon-error');
  shown.textContent = error.toPrecision(6);
  shown.dataset['value'] = String(error);

  $('digits-figure').hidden = d.kind !== 'images';
  if (d.kind === 'images') {
    const count = 10,
      size = d.height * d.width;
    const first = { data: d.x.data.slice(0, count * size), shape: [count, size] };
    drawDigits($('digits'), first.data, ae.reconstruct(first).data, d.height, d.width, count);
  }

  const { xs, ys } = mapCodes(ae.encode(x));
  map.draw(xs, ys, d.labels);
  const labelled = d.kind === 'images' ? 'coloured by digit' : d.labelColumn ? `coloured by ${d.labelColumn}` : '';
  $('code-map-caption').textContent =
    `The ${ae.codeShape.reduce((a, b) => a * b, 1)}-value codes of all ${x.shape[0]} rows on their two principal components${labelled ? `, ${labelled}` : ''}.`;

  $('anomalies').hidden = d.kind !== 'table';
  const ranking = d.kind === 'table' ? rankRows(ae, x) : null;
  if (ranking) updateRanking(ranking, d);
  return { error, ranking };
}

/** Redraws the ranking for the slider's current share. */
export function updateRanking(r: Ranking, d: Dataset): void {
  if (d.kind !== 'table') return;
  const share = Number($<HTMLInputElement>('threshold').value);
  $('threshold-share').textContent = `${share}%`;
  const body = $<HTMLTableElement>('anomaly-table').tBodies[0]!;
  const { threshold, flagged } = showRanking(body, r, share, d.features, d.labels);
  $('threshold-info').textContent =
    `${flagged} of ${r.scores.length} rows score above ${threshold.toPrecision(4)}${flagged > 50 ? ' (the worst 50 are listed)' : ''}.`;
}
