// Reading series from CSV text: the timestamp and value columns found or chosen, times read as
// UTC, and each check a series needs (the message names the row and column) with its repairs.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as api from '../../src/index.js';
import { HourglassError } from '../../src/index.js';
import { readSeries, type ReadSeriesOptions } from '../../src/series/read_series.js';
import { stepTime } from '../../src/series/series.js';
import { parseDateTime } from '../../src/series/timestamps.js';

/** Asserts reading fails with a one-line HourglassError matching every pattern. */
function refuses(csv: string, options: ReadSeriesOptions, ...patterns: RegExp[]): void {
  assert.throws(
    () => readSeries(csv, { file: 'x.csv', ...options }),
    (e: unknown) => {
      assert.ok(e instanceof HourglassError, `not a HourglassError: ${String(e)}`);
      assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
      for (const p of patterns) assert.match(e.message, p);
      return true;
    },
  );
}

const minute = 60_000;

test('the timestamp column is found by name, the other numeric columns are the values', () => {
  const s = readSeries(
    'Time,a,label,b\n2014-04-01 00:00:00,1,x,10\n2014-04-01 00:05:00,2,y,20\n2014-04-01 00:10:00,3,x,30\n',
  );
  assert.equal(s.timeColumn, 'Time');
  assert.equal(s.timeKind, 'datetime');
  assert.deepEqual(s.columns, ['a', 'b']);
  assert.deepEqual(s.ignoredColumns, ['label']);
  assert.deepEqual(Array.from(s.values), [1, 10, 2, 20, 3, 30]);
  assert.equal(s.times[0], Date.UTC(2014, 3, 1, 0, 0, 0));
  assert.equal(s.step, 5 * minute);
  assert.deepEqual(Array.from(s.sourceRows), [2, 3, 4]);
  assert.equal(stepTime(s, 2), '2014-04-01 00:10:00');

  const chosen = readSeries('when,a,b\n1,5,6\n2,7,8\n', { timeColumn: 'when', valueColumns: ['b', 'a'] });
  assert.equal(chosen.timeKind, 'number');
  assert.deepEqual(chosen.columns, ['b', 'a']);
  assert.deepEqual(Array.from(chosen.values), [6, 5, 8, 7]);
  assert.deepEqual(Array.from(chosen.times), [1, 2]);
});

test('times without a zone are UTC; zones and fractions are honoured', () => {
  assert.equal(parseDateTime('2014-04-10 07:15:00.000000'), Date.UTC(2014, 3, 10, 7, 15));
  assert.equal(parseDateTime('2014-04-10T07:15:00+02:00'), Date.UTC(2014, 3, 10, 5, 15));
  assert.equal(parseDateTime('2014-04-10T07:15:00.25Z'), Date.UTC(2014, 3, 10, 7, 15, 0, 250));
  assert.equal(parseDateTime('2014-04-10'), Date.UTC(2014, 3, 10));
  for (const bad of ['2014-02-30', '2014-13-01', '2014-04-10 25:00', 'yesterday', '10/04/2014'])
    assert.ok(Number.isNaN(parseDateTime(bad)), bad);
});

test('which column is the timestamp: none, several, or a name that is not there', () => {
  refuses('a,b\n1,2\n3,4\n', {}, /no timestamp column/, /timeColumn/);
  refuses('date,time,v\n2014-04-01,00:00,1\n', {}, /several columns/, /'date', 'time'/);
  refuses('timestamp,v\n1,2\n', { timeColumn: 'ts' }, /no column 'ts'/);
  refuses('timestamp,v\n1,2\n', { valueColumns: ['timestamp'] }, /is the timestamp column/);
  refuses('timestamp,note\n1,a\n2,b\n', {}, /no numeric value column/, /'note'/);
});

test('an unparsable timestamp is named by row and column', () => {
  refuses(
    'timestamp,v\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n2014-04-31 00:10:00,3\n',
    {},
    /row 4/,
    /'timestamp'/,
    /'2014-04-31 00:10:00'/,
  );
  refuses('timestamp,v\n2014-04-01 00:00:00,1\n,2\n', {}, /row 3/, /empty/);
});

test('time going backwards names both rows; repeated timestamps are refused or merged', () => {
  refuses('timestamp,v\n1,1\n2,2\n4,3\n3,4\n', {}, /row 5 \('3'\) comes after row 4 \('4'\)/);
  const dup = 'timestamp,v,w\n1,1,5\n2,2,\n2,4,6\n3,3,7\n';
  refuses(dup, {}, /rows 3 and 4 have the same timestamp '2'/, /duplicates/);
  const mean = readSeries(dup, { duplicates: 'mean' });
  assert.deepEqual(Array.from(mean.values), [1, 5, 3, 6, 3, 7]);
  assert.equal(mean.repairs.duplicatesMerged, 1);
  assert.deepEqual(Array.from(mean.sourceRows), [2, 3, 5]);
  assert.deepEqual(Array.from(readSeries(dup, { duplicates: 'last' }).values), [1, 5, 4, 6, 3, 7]);
  // The first row's w is missing: the missing rule then applies to it (error by default).
  refuses(dup, { duplicates: 'first' }, /row 3, column 'w' is missing/);
  refuses('timestamp,v\n1,1\n2,2\n2,\n', { duplicates: 'last' }, /row 4, column 'v' is missing/);
});

