// The streamed series reader (openSeriesStream) against the in-memory one (readSeries) on small
// in-order files: the same steps, times and filled values for each rule of missing cells, gaps
// and duplicate timestamps, with holes at the very start and end of a column (filled from the
// first / last observation), number and date-time timestamps, and a series too short to have a
// usual step; a backwards row and a refused gap give one-line errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSeries } from '../../src/series/read_series.js';
import { openSeriesStream, type SeriesStreamOptions } from '../../src/series/series_stream.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-series-stream-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function compare(text: string, o: Omit<SeriesStreamOptions, 'valueColumns'> & { valueColumns?: string[] }) {
  const file = path.join(tmp, 's.csv');
  fs.writeFileSync(file, text);
  const valueColumns = o.valueColumns ?? ['a', 'b'];
  const m = readSeries(text, { file, ...o, valueColumns });
  const s = await openSeriesStream(file, { ...o, valueColumns });
  const times: number[] = [],
    values: number[] = [];
  for await (const step of s.read()) {
    times.push(step.time);
    values.push(...step.values);
  }
  const what = JSON.stringify(o);
  assert.equal(s.steps, m.steps, what);
  assert.equal(s.timeKind, m.timeKind, what);
  assert.deepEqual(times, Array.from(m.times), what);
  assert.deepEqual(values, Array.from(m.values), what);
}

const rows = (lines: string[]) => ['t,a,note,b', ...lines].join('\n') + '\n';
// Number timestamps, step 10: a gap of 30 after 40, a duplicate at 90, holes at the ends of a.
const numbers = rows([
  '0,,x,1',
  '10,,x,2',
  '20,3,x,',
  '30,4,x,4',
  '40,5,x,5',
  '70,8,x,NA',
  '80,9,x,9',
  '90,10,x,10',
  '90,11,y,',
  '100,,x,12',
  '110,,x,13',
]);

test('streamed steps equal the in-memory reader for each rule', async () => {
  for (const missing of ['interpolate', 'previous'] as const)
    for (const gaps of ['interpolate', 'previous', 'keep'] as const)
      for (const duplicates of ['mean', 'first', 'last'] as const)
        await compare(numbers, { timeColumn: 't', missing, gaps, duplicates });
  // Date-times, 5-minute steps with a 15-minute gap; and two steps (no usual step, gaps untouched).
  const dates = rows([
    '2024-01-01 00:00:00,1,x,1',
    '2024-01-01 00:05:00,,x,2',
    '2024-01-01 00:10:00,3,x,3',
    '2024-01-01 00:25:00,4,x,4',
    '2024-01-01 00:30:00,5,x,',
  ]);
  await compare(dates, { timeColumn: 't', missing: 'interpolate', gaps: 'interpolate', duplicates: 'error' });
  await compare(rows(['0,1,x,2', '50,2,x,3']), {
    timeColumn: 't',
    missing: 'error',
    gaps: 'error',
    duplicates: 'error',
  });
});

test('a row back in time and a refused gap: one-line errors naming the rows', async () => {
  const file = path.join(tmp, 'bad.csv');
  fs.writeFileSync(file, rows(['0,1,x,1', '10,2,x,2', '5,3,x,3', '20,4,x,4']));
  const o: SeriesStreamOptions = {
    timeColumn: 't',
    valueColumns: ['a', 'b'],
    missing: 'error',
    gaps: 'error',
    duplicates: 'error',
  };
  await assert.rejects(
    openSeriesStream(file, o),
    /bad\.csv: timestamps go backwards: row 4 \('5'\) comes after row 3 \('10'\).*sort the file by time/,
  );
  fs.writeFileSync(file, rows(['0,1,x,1', '10,2,x,2', '20,3,x,3', '50,4,x,4']));
  const text = fs.readFileSync(file, 'utf8');
  const inMemory = (() => {
    try {
      readSeries(text, { file, ...o });
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(inMemory, /rows 4 and 5/);
  await assert.rejects(openSeriesStream(file, o), (e: Error) => e.message === inMemory);
});
