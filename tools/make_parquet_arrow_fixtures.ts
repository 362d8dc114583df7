// Writes Parquet files with a second, independent writer (arrow-rs, through parquet-wasm) in the
// layouts hyparquet-writer does not make: version 1 data pages (what pyarrow, Spark and DuckDB
// write by default), dictionary pages with RLE-encoded indices, uncompressed pages, several pages
// per column chunk and several row groups; and one with version 2 pages and dictionaries. Beside
// each, <name>.json holds the same rows as the cells a CSV file would hold: the reference that
// test/data/parquet_pages.test.ts reads them against. parquet-wasm and apache-arrow are not
// dependencies of Hourglass; install them in a scratch folder once and name it:
//   mkdir /tmp/pqw && (cd /tmp/pqw && npm install parquet-wasm@0.8.0 apache-arrow@21)
//   PARQUET_WASM_DIR=/tmp/pqw npx tsx tools/make_parquet_arrow_fixtures.ts

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The little of each library used here, typed for this script.
type DataType = new () => unknown;
interface Arrow {
  tableFromArrays(columns: Record<string, unknown>): unknown;
  vectorFromArray(values: unknown[], type: unknown): unknown;
  tableToIPC(table: unknown, format: 'stream'): Uint8Array;
  Float64: DataType;
  Int32: DataType;
  Bool: DataType;
  Utf8: DataType;
  TimestampMillisecond: DataType;
}
interface PropertiesBuilder {
  setWriterVersion(v: number): PropertiesBuilder;
  setDictionaryEnabled(on: boolean): PropertiesBuilder;
  setCompression(c: number): PropertiesBuilder;
  setMaxRowGroupSize(rows: number): PropertiesBuilder;
  setDataPageSizeLimit(bytes: number): PropertiesBuilder;
  build(): unknown;
}
interface ParquetWasm {
  WriterVersion: { V1: number; V2: number };
  Compression: { UNCOMPRESSED: number; SNAPPY: number };
  Table: { fromIPCStream(bytes: Uint8Array): unknown };
  WriterPropertiesBuilder: new () => PropertiesBuilder;
  writeParquet(table: unknown, properties: unknown): Uint8Array;
}

const scratch = process.env.PARQUET_WASM_DIR;
if (!scratch) throw new Error('set PARQUET_WASM_DIR to a folder with parquet-wasm and apache-arrow installed');
const require = createRequire(path.join(path.resolve(scratch), 'scratch.js'));
const arrow = require('apache-arrow') as Arrow;
const pq = require('parquet-wasm/node') as ParquetWasm;

const dir = 'test/fixtures/data';
const ROWS = 700;
const x = Array.from({ length: ROWS }, (_, i) => (i % 7 === 3 ? null : (i % 37) * 0.25 - 3));
const n = Array.from({ length: ROWS }, (_, i) => (i * 13) % 101);
const flag = Array.from({ length: ROWS }, (_, i) => (i % 11 === 5 ? null : i % 3 === 0));
const kind = Array.from({ length: ROWS }, (_, i) => (i % 9 === 4 ? null : ['red', 'green', 'blue'][i % 3]));
const when = Array.from({ length: ROWS }, (_, i) => 1_700_000_000_000 + i * 60_000);
const table = arrow.tableFromArrays({
  x: arrow.vectorFromArray(x, new arrow.Float64()),
  n: arrow.vectorFromArray(n, new arrow.Int32()),
  flag: arrow.vectorFromArray(flag, new arrow.Bool()),
  kind: arrow.vectorFromArray(kind, new arrow.Utf8()),
  when: arrow.vectorFromArray(when, new arrow.TimestampMillisecond()),
});
const cell = (v: number | string | boolean | null | undefined) =>
  v === null ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
const rows = x.map((_, r) => [x[r], n[r], flag[r], kind[r], when[r]].map(cell));
const reference = JSON.stringify({ columns: ['x', 'n', 'flag', 'kind', 'when'], rows }) + '\n';

const layouts = {
  // Dictionary pages, RLE_DICTIONARY indices, snappy, small pages: several per chunk.
  'arrow_v1_dictionary.parquet': { version: pq.WriterVersion.V1, dictionary: true, codec: pq.Compression.SNAPPY },
  // PLAIN values (booleans bit-packed), no compression.
  'arrow_v1_plain.parquet': { version: pq.WriterVersion.V1, dictionary: false, codec: pq.Compression.UNCOMPRESSED },
  'arrow_v2_dictionary.parquet': { version: pq.WriterVersion.V2, dictionary: true, codec: pq.Compression.SNAPPY },
};
for (const [name, l] of Object.entries(layouts)) {
  const props = new pq.WriterPropertiesBuilder()
    .setWriterVersion(l.version)
    .setDictionaryEnabled(l.dictionary)
    .setCompression(l.codec)
    .setMaxRowGroupSize(300)
    .setDataPageSizeLimit(256)
    .build();
  // writeParquet takes the wasm table: one per file.
  const bytes = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
  fs.writeFileSync(path.join(dir, name), bytes);
  fs.writeFileSync(path.join(dir, `${name}.json`), reference);
  console.log(`wrote ${path.join(dir, name)} (${bytes.length} bytes)`);
}
