// Numeric CSV/TSV files: an optional header row, every other cell a finite number. Errors name
// the file, row and column. (Categorical columns and missing cells arrive with tabular models.)

import { parse } from 'csv-parse/sync';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';

export interface NumericTable { data: Tensor; columns: string[] }

export function parseNumericCsv(text: string, file: string): NumericTable {
  const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new HourglassError(`${file}: cannot parse as CSV (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new HourglassError(`${file} has no rows`);
  const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));
  const hasHeader = !rows[0]!.every(isNumber);
  const columns = hasHeader ? rows[0]! : rows[0]!.map((_, i) => `x${i}`);
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) throw new HourglassError(`${file} has a header but no data rows`);
  const cols = columns.length;
  const data = new Float32Array(body.length * cols);
  body.forEach((row, r) => {
    const line = r + (hasHeader ? 2 : 1);
    row.forEach((cell, c) => {
      if (!isNumber(cell)) throw new HourglassError(`${file}: row ${line}, column ${c + 1} ('${columns[c]}') is ${cell === '' ? 'empty' : `'${cell}'`}, not a number`);
      data[r * cols + c] = Number(cell);
    });
  });
  return { data: { data, shape: [body.length, cols] }, columns };
}
