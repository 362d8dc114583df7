// A JSON request's rows read straight from its bytes (json_row_scan.ts) into the model's rows:
// a table's cells through the same encoding as parsed cells (cell_encoding.ts), or a plain
// model's numbers. null when the body has to be read the general way (request_rows.ts), which
// then gives the same rows or the message for what is wrong.

import { size } from '../layers/layer.js';
import { grownTo, planOf, TableRows } from './cell_encoding.js';
import type { JsonBody } from './json_body.js';
import { scanJsonRows, type CellSink } from './json_row_scan.js';
import type { RequestRows } from './request_rows.js';
import type { ServedModel } from './served_model.js';

/** Rows a sink makes room for at first (a request of more grows it). */
const FIRST_ROWS = 16;

/** A plain (non-table) model's rows: finite numbers only, each row flat and whole. */
class NumberRows implements CellSink {
  data: Float32Array;

  constructor(
    readonly columns: number,
    private capacity: number,
  ) {
    this.data = new Float32Array(capacity * columns);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = Math.max(rows, this.capacity * 2);
    this.data = grownTo(this.data, this.capacity * this.columns);
  }

  number(row: number, column: number, v: number): boolean {
    if (!Number.isFinite(v)) return false;
    this.data[row * this.columns + column] = v;
    return true;
  }

  text(): boolean {
    return false;
  }

  missing(): boolean {
    return false;
  }
}

/**
 * The body's rows, or null for the general path. `general` reads the body that way; a table's
 * text cells (what /impute fills) come from it, since they are asked for rarely.
 */
export function scannedRows(
  model: ServedModel,
  body: JsonBody,
  maxRows: number,
  general: () => RequestRows,
): RequestRows | null {
  const p = model.preprocessing;
  if (p) {
    const plan = planOf(p);
    const sink = new TableRows(plan, FIRST_ROWS);
    const n = scanJsonRows(body.bytes, sink, maxRows);
    if (n === null) return null;
    const { x, mask } = sink.result(n);
    return {
      x: { data: x, shape: [n, plan.width] },
      mask: mask && model.kind === 'autoencoder' ? { data: mask, shape: [n, plan.width] } : null,
      table: () => general().table(),
      style: 'arrays',
    };
  }
  const width = size(model.rowShape);
  const sink = new NumberRows(width, FIRST_ROWS);
  const n = scanJsonRows(body.bytes, sink, maxRows);
  if (n === null) return null;
  return {
    x: { data: sink.data.subarray(0, n * width), shape: [n, ...model.rowShape] },
    mask: null,
    table: () => null,
    style: 'arrays',
  };
}
