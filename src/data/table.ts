// Tables read from CSV/TSV as text: a header row and cells kept exactly as written, so that a
// tool which fills gaps can hand back every observed cell unchanged. Missing cells are the
// empty string and the usual spellings of "not available".

// csv-parse's Node build uses Buffer; browsers get its browser build (package.json "imports").
import { parse } from '#csv-parse-sync';
import { HourglassError } from '../engine/errors.js';

export interface Table {
  columns: string[];
  rows: string[][];
  /** Whether the file had a header row (line numbers in messages count it). */
  headerRow?: boolean;
}

const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);
export const isMissing = (cell: string): boolean => MISSING.has(cell);
export const isNumber = (cell: string): boolean => cell !== '' && Number.isFinite(Number(cell));

export function parseTable(text: string, file: string): Table {
  const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new HourglassError(`${file}: cannot parse as CSV (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new HourglassError(`${file} has no rows`);
  // A first row of numbers is data: the columns are then named x0, x1, ...
  const hasHeader = !rows[0]!.every((c) => isNumber(c) || isMissing(c));
  const columns = hasHeader ? rows[0]! : rows[0]!.map((_, i) => `x${i}`);
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) throw new HourglassError(`${file} has a header but no data rows`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new HourglassError(`${file}: column '${c}' appears twice in the header`);
    seen.add(c);
  }
  return { columns, rows: body, headerRow: hasHeader };
}

/** One CSV cell, quoted when it holds a quote, comma or line break. */
export const csvCell = (c: string): string => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

/** Writes a table as CSV, quoting cells that need it. */
export function formatTable(t: Table): string {
  return [t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