test('text in a value column is named by row and column', () => {
  refuses('timestamp,v\n1,1\n2,2\n3,oops\n4,4\n5,5\n', {}, /row 4, column 'v' is 'oops', not a number/);
  refuses('timestamp,v,kind\n1,1,a\n2,2,b\n', { valueColumns: ['v', 'kind'] }, /row 2, column 'kind' is 'a'/);
});

test('missing values: an error naming the row by default, or interpolated in time, or carried forward', () => {
  // Times 0, 1, 3, 4: the value at 3 lies between v(1) = 10 and v(4) = 40, two thirds of the way.
  const csv = 'timestamp,v,w\n0,0,1\n1,10,NA\n3,,3\n4,40,4\n';
  refuses(csv, {}, /row 3, column 'w' is missing \('NA'\)/, /missing: 'interpolate' or 'previous'/);
  const lin = readSeries(csv, { missing: 'interpolate', gaps: 'keep' });
  const w1 = 1 + (3 - 1) * (1 / 3); // w between (0, 1) and (3, 3)
  assert.deepEqual(Array.from(lin.values), [0, 1, 10, w1, 30, 3, 40, 4]);
  assert.equal(lin.repairs.missingFilled, 2);
  const prev = readSeries(csv, { missing: 'previous', gaps: 'keep' });
  assert.deepEqual(Array.from(prev.values), [0, 1, 10, 1, 10, 3, 40, 4]);
  // Leading and trailing holes take the nearest observation.
  const edges = readSeries('timestamp,v\n0,\n1,5\n2,7\n3,\n', { missing: 'interpolate' });
  assert.deepEqual(Array.from(edges.values), [5, 5, 7, 7]);
  refuses(
    'timestamp,v,w\n0,1,\n1,2,\n',
    { missing: 'interpolate', valueColumns: ['v', 'w'] },
    /column 'w' has no values/,
  );
  refuses('timestamp,v,w\n0,1,\n1,2,\n', {}, /column 'w' has no values/);
});

test('gaps in the sampling: an error naming both rows, filled on the usual step, or kept', () => {
  const csv = [
    'timestamp,v',
    '2014-04-01 00:00:00,0',
    '2014-04-01 00:05:00,1',
    '2014-04-01 00:10:00,2',
    '2014-04-01 00:25:00,5',
    '2014-04-01 00:30:00,6',
  ].join('\n');
  refuses(csv, {}, /rows 4 and 5/, /15 minutes apart/, /usual step is 5 minutes/, /gaps: 'interpolate'/);
  const lin = readSeries(csv, { gaps: 'interpolate' });
  assert.equal(lin.steps, 7);
  assert.deepEqual(
    Array.from(lin.times),
    [0, 5, 10, 15, 20, 25, 30].map((m) => Date.UTC(2014, 3, 1) + m * minute),
  );
  assert.deepEqual(Array.from(lin.values), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(lin.sourceRows), [2, 3, 4, 0, 0, 5, 6]);
  assert.equal(lin.repairs.gapStepsInserted, 2);
  assert.equal(lin.repairs.missingFilled, 0);
  assert.deepEqual(Array.from(readSeries(csv, { gaps: 'previous' }).values), [0, 1, 2, 2, 2, 5, 6]);
  const kept = readSeries(csv, { gaps: 'keep' });
  assert.equal(kept.steps, 5);
  assert.equal(kept.repairs.irregularSteps, 1);
  // A difference that is not a whole number of steps cannot be filled on the grid.
  const odd = 'timestamp,v\n0,0\n5,1\n10,2\n17,3\n22,4\n';
  refuses(odd, {}, /rows 4 and 5 \('10', '17'\) are 7 apart/, /gaps: 'keep'/);
  refuses(odd, { gaps: 'interpolate' }, /not a whole number of steps/);
  assert.equal(readSeries(odd, { gaps: 'keep' }).repairs.irregularSteps, 1);
});

test('options are checked', () => {
  refuses('timestamp,v\n0,1\n', { missing: 'zero' as never }, /missing must be 'error', 'interpolate', 'previous'/);
  refuses('timestamp,v\n0,1\n', { gaps: 'fill' as never }, /gaps must be/);
  refuses('timestamp,v\n0,1\n', { valueColumns: [] }, /valueColumns is empty/);
});

test('files are read through the platform file access; the pieces are in the public API', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-series-'));
  try {
    const file = path.join(dir, 'two.tsv');
    fs.writeFileSync(file, 'timestamp\tv\n2020-01-01\t1\n2020-01-02\t3\n');
    const s = api.loadSeries(file);
    assert.equal(s.file, file);
    assert.deepEqual(Array.from(s.values), [1, 3]);
    assert.equal(s.step, 86_400_000);
    assert.throws(() => api.loadSeries(path.join(dir, 'none.csv')), /none.csv does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const name of [
    'readSeries',
    'fitSeriesScaling',
    'scaleSeries',
    'unscaleValues',
    'slidingWindows',
    'windowErrors',
    'stepScores',
    'stepFlags',
    'seriesThreshold',
    'seriesIntervals',
    'detectSeriesAnomalies',
    'rollingZScores',
    'subPcaScores',
    'labelsFromWindows',
    'evaluateStepScores',
    'loadNabSeries',
  ])
    assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
});
