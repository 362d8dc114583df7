import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { rowErrors, rowScores } from '../../src/models/reconstruction_error.js';

test("rowScores gives each row the mean squared error over its observed values; rowErrors adds each value's squared error", () => {
  const rng = new Random(11);
  const rows = 37,
    features = 13;
  const x = Float32Array.from({ length: rows * features }, () => rng.uniform() * 4 - 2);
  const out = Float32Array.from({ length: rows * features }, () => rng.uniform() * 4 - 2);
  const mask = Float32Array.from({ length: rows * features }, () => (rng.uniform() < 0.3 ? 0 : 1));
  mask.fill(0, 5 * features, 6 * features); // a row with nothing observed scores 0
  for (const m of [null, mask]) {
    const scores = rowScores(x, out, rows, m);
    const all = rowErrors(x, out, rows, m);
    assert.deepEqual(all.scores, scores, 'rowErrors has the same scores');
    assert.equal(all.features, features);
    for (let j = 0; j < x.length; j++)
      assert.equal(all.errors[j], !m || m[j] === 1 ? Math.fround((out[j]! - x[j]!) ** 2) : 0, `error of value ${j}`);
    for (let r = 0; r < rows; r++) {
      let s = 0,
        n = 0;
      for (let j = r * features; j < (r + 1) * features; j++)
        if (!m || m[j] === 1) {
          s += (out[j]! - x[j]!) ** 2;
          n++;
        }
      assert.equal(scores[r], Math.fround(n ? s / n : 0), `row ${r} (${m ? 'masked' : 'unmasked'})`);
    }
  }
  assert.throws(() => rowScores(x, out.subarray(1), rows), /must have the shape of its input/);
  assert.throws(() => rowScores(x, out, rows, mask.subarray(1)), /the mask has/);
  assert.throws(() => rowErrors(x, out.subarray(1), rows), /must have the shape of its input/);
});
