// The readers for data as users have it, against files written by other tools: .npy and .npz by
// NumPy (tools/make_data_fixtures.py; manifest.json holds numpy's own reading of each array),
// Parquet by hyparquet-writer (tools/make_parquet_fixture.ts); JSON and NDJSON against the same
// table written as CSV. Malformed and truncated files of each kind get one-line errors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HourglassError } from '../../src/engine/errors.js';
import { loadDataset, readDataset } from '../../src/data/datasets.js';
import { parseNpy } from '../../src/data/npy_read.js';
import { encodeNpy } from '../../src/data/npy.js';
import { parseNpz } from '../../src/data/npz.js';
import { parseJsonTable, parseNdjsonTable } from '../../src/data/json_table.js';
import { readParquetTable } from '../../src/data/parquet.js';
import { parseTable } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';

const DIR = new URL('../fixtures/data/', import.meta.url).pathname;
const read = (f: string) => fs.readFileSync(path.join(DIR, f));
type Entry = { dtype: string; shape: number[]; fortran: boolean; values: number[] };
const manifest = JSON.parse(read('manifest.json').toString()) as Record<string, Entry> & {
  npz: { codes: number[]; labels: number[] };
};

const oneLine = (re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof HourglassError, `expected a HourglassError, got ${String(e)}`);
  assert.match(e.message, re);
  assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
  return true;
};

test('.npy written by NumPy: every dtype, both byte orders, C and Fortran order, 1-D to 4-D', () => {
  const files = Object.keys(manifest).filter((f) => f.endsWith('.npy'));
  assert.ok(files.length >= 30, `${files.length} fixtures`);
  const seen = { be: false, fortran: false, ranks: new Set<number>() };
  for (const f of files) {
    const want = manifest[f]!;
    const a = parseNpy(read(f), f);
    assert.equal(a.dtype, want.dtype, f);
    assert.deepEqual(a.shape, want.shape, f);
    // float32 is what Hourglass computes in: the reference rounded the same way.
    assert.deepEqual(Array.from(a.data), Array.from(Float32Array.from(want.values)), f);
    seen.be ||= want.dtype.startsWith('>');
    seen.fortran ||= want.fortran && want.shape.length > 1;
    seen.ranks.add(want.shape.length);
  }
  assert.ok(seen.be && seen.fortran, 'big-endian and Fortran-order files were read');
  assert.deepEqual([...seen.ranks].sort(), [1, 2, 3, 4]);
});

test('what Hourglass writes as .npy reads back', () => {
  const data = Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5);
  const a = parseNpy(encodeNpy(data, [4, 3]), 'codes.npy');
  assert.deepEqual(a.shape, [4, 3]);
  assert.deepEqual(a.data, data);
});

test('.npy as <data>: rows are the first axis; uint8 images scaled to [0, 1] as IDX files are', () => {
  const ds = loadDataset(path.join(DIR, 'images_u1.npy'));
  const want = manifest['images_u1.npy']!;
  assert.deepEqual(ds.x.shape, [5, 24]);
  assert.deepEqual(ds.image, [6, 4, 1]);
  assert.deepEqual(Array.from(ds.x.data), Array.from(Float32Array.from(want.values, (v) => v / 255)));
  const table = loadDataset(path.join(DIR, 'f8_4d_be_f.npy'));
  assert.deepEqual(table.x.shape, [2, 12]);
  assert.equal(table.image, undefined);
  assert.deepEqual(loadDataset(path.join(DIR, 'f4_1d.npy')).x.shape, [7, 1]);
});

test('.npz from np.savez and np.savez_compressed: arrays chosen by name', () => {
  const pair = parseNpz(read('pair.npz'), 'pair.npz', 'arr_0');
  assert.deepEqual(Array.from(pair.data), Array.from(Float32Array.from(manifest.npz.codes)));
  const named = loadDataset(path.join(DIR, 'named.npz') + ':labels');
  assert.deepEqual(Array.from(named.x.data), manifest.npz.labels);
  assert.deepEqual(loadDataset(path.join(DIR, 'named.npz:codes')).x.shape, [4, 3]);
  assert.throws(
    () => parseNpz(read('named.npz'), 'named.npz'),
    oneLine(/several arrays \('codes', 'labels'\)|several arrays \('labels', 'codes'\)/),
  );
  assert.throws(() => parseNpz(read('named.npz'), 'named.npz', 'nope'), oneLine(/no array 'nope'/));
});

test('malformed and truncated .npy/.npz files are refused in one line, before allocating', () => {
  assert.throws(
    () => parseNpy(read('bad_truncated.npy'), 'x.npy'),
    oneLine(/promises 176 bytes for shape \(3, 4\) of <f4, the file has 171 \(truncated\)/),
  );
  // 10^13 values promised: refused from the header, without trying to allocate 40 TB.
  assert.throws(() => parseNpy(read('bad_huge_header.npy'), 'x.npy'), oneLine(/promises 40000000000128 bytes/));
  assert.throws(() => parseNpy(read('bad_magic.npy'), 'x.npy'), oneLine(/does not start with/));
  assert.throws(() => parseNpy(read('f4_le_c.npy').subarray(0, 20), 'x.npy'), oneLine(/header is cut short/));
  assert.throws(() => parseNpz(read('bad_truncated.npz'), 'x.npz', 'codes'), oneLine(/not a valid \.npz file/));
  const complex = Buffer.from(read('f8_le_c.npy'));
  complex.write("'<c8'", complex.indexOf("'<f8'"), 'latin1');
  assert.throws(() => parseNpy(complex, 'x.npy'), oneLine(/unsupported \.npy dtype '<c8'/));
});

