// predict() without batchSize runs blocks of up to 2,048 rows (fewer for wide models, within a
// 64 MB budget): the rows it returns are the same bits as with any batchSize, on two threads,
// and they match a plain float64 forward pass written here.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, sequential, setSeed, setThreads, tensor, type Model } from '../../src/index.js';
import { threadsStarted, workerJobCounts } from '../../src/engine/threads.js';
import { Random } from '../../src/engine/random.js';
import { measureLayout } from '../../src/model/plan_layout.js';
import {
  defaultPredictRows,
  MAX_PREDICT_ROWS,
  MIN_PREDICT_ROWS,
  PREDICT_BUDGET_FLOATS,
} from '../../src/model/predict_rows.js';

after(() => setThreads(1));

const SIZES = [40, 300, 8, 300, 40];
const ACTIVATIONS = ['relu', 'linear', 'relu', 'sigmoid'] as const;

/** A 40-300-8-300-40 autoencoder and a float64 forward pass over its weights. */
function denseAutoencoder(): { ae: Model; forward: (x: Float32Array, rows: number) => Float64Array } {
  setSeed(4);
  const ae = sequential([
    input([SIZES[0]!]),
    ...ACTIVATIONS.map((activation, i) =>
      layers.dense(SIZES[i + 1]!, { activation, biasInitializer: 'glorotUniform' }),
    ),
  ]);
  const weights = ae.getWeights();
  const forward = (x: Float32Array, rows: number) => {
    let h = Float64Array.from(x);
    ACTIVATIONS.forEach((act, l) => {
      const [k, bias] = [weights[2 * l]!, weights[2 * l + 1]!];
      const n = SIZES[l]!,
        m = SIZES[l + 1]!;
      const out = new Float64Array(rows * m);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < m; j++) {
          let s = bias[j]!;
          for (let i = 0; i < n; i++) s += h[r * n + i]! * k[i * m + j]!;
          out[r * m + j] = act === 'relu' ? Math.max(0, s) : act === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
        }
      h = out;
    });
    return h;
  };
  return { ae, forward };
}

/** Two same-padded 3x3 convolutions over images of this shape: wide rows of activations. */
function conv2dLayersForTest(shape: number[], filters: number): Model {
  return sequential([
    input(shape),
    layers.conv2d(filters, { kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d(shape[2]!, { kernelSize: 3, padding: 'same' }),
  ]);
}

test('predict by default runs 2,048-row blocks on two threads, bit-identical to any batchSize and to a float64 forward', async () => {
  setThreads(2);
  for (let i = 0; i < 400 && !threadsStarted(); i++) await new Promise((r) => setTimeout(r, 25));
  const { ae, forward } = denseAutoencoder();
  const rows = 2500; // one full default block and a tail
  const rng = new Random(5);
  const x = tensor(
    Float32Array.from({ length: rows * 40 }, () => rng.uniform()),
    [rows, 40],
  );
  assert.equal(defaultPredictRows(ae.graph, ae.trainableParams()), MAX_PREDICT_ROWS);
  const jobs = workerJobCounts().reduce((a, b) => a + b, 0);
  const byDefault = ae.predict(x, { verbose: false });
  assert.ok(workerJobCounts().reduce((a, b) => a + b, 0) > jobs, 'the kernel worker ran part of the default predict');
  for (const batchSize of [256, 1000, rows]) {
    assert.deepEqual(ae.predict(x, { batchSize, verbose: false }).data, byDefault.data, `batchSize ${batchSize}`);
  }
  const expected = forward(x.data, rows);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i]! - byDefault.data[i]!));
  assert.ok(worst < 1e-5, `largest difference from the float64 forward ${worst}`);
  ae.dispose();
});

test('a wide model gets fewer rows per block, within the budget, never fewer than 256', () => {
  const wide = conv2dLayersForTest([64, 64, 3], 32);
  const rows = defaultPredictRows(wide.graph, wide.trainableParams());
  assert.ok(rows >= MIN_PREDICT_ROWS && rows < MAX_PREDICT_ROWS, `rows ${rows}`);
  assert.equal(rows % MIN_PREDICT_ROWS, 0);
  const floats = (maxBatch: number) =>
    measureLayout(wide.graph, wide.trainableParams(), { mode: 'infer', maxBatch, random: new Random(0) });
  if (rows > MIN_PREDICT_ROWS) assert.ok(floats(rows) <= PREDICT_BUDGET_FLOATS, `${floats(rows)} floats`);
  assert.ok(floats(rows + MIN_PREDICT_ROWS) > PREDICT_BUDGET_FLOATS, 'a larger multiple of 256 would not fit');
  const huge = conv2dLayersForTest([256, 256, 3], 64);
  assert.equal(defaultPredictRows(huge.graph, huge.trainableParams()), MIN_PREDICT_ROWS);
  wide.dispose();
  huge.dispose();
});
