// Filling the missing cells of a table: the blanking demo (hides a share of known cells, so the
// fill can be scored), the filled table with its filled cells marked, its CSV for download, and
// the RMSE of the filled cells against the hidden values and against the column means.

import {
  Random,
  formatTable,
  imputeTable,
  isMissing,
  prepareTable,
  preprocessingOf,
  type Autoencoder,
  type Table,
} from '../src/browser.js';
import { prepareDataset, type TableDataset } from './datasets.js';

/** The dataset with `share` of its observed numeric cells blanked at random (seeded); it remembers the truth. */
export function blankCells(d: TableDataset, share: number, seed: number): TableDataset {
  const numeric = d.preprocessing.columns.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
  const candidates: number[] = [];
  const width = d.table.columns.length;
  d.table.rows.forEach((row, r) => {
    for (const c of numeric) if (!isMissing(row[c]!)) candidates.push(r * width + c);
  });
  new Random(seed).shuffle(candidates);
  const rows = d.table.rows.map((r) => r.slice());
  for (const cell of candidates.slice(0, Math.round(share * candidates.length)))
    rows[Math.floor(cell / width)]![cell % width] = '';
  const label = d.labelColumn ? { name: d.labelColumn, at: d.labelAt, values: d.labels! } : null;
  // Blanking twice keeps the first truth (the cells the file really had).
  return prepareDataset({ ...d.table, rows }, d.file, label, d.truth ?? d.table);
}

export interface FillScore {
  /** How many cells the demo blanked. */
  cells: number;
  /** RMSE of the filled cells against the hidden values, in standard deviations of each column. */
  filled: number;
  /** The same for each column's mean (where the filling starts). */
  columnMeans: number;
}

/**
 * Scores a filled table against the demo's hidden values, in the model's network units (each
 * numeric column scaled to unit standard deviation), so that the columns weigh alike.
 */
export function scoreFill(ae: Autoencoder, d: TableDataset, filled: Table): FillScore | null {
  const p = preprocessingOf(ae);
  if (!d.truth || !p) return null;
  // Where each column's values start in a network row (a category takes one value per category).
  const offsets: number[] = [];
  let width = 0;
  for (const c of p.columns) {
    offsets.push(width);
    width += c.kind === 'numeric' ? 1 : c.categories.length;
  }
  const truth = prepareTable(ae, d.truth, d.file).x.data;
  const got = prepareTable(ae, filled, d.file).x.data;
  // Missing cells are prepared at the column's mean: that is the baseline.
  const means = prepareTable(ae, d.table, d.file).x.data;
  let cells = 0,
    sFilled = 0,
    sMeans = 0;
  p.columns.forEach((c, ci) => {
    if (c.kind !== 'numeric') return;
    const at = d.table.columns.indexOf(c.name);
    d.table.rows.forEach((row, r) => {
      if (!isMissing(row[at]!) || isMissing(d.truth!.rows[r]![at]!)) return;
      const i = r * width + offsets[ci]!;
      sFilled += (got[i]! - truth[i]!) ** 2;
      sMeans += (means[i]! - truth[i]!) ** 2;
      cells++;
    });
  });
  return cells ? { cells, filled: Math.sqrt(sFilled / cells), columnMeans: Math.sqrt(sMeans / cells) } : null;
}

export interface Filled {
  table: Table;
  filledCells: number;
  iterations: number;
  score: FillScore | null;
}

/** Fills the dataset's missing cells with the model (the library's chained imputation). */
export function fillTable(ae: Autoencoder, d: TableDataset): Filled {
  const r = imputeTable(ae, d.table, d.file);
  return { table: r.table, filledCells: r.filledCells, iterations: r.iterations, score: scoreFill(ae, d, r.table) };
}

/** The filled table as CSV, with the label column back where the file had it. */
export function filledCsv(d: TableDataset, filled: Table): string {
  if (d.labelAt < 0) return formatTable(filled);
  const put = <T>(row: T[], value: T) => [...row.slice(0, d.labelAt), value, ...row.slice(d.labelAt)];
  return formatTable({
    columns: put(filled.columns, d.labelColumn!),
    rows: filled.rows.map((row, r) => put(row, d.labels![r]!)),
  });
}

/** The first `maxRows` rows that had gaps, filled cells marked (a class, a title and bold text, not colour alone). */
export function showFilledRows(table: HTMLTableElement, d: TableDataset, filled: Table, maxRows = 12): number {
  const gaps = d.table.rows.flatMap((row, r) => (row.some(isMissing) ? [r] : []));
  const head = document.createElement('tr');
  for (const name of ['Row', ...filled.columns]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(
    ...gaps.slice(0, maxRows).map((r) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(r + 1);
      tr.append(th);
      filled.rows[r]!.forEach((cell, c) => {
        const td = document.createElement('td');
        td.textContent = cell;
        if (isMissing(d.table.rows[r]![c]!)) {
          td.className = 'filled';
          td.title = 'filled by the autoencoder';
        }
        tr.append(td);
      });
      return tr;
    }),
  );
  return gaps.length;
}
