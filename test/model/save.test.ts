// Saving and loading: identical predictions, training that continues exactly as if never saved
// (optimizer state included), atomic replacement, and clear refusals of damaged files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { input, layers, loadModel, model, setSeed, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { randomArray } from '../helpers/engine.js';
import { savedFilePath, toLegacyFolder } from '../helpers/saved_folder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-save-'));

function build() {
  const x = input([12]);
  const h = layers.batchNormalization().apply(layers.dense(6, { activation: 'elu' }).apply(x));
  const m = model({
    inputs: x,
    outputs: layers.dense(12, { activation: 'sigmoid' }).apply(layers.dropout(0.1).apply(h)),
  });
  m.compile({ optimizer: { name: 'adamw', learningRate: 0.01 }, loss: 'bce', metrics: ['mse'], seed: 4 });
  return m;
}
const data = tensor(
  Float32Array.from(randomArray(120 * 12, new Random(9)), (v) => 0.5 + 0.5 * v),
  [120, 12],
);

test('a loaded model predicts bit-identically and continues training identically', async () => {
  setSeed(2);
  const a = build();
  await a.fit(data, data, { epochs: 2, batchSize: 32, verbose: false, shuffle: false });
  const dir = path.join(tmp, 'm1');
  a.save(dir);
  assert.ok(
    fs.existsSync(savedFilePath(dir, 'model.json')) && fs.existsSync(savedFilePath(dir, 'weights.safetensors')),
  );
  const { model: b } = loadModel(dir);
  assert.deepEqual(Array.from(b.predict(data).data), Array.from(a.predict(data).data));
  // Without dropout randomness in the way, continued training matches step for step.
  const x = input([12]);
  const c = model({
    inputs: x,
    outputs: layers.dense(12, { activation: 'sigmoid' }).apply(layers.dense(5, { activation: 'relu' }).apply(x)),
  });
  c.compile({ optimizer: 'adam', loss: 'mse' });
  await c.fit(data, data, { epochs: 2, batchSize: 40, shuffle: false, verbose: false });
  c.save(path.join(tmp, 'm2'));
  const { model: d } = loadModel(path.join(tmp, 'm2'));
  const hc = await c.fit(data, data, { epochs: 2, batchSize: 40, shuffle: false, verbose: false });
  const hd = await d.fit(data, data, { epochs: 2, batchSize: 40, shuffle: false, verbose: false });
  assert.deepEqual(hd.history['loss'], hc.history['loss']);
  assert.deepEqual(
    d.getWeights().map((w) => Array.from(w)),
    c.getWeights().map((w) => Array.from(w)),
  );
});

test('saving over an existing model replaces it whole', () => {
  setSeed(3);
  const a = build();
  const dir = path.join(tmp, 'm3');
  a.save(dir);
  const b = build();
  b.save(dir);
  // The manifest and the second save's two files; the first save's files are gone.
  const names = fs.readdirSync(dir).sort();
  assert.deepEqual(
    names,
    [savedFilePath(dir, 'model.json'), 'manifest.json', savedFilePath(dir, 'weights.safetensors')]
      .map((p) => path.basename(p))
      .sort(),
  );
  assert.deepEqual(Array.from(loadModel(dir).model.predict(data).data), Array.from(b.predict(data).data));
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.includes('.tmp-') || f.includes('.old-')),
    [],
  );
});

test('truncated, corrupted and inconsistent files are refused with clear messages', () => {
  setSeed(4);
  const dir = path.join(tmp, 'm4');
  build().save(dir);
  toLegacyFolder(dir); // damage one plain file: the parser's message, not the manifest's checksum
  const weights = path.join(dir, 'weights.safetensors');
  const good = fs.readFileSync(weights);
  fs.writeFileSync(weights, good.subarray(0, good.length - 10));
  assert.throws(() => loadModel(dir), /weights.safetensors is not a valid weights file: .*truncated/);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 5] = flipped[flipped.length - 5]! ^ 0xff;
  fs.writeFileSync(weights, flipped);
  assert.throws(() => loadModel(dir), /checksum does not match/);
  fs.writeFileSync(weights, good.subarray(0, 5));
  assert.throws(() => loadModel(dir), /only 5 bytes/);
  fs.writeFileSync(weights, good);
  const jsonPath = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  fs.writeFileSync(jsonPath, '{"format": "hourglass-model", ');
  assert.throws(() => loadModel(dir), /model.json: not valid JSON/);
  json.layers[1].options.units = 7;
  fs.writeFileSync(jsonPath, JSON.stringify(json));
  assert.throws(() => loadModel(dir), /tensor 'dense(_\d+)?\/kernel' has shape \[12, 6\], the model needs \[12, 7\]/);
  json.formatVersion = 99;
  fs.writeFileSync(jsonPath, JSON.stringify(json));
  assert.throws(() => loadModel(dir), /format version 99 is not supported/);
  assert.throws(() => loadModel(path.join(tmp, 'nope')), /does not exist/);
});

test('a convolutional autoencoder saves and loads with identical predictions', async () => {
  const { convAutoencoder } = await import('../../src/models/conv_autoencoder.js');
  setSeed(6);
  const { autoencoder } = convAutoencoder({ inputShape: [12, 10, 1], filters: [4, 3], upsampling: 'transpose' });
  autoencoder.compile({ optimizer: 'adam', loss: 'bce' });
  const imgs = tensor(
    Float32Array.from(randomArray(8 * 120, new Random(2)), (v) => 0.5 + 0.5 * v),
    [8, 12, 10, 1],
  );
  await autoencoder.fit(imgs, imgs, { epochs: 1, batchSize: 4, verbose: false });
  const dir = path.join(tmp, 'conv');
  autoencoder.save(dir);
  const { model: loaded } = loadModel(dir);
  assert.deepEqual(
    loaded.layers.map((l) => l.className),
    autoencoder.layers.map((l) => l.className),
  );
  assert.deepEqual(Array.from(loaded.predict(imgs).data), Array.from(autoencoder.predict(imgs).data));
});
