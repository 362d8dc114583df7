// JSON and NDJSON as tables: an array of rows ([1, 2, "a"]) or of objects ({"x": 1, "c": "a"}),
// in one JSON document or one per line. Cells become the text a CSV file would hold, so the same
// missing-value rules and preprocessing apply: null, a missing key and the CSV spellings of "not
// available" are missing; true/false are 1/0; text columns are one-hot encoded. The
// {shape, <name>: rows} files written by `encode --out codes.json` read back as their rows.

import { jsonPreview } from '../engine/json_preview.js';
import { HourglassError } from '../engine/errors.js';
import { isMissing, isNumber, type Table } from './table.js';

type Row = unknown[] | Record<string, unknown>;

function cellText(v: unknown, where: () => string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return v.trim();
  throw new HourglassError(
    `${where()} is ${Array.isArray(v) ? 'an array' : 'an object'}; cells must be numbers, text, true/false or null`,
  );
}

/** Rows of values (arrays or objects) as a table; `line` names a row in messages. */
export function tableFromJsonRows(rows: unknown[], file: string, line: (r: number) => string): Table {
  if (rows.length === 0) throw new HourglassError(`${file} has no rows`);
  const first = rows[0];
  const objects = first !== null && typeof first === 'object' && !Array.isArray(first);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const ok = row !== null && typeof row === 'object' && Array.isArray(row) !== objects;
    if (!ok)
      throw new HourglassError(
        `${file}: ${line(r)} is ${jsonPreview(row, 40)}, but rows are ${objects ? 'objects' : 'arrays'} (like the first)`,
      );
  }
  if (objects) {
    const seen = new Map<string, number>();
    for (const row of rows as Record<string, unknown>[])
      for (const k of Object.keys(row)) if (!seen.has(k)) seen.set(k, seen.size);
    const columns = [...seen.keys()];
    const body = (rows as Record<string, unknown>[]).map((row, r) =>
      columns.map((c) => cellText(row[c], () => `${file}: ${line(r)}, key '${c}'`)),
    );
    return { columns, rows: body, headerRow: false };
  }
  const arrays = rows as unknown[][];
  const text = arrays.map((row, r) => row.map((v, c) => cellText(v, () => `${file}: ${line(r)}, column ${c + 1}`)));
  // As in CSV: a first row of names (not numbers or gaps) is the header.
  const hasHeader = arrays[0]!.some((v) => typeof v === 'string' && !isNumber(v) && !isMissing(v)) && arrays.length > 1;
  const columns = hasHeader ? text[0]! : text[0]!.map((_, i) => `x${i}`);
  const body = hasHeader ? text.slice(1) : text;
  body.forEach((row, r) => {
    if (row.length !== columns.length)
      throw new HourglassError(
        `${file}: ${line(r + (hasHeader ? 1 : 0))} has ${row.length} values, the ${hasHeader ? 'header' : 'first row'} ${columns.length}`,
      );
  });
  if (new Set(columns).size !== columns.length)
    throw new HourglassError(`${file}: a column name appears twice in the header`);
  return { columns, rows: body, headerRow: false };
}

export function parseJsonTable(text: string, file: string): Table {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HourglassError(`${file}: cannot parse as JSON (${(e as Error).message})`);
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    // {shape, codes: [[...], ...]}: the one array of rows in the object.
    const arrays = Object.entries(doc).filter(([k, v]) => k !== 'shape' && Array.isArray(v));
    if (arrays.length !== 1)
      throw new HourglassError(`${file}: expected an array of rows, or an object holding one (found ${arrays.length})`);
    doc = arrays[0]![1];
  }
  if (!Array.isArray(doc)) throw new HourglassError(`${file}: expected an array of rows or of objects`);
  return tableFromJsonRows(doc, file, (r) => `row ${r + 1}`);
}

export function parseNdjsonTable(text: string, file: string): Table {
  const rows: Row[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    try {
      rows.push(JSON.parse(l) as Row);
    } catch (e) {
      throw new HourglassError(`${file}: line ${i + 1} is not JSON (${(e as Error).message})`);
    }
    lines.push(i + 1);
  });
  return tableFromJsonRows(rows, file, (r) => `line ${lines[r]}`);
}
