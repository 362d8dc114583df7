// Parquet tables through hyparquet (pure JavaScript, all the usual codecs it ships: snappy,
// gzip via the built-in decompressors). Columns become table cells as CSV would hold them:
// numbers as written, booleans as 1/0, dates and timestamps as milliseconds since 1970, text as
// text (one-hot encoded by the tabular preprocessing), nulls missing.

import { parquetMetadata, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import { HourglassError } from '../engine/errors.js';
import { checkParquetPages } from './parquet_pages.js';
import { ParquetDamage } from './parquet_runs.js';
import type { Table } from './table.js';

export function parquetCellText(v: unknown, column: string, file: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint') return String(Number(v));
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return String(v.getTime());
  throw new HourglassError(
    `${file}: column '${column}' holds nested values (lists or structs), which Hourglass cannot read`,
  );
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function metadata(bytes: Uint8Array, file: string): FileMetaData {
  try {
    return parquetMetadata(toArrayBuffer(bytes));
  } catch (e) {
    throw new HourglassError(`${file} is not a valid Parquet file: ${(e as Error).message}`);
  }
}

function columnNames(meta: FileMetaData, file: string): string[] {
  try {
    return parquetSchema(meta).children.map((c) => c.element.name);
  } catch (e) {
    throw new HourglassError(`${file} is not a valid Parquet file: ${(e as Error).message}`);
  }
}

/** Column names and row count, without reading the data. */
export function parquetInfo(bytes: Uint8Array, file: string): { columns: string[]; rows: number; rowGroups: number } {
  const meta = metadata(bytes, file);
  return { columns: columnNames(meta, file), rows: Number(meta.num_rows), rowGroups: meta.row_groups.length };
}

/** Rows [start, end) of a Parquet file as a table. */
export async function readParquetTable(bytes: Uint8Array, file: string, start?: number, end?: number): Promise<Table> {
  const meta = metadata(bytes, file);
  const columns = columnNames(meta, file);
  const total = Number(meta.num_rows);
  // hyparquet trusts the page headers it decodes: a damaged one can hold it for minutes.
  try {
    checkParquetPages(bytes, meta, start, end);
  } catch (e) {
    if (!(e instanceof ParquetDamage)) throw e;
    throw new HourglassError(`${file} is not a valid Parquet file: ${e.message}`);
  }
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({
      file: toArrayBuffer(bytes),
      metadata: meta,
      // Whole column chunks, the bytes checked above (an offset index could point elsewhere).
      useOffsetIndex: false,
      ...(start !== undefined ? { rowStart: start } : {}),
      ...(end !== undefined ? { rowEnd: end } : {}),
    });
  } catch (e) {
    throw new HourglassError(`${file}: cannot read the Parquet data (${(e as Error).message})`);
  }
  if (total === 0 || objects.length === 0) throw new HourglassError(`${file} has no rows`);
  const rows = objects.map((o) => columns.map((c) => parquetCellText(o[c], c, file)));
  return { columns, rows, headerRow: false };
}
