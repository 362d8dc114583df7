// Turning a table into rows a network can learn from, and back: numeric columns scaled (standard
// or min-max, fitted on the training data), text columns one-hot encoded, missing cells tracked
// as a mask (0) and filled with the column's mean in scaled units (0 for standard scaling). The
// fitted preprocessing is plain JSON, saved in the model folder and applied again at inference.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { isMissing, isNumber, type Table } from './table.js';

export type Scaling = 'standard' | 'minmax' | 'none';

export type ColumnPlan =
  | { name: string; kind: 'numeric'; center: number; scale: number; fill: number }
  | { name: string; kind: 'categorical'; categories: string[] };

export interface TabularPreprocessing {
  format: 'hourglass-tabular';
  version: 1;
  scaling: Scaling;
  columns: ColumnPlan[];
}

export interface PreparedRows {
  x: Tensor;
  /** 1 observed, 0 missing, per network value (a one-hot group shares its cell's flag). */
  mask: Tensor;
  missingCells: number;
}

export function fitPreprocessing(t: Table, scaling: Scaling, file: string): TabularPreprocessing {
  const columns = t.columns.map((name, c): ColumnPlan => {
    const cells = t.rows.map((r) => r[c]!).filter((v) => !isMissing(v));
    if (cells.length === 0) throw new HourglassError(`${file}: column '${name}' has no values (every cell is missing)`);
    const numbers = cells.filter(isNumber).length;
    if (numbers < cells.length) {
      // A column of numbers with a few stray words is a data error, not a category column.
      if (numbers >= 0.8 * cells.length) {
        const r = t.rows.findIndex((row) => !isMissing(row[c]!) && !isNumber(row[c]!));
        throw new HourglassError(
          `${file}: column '${name}' holds numbers except at row ${r + (t.headerRow === false ? 1 : 2)} ('${t.rows[r]![c]}'): fix the cell, or leave it empty to mark it missing`,
        );
      }
      return { name, kind: 'categorical', categories: [...new Set(cells)].sort() };
    }
    const v = cells.map(Number);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    if (scaling === 'none') return { name, kind: 'numeric', center: 0, scale: 1, fill: mean };
    if (scaling === 'minmax') {
      const lo = Math.min(...v),
        hi = Math.max(...v);
      const scale = hi > lo ? hi - lo : 1;
      return { name, kind: 'numeric', center: lo, scale, fill: (mean - lo) / scale };
    }
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { name, kind: 'numeric', center: mean, scale: sd > 0 ? sd : 1, fill: 0 };
  });
  return { format: 'hourglass-tabular', version: 1, scaling, columns };
}

/** Network values per column (1, or the number of categories). */
export const widthOf = (c: ColumnPlan): number => (c.kind === 'numeric' ? 1 : c.categories.length);
export const rowWidth = (p: TabularPreprocessing): number => p.columns.reduce((s, c) => s + widthOf(c), 0);

/** The names of the network's values: numeric columns as they are, categories as column=value. */
export function featureNames(p: TabularPreprocessing): string[] {
  return p.columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.categories.map((k) => `${c.name}=${k}`)));
}

/** The source column of each network value. */
export function featureColumns(p: TabularPreprocessing): number[] {
  return p.columns.flatMap((c, i) => Array.from({ length: widthOf(c) }, () => i));
}

/** Checks that the table has the columns the preprocessing was fitted on, naming any difference. */
export function checkColumns(p: TabularPreprocessing, t: Table, file: string): void {
  const want = p.columns.map((c) => c.name);
  const missing = want.filter((c) => !t.columns.includes(c));
  const extra = t.columns.filter((c) => !want.includes(c));
  if (missing.length || extra.length) {
    throw new HourglassError(
      `${file}: its columns do not match the model's` +
        (missing.length ? `; missing: ${missing.map((c) => `'${c}'`).join(', ')}` : '') +
        (extra.length ? `; not in the model: ${extra.map((c) => `'${c}'`).join(', ')}` : ''),
    );
  }
}

export function transformTable(p: TabularPreprocessing, t: Table, file: string): PreparedRows {
  checkColumns(p, t, file);
  const at = p.columns.map((c) => t.columns.indexOf(c.name));
  const width = rowWidth(p),
    n = t.rows.length;
  const x = new Float32Array(n * width),
    mask = new Float32Array(n * width).fill(1);
  let missingCells = 0;
  t.rows.forEach((row, r) => {
    let o = r * width;
    p.columns.forEach((c, ci) => {
      const cell = row[at[ci]!]!;
      const w = widthOf(c);
      if (isMissing(cell)) {
        missingCells++;
        mask.fill(0, o, o + w);
        if (c.kind === 'numeric') x[o] = c.fill;
      } else if (c.kind === 'numeric') {
        if (!isNumber(cell))
          throw new HourglassError(
            `${file}: row ${r + 2}, column '${c.name}' is '${cell}', but the model learned it as a number`,
          );
        x[o] = (Number(cell) - c.center) / c.scale;
      } else {
        // A category never seen in training stays all-zero: its reconstruction error flags it.
        const k = c.categories.indexOf(cell);
        if (k >= 0) x[o + k] = 1;
      }
      o += w;
    });
  });
  return { x: { data: x, shape: [n, width] }, mask: { data: mask, shape: [n, width] }, missingCells };
}

/** Network rows back to cells in original units; a one-hot group becomes its largest category. */
export function inverseRows(p: TabularPreprocessing, x: Float32Array): string[][] {
  const width = rowWidth(p),
    n = x.length / width;
  const rows: string[][] = [];
  for (let r = 0; r < n; r++) {
    let o = r * width;
    rows.push(
      p.columns.map((c) => {
        // Six significant digits: what survives float32 network values.
        if (c.kind === 'numeric') return String(Number((x[o++]! * c.scale + c.center).toPrecision(6)));
        let best = 0;
        for (let k = 1; k < c.categories.length; k++) if (x[o + k]! > x[o + best]!) best = k;
        o += c.categories.length;
        return c.categories[best]!;
      }),
    );
  }
  return rows;
}

/** Validates preprocessing read back from a model folder. */
export function checkPreprocessing(v: unknown, file: string): TabularPreprocessing {
  const p = v as Partial<TabularPreprocessing>;
  const ok =
    p &&
    p.format === 'hourglass-tabular' &&
    p.version === 1 &&
    Array.isArray(p.columns) &&
    p.columns.every(
      (c) =>
        c &&
        typeof c.name === 'string' &&
        (c.kind === 'numeric'
          ? [c.center, c.scale, c.fill].every(Number.isFinite)
          : c.kind === 'categorical' && Array.isArray(c.categories) && c.categories.length > 0),
    );
  if (!ok) throw new HourglassError(`${file}: the saved tabular preprocessing is damaged`);
  return p as TabularPreprocessing;
}
