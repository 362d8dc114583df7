// A table request's JSON cells (numbers, text, null) straight into network rows, the way
// transformTable encodes the same cells read from a CSV file: numeric columns scaled, text
// columns one-hot, missing cells filled and masked. The CSV path turns every cell into text and
// parses it back; on the scoring server's hot path that round trip was a third of the main
// thread's time, so JSON cells are encoded as the values they already are. The result is
// bit-identical (a finite number's text parses back to the same number), and every cell is
// checked with the message the text path gives.
//
// The rows are written by a TableRows sink, which both the encoder of parsed cells below and
// the scanner of raw request bytes (json_row_scan.ts) fill, so the two encode alike.

import { jsonPreview } from '../engine/json_preview.js';
import { isMissing } from '../data/table.js';
import { rowWidth, widthOf, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import type { CellSink } from './json_row_scan.js';
import { unfit } from './request_error.js';

export interface EncodedCells {
  x: Float32Array;
  /** 1 observed, 0 missing per network value; null when no cell is missing. */
  mask: Float32Array | null;
  missingCells: number;
}

/** Encodes rows of cells in the preprocessing's column order (the caller checked each row's length). */
export type CellEncoder = (rows: readonly (readonly unknown[])[]) => EncodedCells;

/** Each column's encoding in flat arrays (read once per cell of every request). */
export interface TablePlan {
  width: number;
  names: string[];
  offsets: Int32Array;
  widths: Int32Array;
  numeric: Uint8Array;
  center: Float64Array;
  scale: Float64Array;
  fill: Float64Array;
  /** Each text column's category positions; null for numeric columns. */
  categories: (Map<string, number> | null)[];
}

/** Each category's first position (what indexOf finds, should a damaged file repeat one). */
function firstIndex(categories: string[]): Map<string, number> {
  const at = new Map<string, number>();
  categories.forEach((k, i) => {
    if (!at.has(k)) at.set(k, i);
  });
  return at;
}

function tablePlan(p: TabularPreprocessing): TablePlan {
  const columns = p.columns.length;
  const plan: TablePlan = {
    width: rowWidth(p),
    names: p.columns.map((c) => c.name),
    offsets: new Int32Array(columns),
    widths: new Int32Array(columns),
    numeric: new Uint8Array(columns),
    center: new Float64Array(columns),
    scale: new Float64Array(columns).fill(1),
    fill: new Float64Array(columns),
    categories: [],
  };
  let offset = 0;
  p.columns.forEach((c, ci) => {
    plan.offsets[ci] = offset;
    plan.widths[ci] = widthOf(c);
    offset += widthOf(c);
    if (c.kind === 'numeric') {
      plan.numeric[ci] = 1;
      plan.center[ci] = c.center;
      plan.scale[ci] = c.scale;
      plan.fill[ci] = c.fill;
      plan.categories.push(null);
    } else plan.categories.push(firstIndex(c.categories));
  });
  return plan;
}

const plans = new WeakMap<TabularPreprocessing, TablePlan>();

/** The preprocessing's plan, made once for every request it reads (parsed or scanned). */
export function planOf(p: TabularPreprocessing): TablePlan {
  let plan = plans.get(p);
  if (!plan) plans.set(p, (plan = tablePlan(p)));
  return plan;
}

/** `a` copied into a longer array, the rest set to `fill` (how the row sinks grow). */
export function grownTo(a: Float32Array, length: number, fill = 0): Float32Array {
  const out = new Float32Array(length);
  if (fill !== 0) out.fill(fill, a.length);
  out.set(a);
  return out;
}

/**
 * Encoded rows as their cells arrive; it grows when more rows come than it was made for. A
 * cell it cannot encode (text in a numeric column, a number that is not finite) is refused with
 * false, and the caller says why.
 */
export class TableRows implements CellSink {
  readonly columns: number;
  x: Float32Array;
  mask: Float32Array | null = null;
  missingCells = 0;

  constructor(
    private readonly plan: TablePlan,
    private capacity: number,
  ) {
    this.columns = plan.names.length;
    this.x = new Float32Array(capacity * plan.width);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = Math.max(rows, this.capacity * 2);
    this.x = grownTo(this.x, this.capacity * this.plan.width);
    if (this.mask) this.mask = grownTo(this.mask, this.x.length, 1);
  }

  number(row: number, ci: number, v: number): boolean {
    if (!Number.isFinite(v)) return false;
    const p = this.plan;
    if (p.numeric[ci] !== 1) return this.text(row, ci, String(v));
    this.x[row * p.width + p.offsets[ci]!] = (v - p.center[ci]!) / p.scale[ci]!;
    return true;
  }

  text(row: number, ci: number, v: string): boolean {
    const p = this.plan;
    if (p.numeric[ci] === 1) return false;
    // Text cells spelled like "NA" are missing, as in a CSV file.
    if (isMissing(v)) return this.missing(row, ci);
    // A category never seen in training stays all-zero: its reconstruction error flags it.
    const k = p.categories[ci]!.get(v);
    if (k !== undefined) this.x[row * p.width + p.offsets[ci]! + k] = 1;
    return true;
  }

  missing(row: number, ci: number): boolean {
    const p = this.plan;
    const o = row * p.width + p.offsets[ci]!;
    this.missingCells++;
    this.mask ??= new Float32Array(this.x.length).fill(1);
    if (p.numeric[ci] === 1) {
      this.mask[o] = 0;
      this.x[o] = p.fill[ci]!;
    } else this.mask.fill(0, o, o + p.widths[ci]!);
    return true;
  }

  /** The first `rows` rows (views: copying them cost a twentieth of a scanned request). */
  result(rows: number): EncodedCells {
    const size = rows * this.plan.width;
    return {
      x: this.x.subarray(0, size),
      mask: this.mask && this.mask.subarray(0, size),
      missingCells: this.missingCells,
    };
  }
}

/** A cell in a message (1e400 parses as Infinity, which JSON.stringify would show as null). */
const shown = (v: unknown) => (typeof v === 'number' ? String(v) : jsonPreview(v));

export function cellEncoder(p: TabularPreprocessing): CellEncoder {
  const plan = planOf(p);
  const columns = plan.names.length;
  return (rows) => {
    const out = new TableRows(plan, rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let ci = 0; ci < columns; ci++) {
        const v = row[ci];
        const taken =
          typeof v === 'number'
            ? out.number(r, ci, v)
            : typeof v === 'string'
              ? out.text(r, ci, v)
              : v === null && out.missing(r, ci);
        if (taken) continue;
        const column = `rows[${r}], column '${plan.names[ci]}' is ${shown(v)}`;
        throw unfit(
          plan.numeric[ci] === 1
            ? `${column}, but the model learned it as a number (null marks a missing cell)`
            : `${column}: expected a category (text) or null`,
        );
      }
    }
    return out.result(rows.length);
  };
}
