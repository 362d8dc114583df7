// Training that diverges stops with a TrainingDivergedError and the model holds the best weights
// the fit saw: checked bit for bit against the weights recorded at each epoch end (or at the
// start) by a callback, the epoch chosen being the one with the lowest recorded loss.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { autoencoders, HourglassError, TrainingDivergedError } from '../../src/index.js';
import type { Callback } from '../../src/model/callbacks.js';
import { Random } from '../../src/engine/random.js';

const rows = 32,
  cols = 4;
function table(): { data: Float32Array; shape: number[] } {
  const rng = new Random(11);
  return { data: Float32Array.from({ length: rows * cols }, () => rng.uniform() * 2 - 1), shape: [rows, cols] };
}

/** Records the starting weights and each epoch's weights and loss. */
function recorder(): { cb: Callback; weights: Float32Array[][]; losses: number[] } {
  const weights: Float32Array[][] = [],
    losses: number[] = [];
  const cb: Callback = {
    onTrainBegin: (ctx) => void weights.push(ctx.getWeights()),
    onEpochEnd: (_e, logs, ctx) => {
      weights.push(ctx.getWeights());
      losses.push(logs['loss']!);
    },
  };
  return { cb, weights, losses };
}

const allFinite = (ws: Float32Array[]) => ws.every((w) => w.every(Number.isFinite));

test('a learning rate of 1e6 stops training with a clear error and keeps the starting weights', async () => {
  const ae = autoencoders.dense({ hidden: [8], latent: 2 });
  const rec = recorder();
  const err = await ae
    .fit(table(), { epochs: 30, batchSize: 8, learningRate: 1e6, seed: 2, verbose: false, callbacks: [rec.cb] })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err instanceof TrainingDivergedError, `expected a divergence, got ${String(err)}`);
  assert.ok(err instanceof HourglassError);
  assert.match(err.message, /^training stopped: the (loss became (NaN|Infinity|-Infinity)|weights became infinite)/);
  assert.doesNotMatch(err.message, /\n/);
  // The best finite epoch loss recorded before the divergence, or the start when none finished.
  const finite = rec.losses
    .map((l, i) => [l, i + 1] as const)
    .filter(([l], i) => Number.isFinite(l) && allFinite(rec.weights[i + 1]!));
  const expected = finite.length ? finite.reduce((a, b) => (b[0] < a[0] ? b : a))[1] : 0;
  assert.equal(err.restoredEpoch, expected);
  assert.deepEqual(ae.model.getWeights(), rec.weights[expected]);
  assert.ok(allFinite(ae.model.getWeights()));
  // The optimizer starts afresh: a further fit at a sane rate trains from the kept weights.
  const h = await ae.fit(table(), { epochs: 2, batchSize: 8, learningRate: 1e-3, seed: 2, verbose: false });
  assert.ok(h.history['loss']!.every(Number.isFinite));
  ae.dispose();
});

test('divergence after good epochs restores the epoch with the lowest loss', async () => {
  const ae = autoencoders.dense({ hidden: [8], latent: 2 });
  const rec = recorder();
  // Three epochs at a normal rate, then the rate is raised to 1e6 so that a later epoch diverges.
  const raise: Callback = {
    onEpochEnd: (epoch) => {
      if (epoch === 2) ae.model.compiled!.optimizer.setLearningRate(1e6);
    },
  };
  const err = await ae
    .fit(table(), { epochs: 40, batchSize: 8, learningRate: 1e-2, seed: 4, verbose: false, callbacks: [rec.cb, raise] })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err instanceof TrainingDivergedError, `expected a divergence, got ${String(err)}`);
  assert.ok(err.restoredEpoch >= 1, `restored epoch ${err.restoredEpoch}`);
  const losses = rec.losses.slice(0, 3);
  const best = losses.indexOf(Math.min(...losses)) + 1;
  // Epochs after the raise may still have finite losses: the lowest of all finite ones wins.
  const lowest = rec.losses
    .map((l, i) => [l, i + 1] as const)
    .filter(([l], i) => Number.isFinite(l) && allFinite(rec.weights[i + 1]!))
    .reduce((a, b) => (b[0] < a[0] ? b : a))[1];
  assert.equal(err.restoredEpoch, lowest);
  assert.ok(lowest >= best || rec.losses[lowest - 1]! <= losses[best - 1]!);
  assert.deepEqual(ae.model.getWeights(), rec.weights[lowest]);
  assert.match(err.message, new RegExp(`keeps the weights of epoch ${lowest} \\(loss `));
  ae.dispose();
});

test('hourglass train with --lr 1e6 prints one line and exits 1 without writing the model', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-diverge-'));
  const rng = new Random(3);
  const csv = [
    'a,b,c,d',
    ...Array.from({ length: 40 }, () => Array.from({ length: 4 }, () => rng.uniform().toFixed(4)).join(',')),
  ];
  fs.writeFileSync(path.join(tmp, 't.csv'), csv.join('\n') + '\n');
  const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
  const script = `import { main } from ${JSON.stringify(main)}; await main(process.argv);`;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
      'x',
      'train',
      path.join(tmp, 't.csv'),
      '--out',
      path.join(tmp, 'm'),
      '--lr',
      '1e6',
      '--epochs',
      '30',
    ],
    // From the repository, where the kernel workers find tsx too.
    { cwd: new URL('../../', import.meta.url).pathname, encoding: 'utf8' },
  );
  assert.equal(r.status, 1, r.stderr + r.stdout);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: training stopped: .* at epoch \d+/);
  assert.equal(fs.existsSync(path.join(tmp, 'm')), false);
  fs.rmSync(tmp, { recursive: true, force: true });
});
