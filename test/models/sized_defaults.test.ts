// Defaults sized from the data (src/models/defaults.ts): the rules in closed form, and a
// 200-row, 30-column table trained by autoencoders.dense() with no options: a code narrower than
// the input, enough optimizer steps, and a final loss far below that of predicting the mean.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders } from '../../src/index.js';
import {
  codeSize,
  DENSE_DEFAULTS,
  denseSizes,
  TRAINING_DEFAULTS,
  trainingBudget,
  VARIATIONAL_DEFAULTS,
  variationalSizes,
} from '../../src/models/defaults.js';
import { Random } from '../../src/engine/random.js';

/** Rows near a 4-dimensional plane in 30 dimensions, standardized per column. */
function lowRankTable(rows: number, cols: number, seed: number): number[][] {
  const r = new Random(seed);
  const w = Array.from({ length: 4 }, () => Array.from({ length: cols }, () => r.normal()));
  const x = Array.from({ length: rows }, () => {
    const z = Array.from({ length: 4 }, () => r.normal());
    return Array.from({ length: cols }, (_, j) => z.reduce((s, zk, k) => s + zk * w[k]![j]!, 0) + 0.3 * r.normal());
  });
  for (let j = 0; j < cols; j++) {
    const m = x.reduce((s, row) => s + row[j]!, 0) / rows;
    const sd = Math.sqrt(x.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / rows);
    for (const row of x) row[j] = (row[j]! - m) / sd;
  }
  return x;
}

test('the code is a quarter of the input, within 2..32, and always narrower than the input', () => {
  for (let n = 2; n <= 2000; n++) {
    const c = codeSize(n, 32);
    assert.ok(c < n, `code ${c} for ${n} inputs`);
    assert.equal(c, Math.min(n - 1, Math.max(2, Math.min(32, Math.round(n / 4)))));
    const { hidden, latent } = denseSizes(n);
    assert.ok(latent < n && hidden.every((h) => h > latent), `dense ${n}: ${hidden.join(',')} ${latent}`);
    assert.ok(variationalSizes(n).latent < n && variationalSizes(n).latent <= VARIATIONAL_DEFAULTS.latent);
  }
  // The presets are what large inputs get (MNIST's 784 pixels).
  assert.deepEqual(denseSizes(784), { hidden: [...DENSE_DEFAULTS.hidden], latent: DENSE_DEFAULTS.latent });
  assert.deepEqual(variationalSizes(784), {
    hidden: [...VARIATIONAL_DEFAULTS.hidden],
    latent: VARIATIONAL_DEFAULTS.latent,
  });
  assert.deepEqual(denseSizes(30), { hidden: [60, 30], latent: 8 });
});

test('the training budget gives small tables enough steps and large ones early stopping', () => {
  const small = trainingBudget(200);
  assert.equal(small.batchSize, 16);
  assert.equal(small.validationSplit, 0, 'every row of a small table trains');
  // Steps actually taken: epochs x ceil(rows / batch).
  assert.equal(small.steps, small.epochs * Math.ceil(200 / 16));
  assert.ok(small.steps >= TRAINING_DEFAULTS.steps, `${small.steps} steps`);
  const mnist = trainingBudget(60000);
  assert.deepEqual([mnist.batchSize, mnist.epochs, mnist.validationSplit], [256, 10, 0.1]);
  // A given value is kept and the rest sized around it.
  const given = trainingBudget(200, { batchSize: 50 });
  assert.equal(given.batchSize, 50);
  assert.ok(given.epochs * 4 >= TRAINING_DEFAULTS.steps);
  assert.equal(trainingBudget(5000, { epochs: 3 }).epochs, 3);
});

test('autoencoders.dense() on a 200-row, 30-column table with no options trains a sensible model', async () => {
  const x = lowRankTable(200, 30, 3);
  const ae = autoencoders.dense();
  const h = await ae.fit(x, { verbose: false });
  assert.deepEqual(ae.codeShape, [8], 'a code narrower than the 30 inputs');
  const epochs = h.epoch.length;
  assert.ok(epochs * Math.ceil(200 / 16) >= 1500, `${epochs} epochs at batch 16`);
  // Predicting each column's mean has MSE 1 on standardized columns; the plane is 4-dimensional
  // with noise 0.3, so a model that learned it is far below that.
  const mse = Array.from(ae.score(x)).reduce((a, b) => a + b, 0) / 200;
  assert.ok(mse < 0.15, `reconstruction MSE ${mse} vs 1 for the mean`);
  assert.equal(h.history['val_loss'], undefined, 'no validation split under 1,000 rows');
  ae.dispose();
});

test('a table of 1,200 rows holds a tenth out and stops early on it; given epochs do not', async () => {
  const x = lowRankTable(1200, 12, 5);
  const ae = autoencoders.dense();
  const h = await ae.fit(x, { verbose: false });
  const val = h.history['val_loss']!;
  assert.ok(val && val.length === h.epoch.length, 'validation loss every epoch');
  const budget = trainingBudget(1200);
  assert.ok(h.epoch.length < budget.epochs, `stopped after ${h.epoch.length} of ${budget.epochs} epochs`);
  // The best weights are kept: the final validation loss is no worse than the best seen.
  const best = Math.min(...val);
  const x2 = x.slice(1080);
  const valMse = Array.from(ae.score(x2)).reduce((a, b) => a + b, 0) / x2.length;
  assert.ok(Math.abs(valMse - best) < 1e-4 * Math.max(1, best), `held-out MSE ${valMse} vs best ${best}`);
  ae.dispose();
  const fixed = autoencoders.dense();
  const h2 = await fixed.fit(x, { verbose: false, epochs: 2 });
  assert.equal(h2.epoch.length, 2);
  assert.equal(h2.history['val_loss'], undefined);
  fixed.dispose();
});
