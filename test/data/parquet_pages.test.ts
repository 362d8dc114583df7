// The page checks that run before hyparquet decodes a Parquet file (src/data/parquet_pages.ts,
// parquet_runs.ts). Valid files from two independent writers (hyparquet-writer: version 2 pages;
// arrow-rs through parquet-wasm: version 1 and 2 pages, dictionaries, RLE booleans, several pages
// per chunk and row groups, made by tools/make_parquet_arrow_fixtures.mjs) must read as the rows
// their writers were given, whole and by row ranges; run walks are checked against runs encoded
// by hand from the format's definition; damaged files are refused naming what is damaged.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { encodingsParquet } from '../helpers/parquet_encodings.js';
import { HourglassError } from '../../src/engine/errors.js';
import { readParquetTable } from '../../src/data/parquet.js';
import { walkDeltaPacked } from '../../src/data/parquet_delta.js';
import { ParquetDamage, walkHybridRuns } from '../../src/data/parquet_runs.js';
import { checkSnappy } from '../../src/data/parquet_snappy.js';
import { snappyUncompress } from 'hyparquet';

const DIR = new URL('../fixtures/data/', import.meta.url).pathname;
const REGRESSIONS = new URL('../fuzz/regressions/parquet/', import.meta.url).pathname;
const read = (file: string) => new Uint8Array(fs.readFileSync(path.join(DIR, file)));

const VALID = ['table.parquet', 'arrow_v1_dictionary.parquet', 'arrow_v1_plain.parquet', 'arrow_v2_dictionary.parquet'];

for (const file of VALID) {
  test(`valid Parquet reads as its writer's rows: ${file}`, async () => {
    const want = JSON.parse(fs.readFileSync(path.join(DIR, `${file}.json`), 'utf8')) as {
      columns: string[];
      rows: string[][];
    };
    const whole = await readParquetTable(read(file), file);
    assert.deepEqual(whole.columns, want.columns);
    assert.deepEqual(whole.rows, want.rows);
    // Row ranges that start and end inside row groups (the arrow files have 300-row groups).
    const n = want.rows.length;
    for (const [start, end] of [
      [1, Math.min(n, 5)],
      [Math.floor(n / 3), Math.floor((2 * n) / 3) + 1],
      [n - 1, n],
    ] as const) {
      const part = await readParquetTable(read(file), file, start, end);
      assert.deepEqual(part.rows, want.rows.slice(start, end), `${file} rows [${start}, ${end})`);
    }
  });
}

test('every encoding hyparquet-writer writes passes the checks and reads as written', async () => {
  // Uncompressed 512-byte pages in 300-row groups: many pages per chunk, none compressed.
  const n = 1000;
  const bytes = encodingsParquet({
    rows: n,
    offset: 500,
    categories: 17,
    dictionary: true,
    rowGroupSize: 300,
    pageSize: 512,
  });
  const t = await readParquetTable(bytes, 'encodings.parquet');
  const want = Array.from({ length: n }, (_, i) => [
    String(i * 3 - 500),
    String(i * 1000),
    String(i / 8),
    i % 9 ? `k${i % 17}` : '',
    `v${i}`,
    i % 7 ? (i % 2 === 0 ? '1' : '0') : '',
    i % 11 ? `r${i % 3}` : '',
  ]);
  assert.deepEqual(t.rows, want);
});

const view = (bytes: number[]) => new DataView(new Uint8Array(bytes).buffer);

test('run walks: bit-packed and RLE runs as the format encodes them', () => {
  // Levels 1,1,0,1 bit-packed, 1 bit each: header (1 group << 1) | 1 = 0x03, bits LSB first 0b1011.
  assert.deepEqual(walkHybridRuns(view([0x03, 0x0b]), 0, 2, 1, 4, 'levels', 1), { end: 2, matches: 3 });
  assert.deepEqual(walkHybridRuns(view([0x03, 0x0b]), 0, 2, 1, 4, 'levels', 0), { end: 2, matches: 1 });
  // 3-bit values 0..7 in one group: 24 bits little-endian = 0b111110101100011010001000.
  const packed = [0x03, 0x88, 0xc6, 0xfa];
  assert.deepEqual(walkHybridRuns(view(packed), 0, 4, 3, 8, 'indices', 5), { end: 4, matches: 1 });
  // An RLE run of 300 values of 1 (header 600 as a varint: 0xd8 0x04), then one of 2 values of 0.
  const rle = [0xd8, 0x04, 0x01, 0x04, 0x00];
  assert.deepEqual(walkHybridRuns(view(rle), 0, 5, 1, 302, 'levels', 1), { end: 5, matches: 300 });
  // Two-byte values for widths 9 to 16: 0x0102 repeated 3 times.
  assert.deepEqual(walkHybridRuns(view([0x06, 0x02, 0x01]), 0, 3, 9, 3, 'indices', 0x0102), { end: 3, matches: 3 });
});

test('run walks refuse runs past their values or their bytes', () => {
  const damage = (bytes: number[], width: number, count: number, message: RegExp) =>
    assert.throws(
      () => walkHybridRuns(view(bytes), 0, bytes.length, width, count, 'the levels'),
      (e: unknown) => {
        assert.ok(e instanceof ParquetDamage);
        assert.match(e.message, message);
        return true;
      },
    );
  // The hang: a run of 2^31 - 1 values (a 5-byte varint) in a page of 4.
  damage([0xfe, 0xff, 0xff, 0xff, 0x0f, 0x01], 1, 4, /a run of 2147483647 values where 4 remain/);
  damage([0xd8, 0x04, 0x01], 1, 299, /a run of 300 values where 299 remain/);
  // Eight groups of 1-bit values need 8 bytes.
  damage([0x11, 0xff], 1, 64, /a bit-packed run of 64 values in 1 bytes/);
  damage([0x01], 1, 4, /a bit-packed run of 0 values/);
  // A varint with its continuation bit set at the end of the bytes, and runs that end early.
  damage([0x80], 1, 4, /end inside a run header/);
  damage([0x04, 0x01], 1, 4, /end inside a run header/);
  damage([0x08], 1, 4, /end inside a run/);
});

