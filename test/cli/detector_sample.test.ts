// The seeded reservoir sample a streamed detector trains on: every row in order while the rows
// fit, else exactly `capacity` distinct rows of the file, each with the same chance (checked
// over many seeds against the uniform inclusion probability capacity / rows).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset.js';
import { detectorSampleRows, DETECTOR_SAMPLE_BYTES, sampleRows } from '../../src/cli/stream_detector.js';

const rowsOf = (n: number) =>
  Dataset.fromGenerator(function* () {
    for (let i = 0; i < n; i++) yield Float32Array.of(i, i + 0.5);
  });

test('a sample that holds every row is the file in its order', async () => {
  const s = await sampleRows(rowsOf(50), () => 64, 1);
  assert.equal(s.rows, 50);
  assert.deepEqual(s.x.shape, [50, 2]);
  assert.deepEqual(
    Array.from(s.x.data),
    Array.from({ length: 100 }, (_, k) => (k >> 1) + (k % 2) * 0.5),
  );
});

test('a full sample: capacity distinct rows, each row drawn with probability capacity / rows', async () => {
  const n = 400,
    capacity = 40,
    seeds = 250;
  const drawn = new Float64Array(n);
  for (let seed = 0; seed < seeds; seed++) {
    const s = await sampleRows(rowsOf(n), () => capacity, seed);
    assert.equal(s.rows, n);
    const ids = Array.from({ length: capacity }, (_, r) => s.x.data[2 * r]!);
    assert.equal(new Set(ids).size, capacity);
    ids.forEach((id, r) => {
      assert.equal(s.x.data[2 * r + 1], id + 0.5);
      drawn[id]!++;
    });
  }
  // Each tenth of the file: expected capacity * seeds / 10 = 1,000 draws, SD about 30.
  for (let part = 0; part < 10; part++) {
    const got = drawn.subarray(part * 40, (part + 1) * 40).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(got - 1000) < 150, `rows ${part * 40}-${part * 40 + 39}: ${got} draws`);
  }
});

test('the sample is sized by rows and by bytes', () => {
  assert.equal(detectorSampleRows(10), 100_000);
  assert.equal(detectorSampleRows(1000), Math.floor(DETECTOR_SAMPLE_BYTES / 4000));
});
