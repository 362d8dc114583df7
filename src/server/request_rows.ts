// A request's rows as the model reads them. Three spellings: {"rows": [[...], ...]} (arrays: the
// columns in the model's order for a table, else the row's numbers, nested or flat),
// {"rows": [{"column": value, ...}, ...]} (a table's cells by column name) or CSV text with a
// header. Tables go through the preprocessing saved with the model, as `hourglass detect` reads
// a CSV file; null (or an empty CSV cell) is a missing cell. Everything else is refused with a
// message naming the row and column, before any of it reaches the model.

import { jsonPreview } from '../engine/json_preview.js';
import { isMissing, isNumber, parseTable, type Table } from '../data/table.js';
import { transformTable, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import type { Tensor } from '../engine/tensor.js';
import { size } from '../layers/layer.js';
import { cellEncoder, type CellEncoder } from './cell_encoding.js';
import { JsonBody } from './json_body.js';
import { RequestError, unfit } from './request_error.js';
import { scannedRows } from './scanned_rows.js';
import type { ServedModel } from './served_model.js';

export type RowStyle = 'arrays' | 'objects' | 'csv';

export interface RequestRows {
  x: Tensor;
  /** 1 observed, 0 missing; null when nothing is missing. */
  mask: Tensor | null;
  /** The cells as text, for tables (what /impute fills); built on the first call. */
  table: () => Table | null;
  style: RowStyle;
}

/** The request body (JSON, as its bytes or parsed, or CSV text) as rows for the model. */
export function requestRows(model: ServedModel, body: unknown, maxRows: number): RequestRows {
  if (body instanceof JsonBody) {
    const general = () => requestRows(model, body.value(), maxRows);
    return scannedRows(model, body, maxRows, general) ?? general();
  }
  if (typeof body === 'string') return csvRows(model, body, maxRows);
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { rows?: unknown }).rows))
    throw new RequestError(400, 'the body must be {"rows": [...]} (JSON) or CSV text (Content-Type: text/csv)');
  const rows = (body as { rows: unknown[] }).rows;
  checkCount(rows.length, maxRows);
  const objects = rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
  if (!objects && !rows.every(Array.isArray))
    throw unfit('rows must all be arrays (values in column order) or all objects (values by column name)');
  const p = model.preprocessing;
  if (!p) {
    if (objects)
      throw unfit(
        `this model has no named columns (it was not trained on a table): send each row as an array of ${size(model.rowShape)} numbers`,
      );
    return numberRows(model, rows as unknown[][]);
  }
  const names = p.columns.map((c) => c.name);
  const cells = objects
    ? rows.map((r, i) => objectCells(names, r as Record<string, unknown>, i))
    : (rows as unknown[][]);
  for (let i = 0; i < cells.length; i++)
    if (cells[i]!.length !== names.length)
      throw unfit(
        `rows[${i}] has ${cells[i]!.length} values; the model's table has ${names.length} columns (${listed(names)})`,
      );
  const encoded = encoderOf(p)(cells);
  const n = cells.length,
    width = encoded.x.length / n;
  let table: Table | null = null;
  return {
    x: { data: encoded.x, shape: [n, width] },
    mask: encoded.mask && model.kind === 'autoencoder' ? { data: encoded.mask, shape: [n, width] } : null,
    // The cells as text only when a route asks (/impute): building them costs as much as the encoding.
    table: () =>
      (table ??= {
        columns: names,
        rows: cells.map((r, i) => r.map((v, c) => cellText(v, i, p.columns[c]!))),
      }),
    style: objects ? 'objects' : 'arrays',
  };
}

const encoders = new WeakMap<TabularPreprocessing, CellEncoder>();
function encoderOf(p: TabularPreprocessing): CellEncoder {
  let e = encoders.get(p);
  if (!e) encoders.set(p, (e = cellEncoder(p)));
  return e;
}

function checkCount(rows: number, maxRows: number): void {
  if (rows === 0) throw unfit('the request has no rows');
  if (rows > maxRows)
    throw new RequestError(413, `the request has ${rows} rows; this server takes at most ${maxRows} per request`);
}

const listed = (names: string[]) =>
  names
    .slice(0, 4)
    .map((c) => `'${c}'`)
    .join(', ') + (names.length > 4 ? ', ...' : '');

function objectCells(names: string[], row: Record<string, unknown>, i: number): unknown[] {
  const keys = Object.keys(row);
  // The common case, every column once and nothing else, checked without building lists.
  if (keys.length === names.length && names.every((c) => Object.hasOwn(row, c))) return names.map((c) => row[c]);
  const missing = names.filter((c) => !Object.hasOwn(row, c));
  const extra = keys.filter((c) => !names.includes(c));
  if (missing.length || extra.length)
    throw unfit(
      `rows[${i}]: its columns do not match the model's` +
        (missing.length ? `; missing: ${listed(missing)}` : '') +
        (extra.length ? `; not in the model: ${listed(extra)}` : ''),
    );
  return names.map((c) => row[c]);
}

/** A JSON cell as table text (null is missing); the encoder has already checked every cell. */
function cellText(v: unknown, row: number, c: { name: string }): string {
  if (v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw unfit(`rows[${row}], column '${c.name}' is ${jsonPreview(v)}`);
}

function prepared(model: ServedModel, table: Table): { x: Tensor; mask: Tensor | null } {
  const t = transformTable(model.preprocessing!, table, 'the request');
  return { x: t.x, mask: t.missingCells && model.kind === 'autoencoder' ? t.mask : null };
}

/** Rows of numbers for models trained on arrays or images: nested or flat, every value a finite number. */
function numberRows(model: ServedModel, rows: unknown[][]): RequestRows {
  const width = size(model.rowShape);
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    // A flat row of numbers (the usual request) is read as it is; nested ones are flattened.
    const flat = row.length === width && !row.some(Array.isArray) ? row : row.flat(8);
    if (flat.length !== width)
      throw unfit(
        `rows[${i}] has ${flat.length} values; the model takes ${width} (shape [${model.rowShape.join(', ')}])`,
      );
    for (let j = 0; j < width; j++) {
      const v = flat[j];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw unfit(`rows[${i}], value ${j} is ${jsonPreview(v)}: expected a finite number`);
      data[i * width + j] = v;
    }
  });
  return { x: { data, shape: [rows.length, ...model.rowShape] }, mask: null, table: () => null, style: 'arrays' };
}

function csvRows(model: ServedModel, text: string, maxRows: number): RequestRows {
  const table = parseTable(text, 'the CSV body');
  checkCount(table.rows.length, maxRows);
  if (model.preprocessing) return { ...prepared(model, table), table: () => table, style: 'csv' };
  const width = size(model.rowShape);
  if (table.columns.length !== width)
    throw unfit(`the CSV body has ${table.columns.length} columns; the model takes ${width} values per row`);
  const data = new Float32Array(table.rows.length * width);
  table.rows.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (!isNumber(cell) || isMissing(cell))
        throw unfit(`the CSV body: row ${i + 1}, column ${j + 1} is '${cell}': expected a number`);
      data[i * width + j] = Number(cell);
    }),
  );
  return { x: { data, shape: [table.rows.length, ...model.rowShape] }, mask: null, table: () => null, style: 'csv' };
}
