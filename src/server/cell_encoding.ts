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

type Column =
  | { name: string; offset: number; numeric: true; center: number; scale: number; fill: number }
  | { name: string; offset: number; numeric: false; width: number; categories: Map<string, number> };

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

export function cellEncoder(p: TabularPreprocessing): CellEncoder {
  const width = rowWidth(p);
  let offset = 0;
  const columns: Column[] = p.columns.map((c) => {
    const at = offset;
    offset += widthOf(c);
    return c.kind === 'numeric'
      ? { name: c.name, offset: at, numeric: true, center: c.center, scale: c.scale, fill: c.fill }
      : {
          name: c.name,
          offset: at,
          numeric: false,
          width: c.categories.length,
          categories: firstIndex(c.categories),
        };
  });
  return (rows) => {
    const n = rows.length;
    const x = new Float32Array(n * width);
    let mask: Float32Array | null = null;
    let missingCells = 0;
    const missing = (o: number, w: number) => {
      missingCells++;
      mask ??= new Float32Array(n * width).fill(1);
      mask.fill(0, o, o + w);
    };
    for (let r = 0; r < n; r++) {
      const row = rows[r]!;
      const base = r * width;
      for (let ci = 0; ci < columns.length; ci++) {
        const c = columns[ci]!;
        const v = row[ci];
        const o = base + c.offset;
        if (c.numeric) {
          if (typeof v === 'number' && Number.isFinite(v)) x[o] = (v - c.center) / c.scale;
          else if (v === null) {
            missing(o, 1);
            x[o] = c.fill;
          } else
            throw unfit(
              `rows[${r}], column '${c.name}' is ${jsonPreview(v)}, but the model learned it as a number (null marks a missing cell)`,
            );
          continue;
        }
        let text: string;
        if (typeof v === 'string') text = v;
        else if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
        else if (v === null) text = '';
        else throw unfit(`rows[${r}], column '${c.name}' is ${jsonPreview(v)}: expected a category (text) or null`);
        // Text cells spelled like "NA" are missing, as in a CSV file.
        if (isMissing(text)) missing(o, c.width);
        else {
          // A category never seen in training stays all-zero: its reconstruction error flags it.
          const k = c.categories.get(text);
          if (k !== undefined) x[o + k] = 1;
        }
      }
    }
    return { x, mask, missingCells };
  };
}
