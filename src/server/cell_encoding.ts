// A table request's JSON cells (numbers, text, null) straight into network rows, the way
// transformTable encodes the same cells read from a CSV file: numeric columns scaled, text
// columns one-hot, missing cells filled and masked. The CSV path turns every cell into text and
// parses it back; on the scoring server's hot path that round trip was a third of the main
// thread's time, so JSON cells are encoded as the values they already are. The result is
// bit-identical (a finite number's text parses back to the same number), and every cell is
// checked with the message the text path gives.

import { jsonPreview } from '../engine/json_preview.js';
import { isMissing } from '../data/table.js';
import { rowWidth, widthOf, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { unfit } from './request_error.js';

export interface EncodedCells {
  x: Float32Array;
  /** 1 observed, 0 missing per network value; null when no cell is missing. */
  mask: Float32Array | null;
  missingCells: number;
}

/** Encodes rows of cells in the preprocessing's column order (the caller checked each row's length). */
export type CellEncoder = (rows: readonly (readonly unknown[])[]) => EncodedCells;

/** Each category's first position (what indexOf finds, should a damaged file repeat one). */
function firstIndex(categories: string[]): Map<string, number> {
  const at = new Map<string, number>();
  categories.forEach((k, i) => {
    if (!at.has(k)) at.set(k, i);
  });
  return at;
}

/** A cell in a message (1e400 parses as Infinity, which JSON.stringify would show as null). */
const shown = (v: unknown) => (typeof v === 'number' ? String(v) : jsonPreview(v));

export function cellEncoder(p: TabularPreprocessing): CellEncoder {
  const width = rowWidth(p);
  const columns = p.columns.length;
  // Each column's plan in flat arrays (the loop below runs once per cell of every request).
  const offsets = new Int32Array(columns);
  const widths = new Int32Array(columns);
  const numeric = new Uint8Array(columns);
  const center = new Float64Array(columns);
  const scale = new Float64Array(columns).fill(1);
  const fill = new Float64Array(columns);
  const categories: (Map<string, number> | null)[] = [];
  const names = p.columns.map((c) => c.name);
  let offset = 0;
  p.columns.forEach((c, ci) => {
    offsets[ci] = offset;
    widths[ci] = widthOf(c);
    offset += widthOf(c);
    if (c.kind === 'numeric') {
      numeric[ci] = 1;
      center[ci] = c.center;
      scale[ci] = c.scale;
      fill[ci] = c.fill;
      categories.push(null);
    } else categories.push(firstIndex(c.categories));
  });
  return (rows) => {
    const n = rows.length;
    const x = new Float32Array(n * width);
    let mask: Float32Array | null = null;
    let missingCells = 0;
    for (let r = 0; r < n; r++) {
      const row = rows[r]!;
      const base = r * width;
      for (let ci = 0; ci < columns; ci++) {
        const v = row[ci];
        const o = base + offsets[ci]!;
        if (numeric[ci] === 1) {
          if (typeof v === 'number' && Number.isFinite(v)) x[o] = (v - center[ci]!) / scale[ci]!;
          else if (v === null) {
            missingCells++;
            (mask ??= new Float32Array(n * width).fill(1))[o] = 0;
            x[o] = fill[ci]!;
          } else
            throw unfit(
              `rows[${r}], column '${names[ci]}' is ${shown(v)}, but the model learned it as a number (null marks a missing cell)`,
            );
          continue;
        }
        let text: string;
        if (typeof v === 'string') text = v;
        else if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
        else if (v === null) text = '';
        else throw unfit(`rows[${r}], column '${names[ci]}' is ${shown(v)}: expected a category (text) or null`);
        const group = categories[ci]!;
        // Text cells spelled like "NA" are missing, as in a CSV file.
        if (isMissing(text)) {
          missingCells++;
          (mask ??= new Float32Array(n * width).fill(1)).fill(0, o, o + widths[ci]!);
        } else {
          // A category never seen in training stays all-zero: its reconstruction error flags it.
          const k = group.get(text);
          if (k !== undefined) x[o + k] = 1;
        }
      }
    }
    return { x, mask, missingCells };
  };
}
