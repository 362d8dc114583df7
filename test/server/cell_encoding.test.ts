// The server's encoding of JSON cells (src/server/cell_encoding.ts) against the CSV path it
// replaces on the hot path: the same cells written as table text and put through
// transformTable give bit-identical rows and the same mask, for every scaling, with missing
// cells (null, and text spelled like "NA"), categories given as numbers, and a category never
// seen in training; cells of the wrong type are refused naming the row and column.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../src/data/table.js';
import { fitPreprocessing, transformTable, type Scaling } from '../../src/data/tabular_preprocessing.js';
import { cellEncoder } from '../../src/server/cell_encoding.js';
import { RequestError } from '../../src/server/request_error.js';
import { breastCancer } from './serve_fixtures.js';

/** A table with one numeric column and two text columns, one of whose categories look like numbers. */
function smallTable(): Table {
  return {
    columns: ['size', 'colour', 'grade'],
    rows: [
      ['1.5', 'red', 'A'],
      ['2.25', 'blue', 'B'],
      ['', 'red', '7'],
      ['-4', 'green', 'B'],
      ['1e3', 'blue', 'A'],
    ],
  };
}

/** Cells as a JSON client sends them: numbers as numbers, '' as null, the rest as text. */
function jsonCells(t: Table, numeric: boolean[]): unknown[][] {
  return t.rows.map((r) => r.map((c, j) => (c === '' ? null : numeric[j] ? Number(c) : c)));
}

function sameEncoding(t: Table, cells: unknown[][], scaling: Scaling, what: string) {
  const p = fitPreprocessing(t, scaling, 'x.csv');
  const want = transformTable(p, t, 'x.csv');
  const got = cellEncoder(p)(cells);
  assert.deepEqual(got.x, want.x.data, `${what}: values`);
  assert.equal(got.missingCells, want.missingCells, `${what}: missing cells`);
  if (want.missingCells === 0) assert.equal(got.mask, null, `${what}: no mask without gaps`);
  else assert.deepEqual(got.mask, want.mask.data, `${what}: mask`);
}

test('JSON cells encode bit-identically to the same cells read as table text', () => {
  const cancer = breastCancer();
  const numeric = cancer.columns.map((_, j) => j < 30);
  for (const scaling of ['standard', 'minmax', 'none'] as Scaling[]) {
    sameEncoding(cancer, jsonCells(cancer, numeric), scaling, `breast cancer, ${scaling}`);
    const small = smallTable();
    sameEncoding(small, jsonCells(small, [true, false, false]), scaling, `small table, ${scaling}`);
  }
  // A category sent as a number matches its text; "NA" text is missing; an unseen category is all zero.
  const small = smallTable();
  const p = fitPreprocessing(small, 'standard', 'x.csv');
  assert.deepEqual(p.columns[2], { name: 'grade', kind: 'categorical', categories: ['7', 'A', 'B'] });
  const asText: Table = {
    columns: small.columns,
    rows: [
      ['2', 'NA', '7'],
      ['3', 'purple', 'B'],
    ],
  };
  const want = transformTable(p, asText, 'x.csv');
  const got = cellEncoder(p)([
    [2, 'NA', 7],
    [3, 'purple', 'B'],
  ]);
  assert.deepEqual(got.x, want.x.data);
  assert.deepEqual(got.mask, want.mask.data);
  assert.equal(got.missingCells, 1);
  // The unseen colour: its three one-hot values are all zero, and it is not missing.
  assert.deepEqual(Array.from(got.x.subarray(8, 11)), [0, 0, 0]);
  assert.deepEqual(Array.from(got.mask?.subarray(8, 11) ?? []), [1, 1, 1]);
});

test('cells of the wrong type are refused with the row, the column and the value', () => {
  const p = fitPreprocessing(smallTable(), 'standard', 'x.csv');
  const encode = cellEncoder(p);
  const cases: [unknown[][], RegExp][] = [
    [
      [
        [1, 'red', 1],
        ['big', 'red', 1],
      ],
      /^rows\[1\], column 'size' is "big", but the model learned it as a number/,
    ],
    [[['NaN', 'red', 'A']], /column 'size' is "NaN"/],
    [[[true, 'red', 'A']], /column 'size' is true/],
    [[[1, { a: 1 }, 'A']], /^rows\[0\], column 'colour' is \{"a":1\}: expected a category \(text\) or null/],
    [[[1, 'red', [2]]], /column 'grade' is \[2\]/],
    [[[Infinity, 'red', 'A']], /column 'size' is Infinity, but/],
  ];
  for (const [cells, message] of cases)
    assert.throws(
      () => encode(cells),
      (e: unknown) => e instanceof RequestError && e.statusCode === 422 && message.test(e.message),
      String(message),
    );
});
