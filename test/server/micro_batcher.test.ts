import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '../../src/engine/tensor.js';
import { MicroBatcher } from '../../src/server/micro_batcher.js';

/** Each row's sum, and the batch sizes the operation saw. */
function summing() {
  const sizes: number[] = [];
  const op = (x: Tensor) => {
    const rows = x.shape[0]!,
      w = x.data.length / rows;
    sizes.push(rows);
    return Array.from({ length: rows }, (_, r) => x.data.subarray(r * w, (r + 1) * w).reduce((a, b) => a + b, 0));
  };
  return { sizes, op };
}

const rows = (...sums: number[]): Tensor => ({
  data: Float32Array.from(sums.flatMap((s) => [s, 0])),
  shape: [sums.length, 2],
});

test('with no wait, the requests of one event-loop turn share one batch, run at the end of that turn', async () => {
  const { sizes, op } = summing();
  const b = new MicroBatcher(op, { maxRows: 100, maxWaitMs: 0 });
  const answers = [b.submit(rows(1, 2), null), b.submit(rows(3), null), b.submit(rows(4, 5, 6), null)];
  assert.deepEqual(sizes, [], 'nothing runs inside the turn');
  // Queued after the batcher's end of turn, so it runs after the batch (a timer might not).
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sizes, [6]);
  assert.deepEqual(await Promise.all(answers), [[1, 2], [3], [4, 5, 6]]);
  assert.deepEqual(await b.submit(rows(7), null), [7]);
  assert.deepEqual(sizes, [6, 1], 'a later turn gets its own batch');
  assert.equal(b.batches, 2);
  assert.equal(b.rows, 7);
});

test('a batch runs at once when maxRows rows wait, and otherwise after maxWaitMs', async () => {
  const { sizes, op } = summing();
  const b = new MicroBatcher(op, { maxRows: 3, maxWaitMs: 40 });
  const full = [b.submit(rows(1, 2), null), b.submit(rows(3), null)];
  assert.deepEqual(sizes, [3], 'the request that fills the batch runs it');
  assert.deepEqual(await Promise.all(full), [[1, 2], [3]]);
  const started = performance.now();
  const late = b.submit(rows(9), null);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sizes, [3], 'a positive wait outlasts the turn');
  assert.deepEqual(await late, [9]);
  assert.ok(performance.now() - started >= 39, `ran after ${performance.now() - started} ms`);
});

test('an operation that throws fails every request of its batch', async () => {
  const b = new MicroBatcher<number>(
    () => {
      throw new Error('broken model');
    },
    { maxRows: 100, maxWaitMs: 0 },
  );
  const answers = [b.submit(rows(1), null), b.submit(rows(2), null)];
  for (const a of answers) await assert.rejects(a, /broken model/);
});
