// Drawing from a variational autoencoder: codes from its prior N(0, I) decoded into new images
// (a grid) or new table rows, and for images a walk along the straight line between the codes of
// two digits of different labels.

import { inverseRows, preprocessingOf, type Tensor, type VariationalAutoencoder } from '../src/browser.js';
import type { Dataset } from './datasets.js';
import { drawGrid } from './digits.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export const SAMPLE_GRID = { count: 32, columns: 8 };
const PATH_STEPS = 10,
  TABLE_SAMPLES = 6;

/** One row of a tensor, as a one-row tensor. */
function rowOf(x: Tensor, r: number): Tensor {
  const width = x.data.length / x.shape[0]!;
  return { data: x.data.slice(r * width, (r + 1) * width), shape: [1, ...x.shape.slice(1)] };
}

/** Draws new samples (a new seed each call) and, for images, the walk between two digits. */
export function drawSamples(vae: VariationalAutoencoder, d: Dataset, seed: number): void {
  $('vae-images').hidden = d.kind !== 'images';
  $('vae-rows').hidden = d.kind !== 'table';
  if (d.kind === 'images') {
    const samples = vae.sample(SAMPLE_GRID.count, { seed });
    drawGrid($('vae-samples'), samples.data, SAMPLE_GRID.count, SAMPLE_GRID.columns, d.height, d.width);
    const a = 0,
      b = d.labels.findIndex((l) => l !== d.labels[a]);
    const walk = vae.interpolate(rowOf(d.x, a), rowOf(d.x, b), PATH_STEPS);
    drawGrid($('vae-path'), walk.data, PATH_STEPS, PATH_STEPS, d.height, d.width);
    $('vae-path-caption').textContent =
      `From the code of row 1 (a ${d.labels[a]}) to that of row ${b + 1} (a ${d.labels[b]}) in ${PATH_STEPS} steps.`;
    return;
  }
  const p = preprocessingOf(vae) ?? d.preprocessing;
  const rows = inverseRows(p, vae.sample(TABLE_SAMPLES, { seed }).data);
  const table = $<HTMLTableElement>('vae-table');
  const cell = (tag: 'th' | 'td', text: string) => {
    const e = document.createElement(tag);
    e.textContent = text;
    if (tag === 'th') e.scope = 'col';
    return e;
  };
  const head = document.createElement('tr');
  head.append(cell('th', 'Sample'), ...p.columns.map((c) => cell('th', c.name)));
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(
    ...rows.map((row, i) => {
      const tr = document.createElement('tr');
      tr.append(cell('td', String(i + 1)), ...row.map((v) => cell('td', v)));
      return tr;
    }),
  );
}
