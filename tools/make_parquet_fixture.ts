// Writes the Parquet file the reader is tested against (test/fixtures/data/table.parquet), with
// hyparquet-writer (a separate writer from the hyparquet reader), and table.parquet.json: the
// same rows as the cells a CSV file would hold, the test's reference. Run once:
//   npx tsx tools/make_parquet_fixture.ts

import fs from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

const dir = 'test/fixtures/data';
const x = [1.5, -2.25, null, 4, 1e-3, 7.75];
const n = [3, 1, 4, 1, 5, 9];
const flag = [true, false, true, null, false, true];
const kind = ['red', 'blue', null, 'red', 'green', 'blue'];
const when = [0, 86_400_000, 1_700_000_000_000, 42, 1_000, 123_456_789].map((ms) => new Date(ms));

const buffer = parquetWriteBuffer({
  columnData: [
    { name: 'x', data: x, type: 'DOUBLE' },
    { name: 'n', data: n, type: 'INT32' },
    { name: 'flag', data: flag, type: 'BOOLEAN' },
    { name: 'kind', data: kind, type: 'STRING' },
    { name: 'when', data: when, type: 'TIMESTAMP' },
  ],
  // Several row groups, so that reading by rows crosses their edges.
  rowGroupSize: 4,
});
const bytes = new Uint8Array(buffer);
fs.writeFileSync(`${dir}/table.parquet`, bytes);
fs.writeFileSync(`${dir}/bad_truncated.parquet`, bytes.subarray(0, Math.floor(bytes.length / 2)));
const cell = (v: number | string | boolean | Date | null | undefined) =>
  v === null ? '' : v instanceof Date ? String(v.getTime()) : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
const rows = x.map((_, r) => [x[r], n[r], flag[r], kind[r], when[r]].map(cell));
fs.writeFileSync(
  `${dir}/table.parquet.json`,
  JSON.stringify({ columns: ['x', 'n', 'flag', 'kind', 'when'], rows }) + '\n',
);
console.log(`wrote ${dir}/table.parquet (${bytes.length} bytes)`);
