// One epoch end for fit and fitDataset (src/model/epoch_end.ts): on the same batches in the same
// order both give the same history (loss, metrics and validation, keys in the same order) and
// hand the callbacks the same logs; each epoch's loss is the row-weighted mean of its batches'
// losses and its val_ values are the model's evaluation on the validation rows at that point,
// checked against those independent measures; both stop a diverging run the same way.

import assert from 'node:assert/strict';
import test from 'node:test';
import { autoencoders, TrainingDivergedError } from '../../src/index.js';
import type { Callback, Logs } from '../../src/model/callbacks.js';
import { Dataset } from '../../src/data/dataset.js';
import { Random } from '../../src/engine/random.js';
import type { Tensor } from '../../src/engine/tensor.js';

const random = new Random(21);
const rowsOf = (n: number): Tensor => ({
  data: Float32Array.from({ length: n * 5 }, () => random.normal()),
  shape: [n, 5],
});
const x = rowsOf(60),
  v = rowsOf(20);

/** Records each epoch's logs, its batches' row-weighted mean loss, and an evaluation of v. */
function recorder(evaluate: () => Record<string, number>) {
  const epochs: Logs[] = [],
    batchMeans: number[] = [],
    evaluations: Record<string, number>[] = [];
  let sum = 0,
    rows = 0;
  const cb: Callback = {
    onBatchEnd: (_s, logs) => {
      sum += logs['loss']! * logs['size']!;
      rows += logs['size']!;
    },
    onEpochEnd: (_e, logs) => {
      epochs.push({ ...logs });
      batchMeans.push(sum / rows);
      evaluations.push(evaluate());
      sum = rows = 0;
    },
  };
  return { cb, epochs, batchMeans, evaluations };
}

test('fit and fitDataset end their epochs alike: the same history and logs, each checked independently', async () => {
  const runs = [];
  for (const streamed of [false, true]) {
    const ae = autoencoders.dense({ hidden: [6], latent: 2 });
    const rec = recorder(() => ae.model.evaluate(v, v, { batchSize: 20 }));
    const common = {
      epochs: 3,
      seed: 3,
      verbose: false,
      validationData: [v, v] as [Tensor, Tensor],
      callbacks: [rec.cb],
    };
    const h = streamed
      ? await ae.fit(Dataset.fromTensor(x).batch(12), common)
      : await ae.fit(x, { ...common, batchSize: 12, shuffle: false });
    runs.push({ h, rec, weights: ae.model.getWeights() });
    ae.dispose();
  }
  const [memory, stream] = runs as [(typeof runs)[0], (typeof runs)[0]];
  assert.deepEqual(Object.keys(stream.h.history), Object.keys(memory.h.history));
  assert.deepEqual(Object.keys(memory.h.history), ['loss', 'mse', 'val_loss', 'val_mse']);
  assert.deepEqual(stream.h.history, memory.h.history);
  assert.deepEqual(stream.h.epoch, [0, 1, 2]);
  assert.deepEqual(stream.rec.epochs, memory.rec.epochs);
  assert.deepEqual(stream.weights, memory.weights);
  for (const { h, rec } of runs) {
    h.history['loss']!.forEach((l, e) => assert.ok(Math.abs(l - rec.batchMeans[e]!) <= 1e-12 * l, `epoch ${e} loss`));
    h.history['val_loss']!.forEach((l, e) => {
      const want = rec.evaluations[e]!['loss']!;
      assert.ok(Math.abs(l - want) <= 1e-6 * want, `epoch ${e} val_loss ${l} vs evaluate ${want}`);
    });
    assert.equal(h.seconds.length, 3);
  }
});

test('fit and fitDataset stop a diverging run with the same error', async () => {
  const errors = [];
  for (const streamed of [false, true]) {
    const ae = autoencoders.dense({ hidden: [6], latent: 2 });
    const o = { epochs: 20, seed: 2, learningRate: 1e6, verbose: false };
    const run = streamed
      ? ae.fit(Dataset.fromTensor(x).batch(12), o)
      : ae.fit(x, { ...o, batchSize: 12, shuffle: false });
    errors.push(
      await run.then(
        () => null,
        (e: unknown) => e,
      ),
    );
    ae.dispose();
  }
  const [a, b] = errors;
  assert.ok(a instanceof TrainingDivergedError && b instanceof TrainingDivergedError, `${String(a)} / ${String(b)}`);
  assert.equal(b.message, a.message);
  assert.equal(b.restoredEpoch, a.restoredEpoch);
});