const CSV = 'size,color,weight\n1,red,10\n3,blue,NA\n,red,30\n5,green,null\n';
const OBJECTS = [
  { size: 1, color: 'red', weight: 10 },
  { size: 3, color: 'blue', weight: 'NA' },
  { size: null, color: 'red', weight: 30 },
  { size: 5, color: 'green' },
];

test('JSON and NDJSON tables give the same preprocessed rows as the same CSV', () => {
  const csv = parseTable(CSV, 'shapes.csv');
  const p = fitPreprocessing(csv, 'standard', 'shapes.csv');
  const want = transformTable(p, csv, 'shapes.csv');
  const arrays = [
    ['size', 'color', 'weight'],
    [1, 'red', 10],
    [3, 'blue', 'NA'],
    [null, 'red', 30],
    [5, 'green', null],
  ];
  const tables = [
    parseJsonTable(JSON.stringify(OBJECTS), 'shapes.json'),
    parseJsonTable(JSON.stringify(arrays), 'shapes.json'),
    parseNdjsonTable(OBJECTS.map((o) => JSON.stringify(o)).join('\n') + '\n', 'shapes.ndjson'),
    parseNdjsonTable(arrays.map((o) => JSON.stringify(o)).join('\n'), 'shapes.ndjson'),
  ];
  for (const t of tables) {
    assert.deepEqual(t.columns, ['size', 'color', 'weight']);
    assert.deepEqual(fitPreprocessing(t, 'standard', 'f'), p);
    const got = transformTable(p, t, 'f');
    assert.deepEqual(got.x, want.x);
    assert.deepEqual(got.mask, want.mask);
    assert.equal(got.missingCells, 3);
  }
  // Headerless rows of numbers, and the {shape, codes} files encode writes.
  const codes = parseJsonTable(
    JSON.stringify({
      shape: [2, 2],
      codes: [
        [1, 2],
        [3, true],
      ],
    }),
    'codes.json',
  );
  assert.deepEqual(codes, {
    columns: ['x0', 'x1'],
    rows: [
      ['1', '2'],
      ['3', '1'],
    ],
    headerRow: false,
  });
});

test('malformed JSON and NDJSON are refused in one line naming the place', () => {
  assert.throws(() => parseJsonTable('[{"a": 1}, ', 'f.json'), oneLine(/f\.json: cannot parse as JSON/));
  assert.throws(() => parseJsonTable('[{"a": 1}, [2]]', 'f.json'), oneLine(/row 2 .* rows are objects/));
  assert.throws(() => parseJsonTable('[[1, 2], [3]]', 'f.json'), oneLine(/row 2 has 1 values/));
  assert.throws(() => parseJsonTable('[{"a": {"b": 1}}]', 'f.json'), oneLine(/row 1, key 'a' is an object/));
  assert.throws(() => parseJsonTable('[]', 'f.json'), oneLine(/has no rows/));
  assert.throws(() => parseNdjsonTable('{"a": 1}\n\n{"a": 2', 'f.ndjson'), oneLine(/line 3 is not JSON/));
});

test('Parquet written by hyparquet-writer: numbers, booleans, text, dates and nulls, across row groups', async () => {
  const want = JSON.parse(read('table.parquet.json').toString()) as { columns: string[]; rows: string[][] };
  const t = await readParquetTable(read('table.parquet'), 'table.parquet');
  assert.deepEqual(t.columns, want.columns);
  assert.deepEqual(t.rows, want.rows);
  const part = await readParquetTable(read('table.parquet'), 'table.parquet', 3, 5);
  assert.deepEqual(part.rows, want.rows.slice(3, 5));
  // Through the table path: text one-hot, the rest numeric, nulls masked.
  const ds = await readDataset(path.join(DIR, 'table.parquet'));
  const p = fitPreprocessing(ds.table!, 'minmax', 'table.parquet');
  assert.deepEqual(
    p.columns.map((c) => c.kind),
    ['numeric', 'numeric', 'numeric', 'categorical', 'numeric'],
  );
  const prepared = transformTable(p, ds.table!, 'table.parquet');
  assert.equal(prepared.missingCells, 3);
  await assert.rejects(
    readParquetTable(read('bad_truncated.parquet'), 'x.parquet'),
    oneLine(/x\.parquet is not a valid Parquet file/),
  );
  await assert.rejects(readParquetTable(read('f4_le_c.npy'), 'x.parquet'), oneLine(/not a valid Parquet file/));
});

test('the CLI trains on .npy and evaluates .npz and Parquet', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-readers-'));
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        'import("./src/cli/main.ts").then((m) => m.main(["node", "hourglass", ...process.argv.slice(1)]))',
        '--',
        ...args,
      ],
      {
        encoding: 'utf8',
      },
    );
  try {
    const model = path.join(tmp, 'm');
    const t = cli('train', path.join(DIR, 'f4_3d_f.npy'), '--out', model, '--epochs', '1', '--latent', '2', '--quiet');
    assert.equal(t.status, 0, t.stderr);
    const e = cli('evaluate', model, path.join(DIR, 'f4_3d_f.npy'), '--json');
    assert.equal(e.status, 0, e.stderr);
    const wrong = cli('evaluate', model, path.join(DIR, 'named.npz'));
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /several arrays/);
    const pq = path.join(tmp, 'pq');
    const tp = cli('train', path.join(DIR, 'table.parquet'), '--out', pq, '--epochs', '1', '--latent', '2', '--quiet');
    assert.equal(tp.status, 0, tp.stderr);
    const ep = cli('evaluate', pq, path.join(DIR, 'table.parquet'), '--json');
    assert.equal(ep.status, 0, ep.stderr);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
