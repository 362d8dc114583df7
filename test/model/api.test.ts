// The Keras-style API: functional and sequential models, shared-weight sub-models, data forms,
// shape errors that name the layer, NaN stops, callbacks, early stopping, determinism.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callbacks,
  HourglassError,
  input,
  layers,
  model,
  sequential,
  setSeed,
  tensor,
  type Model,
} from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { randomArray } from '../helpers/engine.js';

function data(rows: number, cols: number, seed: number) {
  const rng = new Random(seed);
  return tensor(
    Float32Array.from(randomArray(rows * cols, rng), (v) => 0.5 + 0.5 * v),
    [rows, cols],
  );
}

function seedAutoencoder(): { ae: Model; encoder: Model; decoder: Model } {
  const x = input([20]);
  const enc = layers.dense(10, { activation: 'relu' });
  const dec = layers.dense(20, { activation: 'sigmoid' });
  const h = enc.apply(x);
  const ae = model({ inputs: x, outputs: dec.apply(h) });
  const encoder = model({ inputs: x, outputs: h });
  const code = input([10]);
  const decoder = model({ inputs: code, outputs: dec.apply(code) });
  return { ae, encoder, decoder };
}

test('encoder and decoder sub-models share the trained weights', async () => {
  setSeed(1);
  const { ae, encoder, decoder } = seedAutoencoder();
  ae.compile({ optimizer: 'adam', loss: 'mse' });
  const x = data(300, 20, 2);
  await ae.fit(x, x, { epochs: 3, batchSize: 64, verbose: false });
  const full = ae.predict(x);
  const composed = decoder.predict(encoder.predict(x));
  assert.deepEqual(Array.from(composed.data), Array.from(full.data));
});

test('nested arrays work as inputs and sequential builds the same stack', async () => {
  setSeed(3);
  const m = sequential([input([3]), layers.dense(2, { activation: 'tanh' }), layers.dense(3)]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const rows = [
    [0.1, 0.2, 0.3],
    [0.3, 0.2, 0.1],
  ];
  const h = await m.fit(rows, rows, { epochs: 2, verbose: false });
  assert.equal(h.history['loss']!.length, 2);
  assert.deepEqual(m.predict(rows).shape, [2, 3]);
  assert.throws(() => m.predict([[1, 2], [3]] as number[][]), /rectangular/);
});

test('a shape mismatch names the layer and both shapes', () => {
  const { ae } = seedAutoencoder();
  ae.compile({ optimizer: 'adam', loss: 'mse' });
  assert.throws(
    () => ae.predict(data(4, 21, 1)),
    (e: Error) =>
      e instanceof HourglassError &&
      /\[4, 21\]/.test(e.message) &&
      /'input(_\d+)?'/.test(e.message) &&
      /\[batch, 20\]/.test(e.message),
  );
  const other = input([7]);
  assert.throws(() => ae.layers[1]!.apply(other), /built for input \[batch, 20\].*\[batch, 7\]/);
});

test('NaN in the data and a diverging loss stop with clear errors', async () => {
  const { ae } = seedAutoencoder();
  ae.compile({ optimizer: { name: 'sgd', learningRate: 1e30 }, loss: 'mse' });
  const bad = data(10, 20, 1);
  bad.data[25] = NaN;
  await assert.rejects(ae.fit(bad, bad, { verbose: false }), /NaN at row 1, column 5/);
  // Linear layers: with ReLU the first huge step can kill every hidden unit, and whether it does
  // depends on rounding (the fused multiply-add build differs), leaving a finite saturated loss.
  const linear = sequential([input([20]), layers.dense(10), layers.dense(20)]);
  linear.compile({ optimizer: { name: 'sgd', learningRate: 1e30 }, loss: 'mse' });
  const x = data(64, 20, 1);
  await assert.rejects(linear.fit(x, x, { epochs: 5, batchSize: 8, verbose: false }), /loss became (NaN|Infinity)/);
});

test('predict handles any number of rows in batches, matching one-row predictions', async () => {
  setSeed(5);
  const { ae } = seedAutoencoder();
  const x = data(1001, 20, 6);
  const all = ae.predict(x, { batchSize: 128 });
  const one = ae.predict(tensor(x.data.slice(20 * 1000), [1, 20]));
  assert.deepEqual(Array.from(all.data.slice(20 * 1000)), Array.from(one.data));
});

test('callbacks see every batch and epoch; early stopping restores the best weights', async () => {
  setSeed(7);
  const { ae } = seedAutoencoder();
  ae.compile({ optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'mse' });
  const x = data(200, 20, 8);
  let batches = 0,
    epochs = 0;
  const seen: number[][] = [];
  const es = callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true, minDelta: 1e9 });
  const h = await ae.fit(x, x, {
    epochs: 10,
    batchSize: 50,
    validationSplit: 0.2,
    verbose: false,
    callbacks: [
      {
        onBatchEnd: () => {
          batches++;
        },
        onEpochEnd: (_e, logs) => {
          epochs++;
          seen.push([logs['val_loss']!]);
        },
      },
      {
        onEpochEnd: (e, _l, ctx) => {
          if (e === 0) seenWeights.push(ctx.getWeights());
        },
      },
      es,
    ],
    validationData: undefined,
  });
  // minDelta is huge, so epoch 0 stays best: training stops after patience+1 more epochs and restores epoch 0.
  assert.equal(epochs, 2);
  assert.equal(batches, 2 * Math.ceil(160 / 50));
  assert.equal(h.history['val_loss']!.length, 2);
  assert.deepEqual(
    ae.getWeights().map((w) => Array.from(w)),
    seenWeights[0]!.map((w) => Array.from(w)),
  );
});
const seenWeights: Float32Array[][] = [];

test('the same seed gives bit-identical weights and losses', async () => {
  const run = async () => {
    setSeed(11);
    const x = input([20]);
    const h = layers
      .dropout(0.2)
      .apply(layers.dense(10, { activation: 'relu' }).apply(layers.gaussianNoise(0.1).apply(x)));
    const m = model({ inputs: x, outputs: layers.dense(20, { activation: 'sigmoid' }).apply(h) });
    m.compile({ optimizer: 'adam', loss: 'bce', seed: 3 });
    const d = data(256, 20, 12);
    const hist = await m.fit(d, d, { epochs: 3, batchSize: 32, verbose: false });
    return { losses: hist.history['loss']!, weights: m.getWeights().map((w) => Array.from(w)) };
  };
  const a = await run(),
    b = await run();
  assert.deepEqual(a, b);
});

test('compile and fit reject bad options clearly', async () => {
  const { ae } = seedAutoencoder();
  assert.throws(() => ae.compile({ optimizer: 'adamx' as 'adam', loss: 'mse' }), /unknown optimizer 'adamx'/);
  assert.throws(() => ae.compile({ optimizer: 'adam', loss: 'mse2' as 'mse' }), /unknown loss 'mse2'/);
  await assert.rejects(ae.fit([[1]], [[1]]), /compile/);
  ae.compile({ optimizer: 'adam', loss: 'mse' });
  const x = data(10, 20, 1);
  await assert.rejects(ae.fit(x, x, { batchSize: 0, verbose: false }), /batchSize/);
  assert.throws(() => layers.dense(0), /units/);
  assert.throws(() => layers.dense(3, { activation: 'swish' as 'relu' }), /unknown activation 'swish'/);
});

test('summary lists layers, shapes and parameter counts', () => {
  const { ae } = seedAutoencoder();
  const s = ae.summary(() => {});
  assert.match(s, /\[batch, 10\]\s+210/);
  assert.match(s, /Total params: 430/);
});
