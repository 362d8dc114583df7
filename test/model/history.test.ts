// history.json: every fit appends a record saved with the model (folder, zip, files), loading
// keeps it, continued training appends, and a folder saved without one still loads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoencoders, loadAutoencoder, loadAutoencoderFromZip, tensor } from '../../src/index.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { LIBRARY_VERSION } from '../../src/version.js';
import { savedFilePath, toLegacyFolder } from '../helpers/saved_folder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-history-'));
const rng = new Random(3);
const rows = 60;
const x = tensor(
  Float32Array.from({ length: rows * 10 }, () => rng.uniform()),
  [rows, 10],
);

test('the library version recorded is the package version', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.equal(LIBRARY_VERSION, pkg.version);
});

test('a fit records its options, data and epochs; the epoch loss is the rows-weighted mean of the step losses', async () => {
  const ae = autoencoders.dense({ hidden: [8], latent: 3 });
  // 48 training rows (0.2 held out) in batches of 20: steps of 20, 20 and 8 rows.
  const h = await ae.fit(x, { epochs: 3, batchSize: 20, validationSplit: 0.2, verbose: false, source: 'unit-rows' });
  const [run, ...more] = ae.trainingHistory.runs;
  assert.equal(more.length, 0);
  assert.equal(run!.member, 'dense');
  assert.equal(run!.source, 'unit-rows');
  assert.equal(run!.library, LIBRARY_VERSION);
  assert.deepEqual(run!.dataShape, [rows, 10]);
  assert.equal(run!.trainingRows, 48);
  assert.equal(run!.validationRows, 12);
  assert.equal(run!.options['batchSize'], 20);
  assert.equal(run!.options['validationSplit'], 0.2);
  assert.equal((run!.options['optimizer'] as { name: string }).name, 'adam');
  assert.equal(run!.epochs.length, 3);
  assert.deepEqual(
    run!.epochs.map((e) => e.logs['val_loss']),
    h.history['val_loss'],
  );
  for (const e of run!.epochs) {
    assert.ok(e.seconds > 0);
    assert.ok(Math.abs(e.samplesPerSecond - 48 / e.seconds) < 1e-6 * e.samplesPerSecond);
  }
  assert.equal(run!.stepLoss!.length, 9);
  const sizes = [20, 20, 8];
  run!.epochs.forEach((e, k) => {
    const steps = run!.stepLoss!.slice(3 * k, 3 * k + 3);
    const mean = steps.reduce((s, l, i) => s + l * sizes[i]!, 0) / 48;
    assert.ok(Math.abs(mean - e.logs['loss']!) < 1e-9, `epoch ${k}: ${mean} vs ${e.logs['loss']}`);
  });
});

test('history.json round-trips through save, load and continued training (folder and zip)', async () => {
  const ae = autoencoders.variational({ hidden: [8], latent: 2 });
  const first = await ae.fit(x, { epochs: 2, batchSize: 16, verbose: false });
  const dir = path.join(tmp, 'vae');
  ae.save(dir);
  const saved = JSON.parse(fs.readFileSync(savedFilePath(dir, 'history.json'), 'utf8'));
  assert.equal(saved.runs.length, 1);
  // The VAE's ELBO in nats is recorded per epoch, as fit returned it.
  assert.deepEqual(
    saved.runs[0].epochs.map((e: { logs: Record<string, number> }) => e.logs['negative_elbo']),
    first.history['negative_elbo'],
  );

  const loaded = loadAutoencoder(dir);
  assert.deepEqual(loaded.trainingHistory, ae.trainingHistory);
  const second = await loaded.fit(x, { epochs: 1, batchSize: 16, verbose: false });
  assert.equal(loaded.trainingHistory.runs.length, 2);
  loaded.save(dir);
  const again = loadAutoencoder(dir);
  const runs = again.trainingHistory.runs;
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0], ae.trainingHistory.runs[0]);
  assert.equal(runs[1]!.epochs[0]!.logs['loss'], second.history['loss']![0]);

  const fromZip = loadAutoencoderFromZip(again.toZip());
  assert.deepEqual(fromZip.trainingHistory, again.trainingHistory);
  assert.ok('history.json' in again.toFiles());
});

test('a model folder without history.json still loads, and its next fit starts the history', async () => {
  const ae = autoencoders.dense({ hidden: [6], latent: 2 });
  await ae.fit(x, { epochs: 1, batchSize: 30, verbose: false });
  const dir = path.join(tmp, 'old');
  ae.save(dir);
  toLegacyFolder(dir); // a folder saved before manifests and history.json existed
  fs.rmSync(path.join(dir, 'history.json'));
  const old = loadAutoencoder(dir);
  assert.deepEqual(old.trainingHistory.runs, []);
  assert.deepEqual(Array.from(old.reconstruct(x).data), Array.from(ae.reconstruct(x).data));
  await old.fit(x, { epochs: 1, batchSize: 30, verbose: false });
  assert.equal(old.trainingHistory.runs.length, 1);
});

test('a damaged history.json is refused with a message naming it', async () => {
  const ae = autoencoders.dense({ hidden: [6], latent: 2 });
  await ae.fit(x, { epochs: 1, batchSize: 30, verbose: false });
  const dir = path.join(tmp, 'damaged');
  ae.save(dir);
  toLegacyFolder(dir); // damage the plain file: the parser's message, not the manifest's checksum
  fs.writeFileSync(path.join(dir, 'history.json'), '{"format": "hourglass-history", "version": 1, "runs": [');
  assert.throws(
    () => loadAutoencoder(dir),
    (e: unknown) => e instanceof HourglassError && /history\.json: not valid JSON/.test(e.message),
  );
  fs.writeFileSync(path.join(dir, 'history.json'), '{"format": "something-else", "runs": []}');
  assert.throws(() => loadAutoencoder(dir), /history\.json: not a training history/);
});
