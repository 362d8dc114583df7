// The tabular preprocessing over a streamed table: fitted in one pass over the rows (running
// counts, Welford mean and variance, min and max, and the distinct values of columns that may be
// categorical), then applied row by row. The result is the same TabularPreprocessing that
// fitPreprocessing gives in memory (up to float rounding of the standard deviation) and is saved
// with the model the same way.

import { HourglassError } from '../engine/errors.js';
import { Dataset } from './dataset.js';
import type { Tensor } from '../engine/tensor.js';
import type { MaskedBatch } from '../model/fit_dataset.js';
import { isMissing } from './table.js';
import {
  rowWidth,
  widthOf,
  type ColumnPlan,
  type Scaling,
  type TabularPreprocessing,
} from './tabular_preprocessing.js';

/** A categorical column with more distinct values than this is refused (one-hot would explode). */
export const MAX_STREAMED_CATEGORIES = 10_000;

interface ColumnStats {
  cells: number;
  numbers: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  distinct: Set<string> | null;
  firstText: { row: number; cell: string } | null;
}

export async function fitPreprocessingStream(
  columns: string[],
  cells: Dataset<string[]>,
  scaling: Scaling,
  file: string,
): Promise<TabularPreprocessing> {
  const stats: ColumnStats[] = columns.map(() => ({
    cells: 0,
    numbers: 0,
    mean: 0,
    m2: 0,
    min: Infinity,
    max: -Infinity,
    distinct: new Set(),
    firstText: null,
  }));
  let row = 0;
  for await (const r of cells) {
    row++;
    if (r.length !== columns.length)
      throw new HourglassError(`${file}: row ${row} has ${r.length} cells, the header ${columns.length}`);
    for (let c = 0; c < columns.length; c++) {
      const cell = r[c]!;
      if (isMissing(cell)) continue;
      const s = stats[c]!;
      s.cells++;
      if (s.distinct) {
        s.distinct.add(cell);
        if (s.distinct.size > MAX_STREAMED_CATEGORIES) s.distinct = null;
      }
      // One parse per cell: isNumber(cell) would parse it again.
      const v = Number(cell);
      if (Number.isFinite(v)) {
        s.numbers++;
        const d = v - s.mean;
        s.mean += d / s.numbers;
        s.m2 += d * (v - s.mean);
        if (v < s.min) s.min = v;
        if (v > s.max) s.max = v;
      } else if (!s.firstText) s.firstText = { row, cell };
    }
  }
  if (row === 0) throw new HourglassError(`${file} has no data rows`);
  const plans = columns.map((name, c): ColumnPlan => {
    const s = stats[c]!;
    if (s.cells === 0) throw new HourglassError(`${file}: column '${name}' has no values (every cell is missing)`);
    if (s.numbers < s.cells) {
      if (s.numbers >= 0.8 * s.cells)
        throw new HourglassError(
          `${file}: column '${name}' holds numbers except at data row ${s.firstText!.row} ('${s.firstText!.cell}'): fix the cell, or leave it empty to mark it missing`,
        );
      if (!s.distinct)
        throw new HourglassError(
          `${file}: column '${name}' has more than ${MAX_STREAMED_CATEGORIES} distinct values to one-hot encode`,
        );
      return { name, kind: 'categorical', categories: [...s.distinct].sort() };
    }
    if (scaling === 'none') return { name, kind: 'numeric', center: 0, scale: 1, fill: s.mean };
    if (scaling === 'minmax') {
      const scale = s.max > s.min ? s.max - s.min : 1;
      return { name, kind: 'numeric', center: s.min, scale, fill: (s.mean - s.min) / scale };
    }
    const sd = Math.sqrt(s.m2 / s.numbers);
    return { name, kind: 'numeric', center: s.mean, scale: sd > 0 ? sd : 1, fill: 0 };
  });
  return { format: 'hourglass-tabular', version: 1, scaling, columns: plans };
}