test("delta walks: the format's examples, and block headers it does not allow", () => {
  // 1..5: block of 128 values in 4 miniblocks, 5 values, first 1 (zigzag 2); min delta 1, widths 0.
  const five = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0];
  const walk = walkDeltaPacked(view(five), 0, five.length, 5, 'lengths', true);
  assert.deepEqual([...walk.values!], [1, 2, 3, 4, 5]);
  assert.equal(walk.end, five.length);
  // 7, 5, 3, 1, 2, 3, 4, 5 (the format's second example): min delta -2, deltas +0 x3, +3 x4 at 2 bits.
  const eight = [0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 0x02, 0, 0, 0, 0xc0, 0xff, 0, 0, 0, 0, 0, 0];
  const packed = walkDeltaPacked(view(eight), 0, eight.length, 8, 'lengths', true);
  assert.deepEqual([...packed.values!], [7, 5, 3, 1, 2, 3, 4, 5]);
  for (const [header, claim] of [
    [[0x80, 0x01, 0x00], /blocks of 128 values in 0 miniblocks/],
    [[0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f], /blocks of 128 values in -1 miniblocks/],
    [[0x64, 0x04], /blocks of 100 values in 4 miniblocks/],
  ] as const) {
    const bytes = [...header, 0x05, 0x02, 0x02, 0, 0, 0, 0];
    assert.throws(() => walkDeltaPacked(view(bytes), 0, bytes.length, 5, 'the lengths'), claim);
  }
});

test('snappy walks: a stream encoded by hand passes, damaged elements are refused', () => {
  // "abcabca": length 7, a literal of 3 bytes (tag (3 - 1) << 2), a copy of 4 from 3 back (tag 0x01).
  const stream = new Uint8Array([0x07, 0x08, 0x61, 0x62, 0x63, 0x01, 0x03]);
  checkSnappy(stream, 7, 'the page');
  const out = new Uint8Array(7);
  snappyUncompress(stream, out);
  assert.equal(new TextDecoder().decode(out), 'abcabca');
  assert.throws(() => checkSnappy(stream, 8, 'the page'), /decompress to 7 bytes, the header claims 8/);
  // A literal whose 4-byte length has its top bit set: negative in hyparquet's arithmetic.
  const negative = new Uint8Array([0x07, 0xfc, 0x05, 0x00, 0x00, 0x80, 0x61, 0x62]);
  assert.throws(() => checkSnappy(negative, 7, 'the page'), /a snappy literal of -2147483642 bytes/);
  const before = new Uint8Array([0x07, 0x08, 0x61, 0x62, 0x63, 0x01, 0x09]);
  assert.throws(() => checkSnappy(before, 7, 'the page'), /a snappy copy from 9 bytes back of 3 written/);
});

test('damaged Parquet files that hung hyparquet are refused, naming the damaged page', async () => {
  const cases: [string, RegExp][] = [
    [
      'level-length-missing-nan-offset-hang.bin',
      /row group 2, column 'flag': page 1: repetition_levels_byte_length is missing/,
    ],
    ['v2-num-nulls-missing-hang.bin', /page 1: num_nulls is missing/],
    ['compressed-size-missing-hang.bin', /page 1: compressed_page_size is missing/],
    [
      'delta-negative-miniblocks-hang.bin',
      /column 't': page 1: the prefix lengths claim blocks of 128 values in -1 miniblocks/,
    ],
    [
      'snappy-negative-literal-length-hang.bin',
      /column 'when': page 1: its bytes hold a snappy literal of -1073215482 bytes/,
    ],
    ['rle-run-over-page-values.bin', /the definition levels hold a run of 16 values where 2 remain/],
    ['bit-packed-run-over-level-bytes.bin', /the definition levels hold a bit-packed run of 136 values in 1 bytes/],
  ];
  for (const [file, message] of cases) {
    await assert.rejects(
      readParquetTable(new Uint8Array(fs.readFileSync(path.join(REGRESSIONS, file))), 'x.parquet'),
      (e: unknown) => {
        assert.ok(e instanceof HourglassError, file);
        assert.match(e.message, /^x\.parquet is not a valid Parquet file: /);
        assert.match(e.message, message, file);
        assert.ok(!e.message.includes('\n'), file);
        return true;
      },
    );
  }
});

test('a page that claims more values than its levels hold is refused', async () => {
  // arrow_v1_plain.parquet is uncompressed: its first data page's num_values (38, a zigzag varint
  // 0x4c after the DataPageHeader's field header 0x15) is found by its bytes and raised to 63.
  const bytes = read('arrow_v1_plain.parquet');
  const at = bytes.indexOf(0x4c, 4);
  assert.equal(bytes[at - 1], 0x15);
  const damaged = bytes.slice();
  damaged[at] = 0x7e;
  await assert.rejects(
    readParquetTable(damaged, 'x.parquet'),
    /row group 1, column 'x': page 1: the definition levels end inside a run header/,
  );
});
