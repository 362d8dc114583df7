// Series scaling: standard (mean, n - 1 deviation, as pandas in Keras's example) and min-max
// against closed forms, the round trip back to original units, the JSON it is saved as, and the
// columns that cannot be scaled or do not match.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../src/index.js';
import { readSeries } from '../../src/series/read_series.js';
import { checkSeriesScaling, fitSeriesScaling, scaleSeries, unscaleValues } from '../../src/series/scaling.js';
import { assertClose } from '../helpers/engine.js';

const CSV = 'timestamp,a,b\n0,1,10\n1,2,20\n2,4,0\n3,9,30\n';

test('standard scaling uses the mean and the n - 1 deviation; min-max maps the range to [0, 1]', () => {
  const s = readSeries(CSV);
  const std = fitSeriesScaling(s);
  // a: mean 4, squares 9 + 4 + 0 + 25 = 38, sd sqrt(38 / 3); b: mean 15, squares 25+25+225+225 = 500.
  assertClose(
    std.columns.flatMap((c) => [c.center, c.scale]),
    [4, Math.sqrt(38 / 3), 15, Math.sqrt(500 / 3)],
    1e-15,
    0,
    'standard',
  );
  const scaled = scaleSeries(std, s);
  assertClose(
    scaled.values,
    [1, 2, 4, 9].flatMap((a, i) => [(a - 4) / Math.sqrt(38 / 3), ([10, 20, 0, 30][i]! - 15) / Math.sqrt(500 / 3)]),
    1e-15,
    1e-15,
    'scaled',
  );
  const mm = fitSeriesScaling(s, 'minmax');
  assert.deepEqual(mm.columns, [
    { name: 'a', center: 1, scale: 8 },
    { name: 'b', center: 0, scale: 30 },
  ]);
  assertClose(scaleSeries(mm, s).values, [0, 1 / 3, 1 / 8, 2 / 3, 3 / 8, 0, 1, 1], 1e-15, 1e-15, 'min-max');
});

test('scaled values go back to the original units, in float32 and float64', () => {
  const s = readSeries(CSV);
  for (const method of ['standard', 'minmax'] as const) {
    const p = fitSeriesScaling(s, method);
    const scaled = scaleSeries(p, s);
    assertClose(unscaleValues(p, scaled.values), s.values, 1e-14, 1e-13, `${method} float64`);
    const back32 = unscaleValues(p, Float32Array.from(scaled.values));
    assert.ok(back32 instanceof Float32Array);
    assertClose(back32, s.values, 1e-6, 1e-6, `${method} float32`);
  }
  assert.throws(() => unscaleValues(fitSeriesScaling(s), new Float64Array(3)), /not a whole number of rows of 2/);
});

test('the scaling survives JSON; a damaged one is refused', () => {
  const s = readSeries(CSV);
  const p = fitSeriesScaling(s);
  const back = checkSeriesScaling(JSON.parse(JSON.stringify(p)), 'model.json');
  assert.deepEqual(back, p);
  assert.deepEqual(scaleSeries(back, s).values, scaleSeries(p, s).values);
  for (const bad of [null, {}, { ...p, version: 2 }, { ...p, columns: [{ name: 'a', center: 0, scale: 0 }] }])
    assert.throws(() => checkSeriesScaling(bad, 'model.json'), /model.json: the saved series scaling is damaged/);
});

test('a constant column cannot be scaled; the scaled series must have the fitted columns', () => {
  const flat = readSeries('timestamp,a,b\n0,1,5\n1,2,5\n2,3,5\n', { file: 'flat.csv' });
  assert.throws(() => fitSeriesScaling(flat), /flat.csv: column 'b' is constant \(5\) over all 3 steps/);
  assert.throws(() => fitSeriesScaling(flat, 'minmax'), /column 'b' is constant/);
  const p = fitSeriesScaling(readSeries(CSV));
  const other = readSeries('timestamp,b,c\n0,1,2\n1,3,4\n', { file: 'other.csv' });
  assert.throws(
    () => scaleSeries(p, other),
    /other.csv: the scaling was fitted on column 'a', which is not in this series/,
  );
  // Columns in another order are matched by name, and come out in the fitted order.
  const swapped = readSeries('timestamp,b,a\n0,10,1\n1,20,2\n2,0,4\n3,30,9\n');
  assert.deepEqual(scaleSeries(p, swapped).values, scaleSeries(p, readSeries(CSV)).values);
});