/** A network row with its mask (1 observed, 0 missing per value; null when nothing is missing). */
export interface PreparedRow {
  x: Float32Array;
  mask: Float32Array | null;
  /** Missing cells of the row (a one-hot group is one cell). */
  missing: number;
}

/** Rows of cells to network rows, as transformTable does for a whole table (no mask). */
export function preparedRows(
  p: TabularPreprocessing,
  columns: string[],
  cells: Dataset<string[]>,
  file: string,
): Dataset<Float32Array> {
  return maskedRows(p, columns, cells, file).map((r) => r.x);
}

/**
 * Rows of cells to network rows and their masks, value for value what transformTable gives for
 * the whole table: the masks stream with the rows, so gaps stay out of the loss.
 */
export function maskedRows(
  p: TabularPreprocessing,
  columns: string[],
  cells: Dataset<string[]>,
  file: string,
): Dataset<PreparedRow> {
  return cells.map(rowPreparer(p, columns, file));
}

/** One row of cells (data row i + 1 of the file) to its network row and mask. */
export function rowPreparer(
  p: TabularPreprocessing,
  columns: string[],
  file: string,
): (r: string[], i: number) => PreparedRow {
  const missing = p.columns.filter((c) => !columns.includes(c.name)).map((c) => `'${c.name}'`);
  if (missing.length)
    throw new HourglassError(`${file}: its columns do not match the model's; missing: ${missing.join(', ')}`);
  const at = p.columns.map((c) => columns.indexOf(c.name));
  const width = rowWidth(p);
  const categories = p.columns.map((c) =>
    c.kind === 'categorical' ? new Map(c.categories.map((k, i) => [k, i])) : null,
  );
  return (r, i) => {
    const x = new Float32Array(width);
    let mask: Float32Array | null = null;
    let o = 0,
      gaps = 0;
    for (let ci = 0; ci < p.columns.length; ci++) {
      const c = p.columns[ci]!;
      const cell = r[at[ci]!]!;
      const w = widthOf(c);
      if (isMissing(cell)) {
        gaps++;
        mask ??= new Float32Array(width).fill(1);
        mask.fill(0, o, o + w);
        if (c.kind === 'numeric') x[o] = c.fill;
      } else if (c.kind === 'numeric') {
        const v = Number(cell);
        if (!Number.isFinite(v))
          throw new HourglassError(
            `${file}: data row ${i + 1}, column '${c.name}' is '${cell}', but the model learned it as a number`,
          );
        x[o] = (v - c.center) / c.scale;
      } else {
        // A category never seen in training stays all-zero: its reconstruction error flags it.
        const k = categories[ci]!.get(cell);
        if (k !== undefined) x[o + k] = 1;
      }
      o += w;
    }
    return { x, mask, missing: gaps };
  };
}

/**
 * Prepared rows grouped into training batches: a plain tensor while a batch has no gaps, else
 * { x, mask } with the observed rows' mask all ones. The last batch of a pass may be smaller.
 */
export function maskedBatches(rows: Dataset<PreparedRow>, batchSize: number): Dataset<Tensor | MaskedBatch> {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new HourglassError(`batch: batchSize must be a positive integer, got ${batchSize}`);
  return Dataset.fromGenerator(async function* () {
    let group: PreparedRow[] = [];
    const flush = (): Tensor | MaskedBatch => {
      const width = group[0]!.x.length;
      const x = new Float32Array(group.length * width);
      const gaps = group.some((r) => r.mask);
      const mask = gaps ? new Float32Array(group.length * width).fill(1) : null;
      group.forEach((r, i) => {
        x.set(r.x, i * width);
        if (r.mask) mask!.set(r.mask, i * width);
      });
      const shape = [group.length, width];
      group = [];
      return mask ? { x: { data: x, shape }, mask: { data: mask, shape } } : { data: x, shape };
    };
    for await (const r of rows) {
      group.push(r);
      if (group.length === batchSize) yield flush();
    }
    if (group.length) yield flush();
  });
}
