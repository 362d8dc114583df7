// A saved model as one .zip (what a page downloads): the same two files a folder holds, so a zip
// loads bit-identically with its optimizer state, every autoencoder kind comes back as itself,
// zips are equal across saves, and damaged, truncated or foreign zips are refused by name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import {
  autoencoders,
  filesFromZip,
  HourglassError,
  input,
  layers,
  loadAutoencoderFromZip,
  loadModel,
  model,
  modelFromZip,
  modelToFiles,
  modelToZip,
  setSeed,
  tensor,
  VariationalAutoencoder,
  type Autoencoder,
} from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { savedFilePath } from '../helpers/saved_folder.js';

const rng = new Random(5);
const data = tensor(
  Float32Array.from({ length: 64 * 10 }, () => rng.uniform()),
  [64, 10],
);

async function trained() {
  setSeed(7);
  const x = input([10]);
  const h = layers.dense(4, { activation: 'relu' }).apply(x);
  const m = model({ inputs: x, outputs: layers.dense(10, { activation: 'sigmoid' }).apply(h) });
  m.compile({ optimizer: 'adam', loss: 'bce' });
  await m.fit(data, data, { epochs: 2, batchSize: 16, shuffle: false, verbose: false });
  return m;
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof HourglassError && pattern.test(e.message);

test('a zipped model predicts bit-identically and continues training exactly (optimizer state kept)', async () => {
  const a = await trained();
  const zip = modelToZip(a);
  // The zip holds exactly the files a saved folder holds (a trained model's history too), byte for byte.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-zip-'));
  a.save(path.join(dir, 'm'));
  const entries = unzipSync(zip);
  assert.deepEqual(Object.keys(entries).sort(), ['history.json', 'model.json', 'weights.safetensors']);
  for (const name of Object.keys(entries))
    assert.deepEqual(entries[name], new Uint8Array(fs.readFileSync(savedFilePath(path.join(dir, 'm'), name))), name);
  const { model: b } = modelFromZip(zip, 'a.zip');
  assert.deepEqual(Array.from(b.predict(data).data), Array.from(a.predict(data).data));
  const ha = await a.fit(data, data, { epochs: 2, batchSize: 16, shuffle: false, verbose: false });
  const hb = await b.fit(data, data, { epochs: 2, batchSize: 16, shuffle: false, verbose: false });
  assert.deepEqual(hb.history['loss'], ha.history['loss']);
  assert.deepEqual(
    b.getWeights().map((w) => Array.from(w)),
    a.getWeights().map((w) => Array.from(w)),
  );
  // And the folder a Node save wrote loads to the same model the zip gave.
  const { model: c } = loadModel(path.join(dir, 'm'));
  assert.deepEqual(modelToFiles(c), modelToFiles(modelFromZip(modelToZip(c)).model));
});

test('the zip of a model is the same bytes on every save and after a round trip', async () => {
  const a = await trained();
  const first = modelToZip(a);
  await new Promise((r) => setTimeout(r, 2100)); // past the zip's two-second time resolution
  assert.deepEqual(modelToZip(a), first);
  // Loaded and zipped again: the same bytes (a model passed between Node and a page stays equal).
  assert.deepEqual(modelToZip(modelFromZip(first).model), first);
});

test('a zipped model folder (model/model.json) loads too; several models in one zip are refused', async () => {
  const files = modelToFiles(await trained());
  const nested = zipSync({ model: files, 'README.txt': new TextEncoder().encode('hi') });
  const { model: m } = modelFromZip(nested, 'folder.zip');
  assert.equal(m.layers.length, 3);
  assert.throws(() => modelFromZip(zipSync({ a: files, b: files }), 'two.zip'), refused(/several models/));
});

test('every autoencoder kind round-trips through a zip as itself, codes bit-identical', async () => {
  const made: Autoencoder[] = [
    autoencoders.dense({ hidden: [6], latent: 3 }),
    autoencoders.denoising({ hidden: [6], latent: 3, noise: { type: 'gaussian', stddev: 0.1 } }),
    autoencoders.sparse({ hidden: [6], latent: 3, sparsity: { l1: 1e-4 } }),
    autoencoders.contractive({ hidden: [6], latent: 3, weight: 0.01 }),
    autoencoders.variational({ hidden: [6], latent: 3 }),
    autoencoders.conv({ filters: [2], downsampling: 'strided', codeChannels: 1 }),
  ];
  for (const ae of made) {
    const x = ae.kind === 'conv' ? tensor(data.data.slice(0, 32 * 16), [32, 4, 4, 1]) : data;
    setSeed(1);
    await ae.fit(x, { epochs: 1, batchSize: 16, verbose: false });
    const back = loadAutoencoderFromZip(ae.toZip(), `${ae.kind}.zip`);
    assert.equal(back.kind, ae.kind);
    assert.deepEqual(back.options, ae.options);
    assert.equal(back instanceof VariationalAutoencoder, ae.kind === 'variational');
    assert.deepEqual(Array.from(back.encode(x).data), Array.from(ae.encode(x).data), `${ae.kind}: same codes`);
    assert.deepEqual(Array.from(back.reconstruct(x).data), Array.from(ae.reconstruct(x).data), ae.kind);
    assert.deepEqual(autoencoders.loadZip(ae.toZip()).kind, ae.kind);
    back.dispose();
  }
});

test('damaged, truncated, foreign and incomplete zips are refused with what is wrong', async () => {
  const a = await trained();
  const zip = modelToZip(a);
  assert.throws(() => modelFromZip(new TextEncoder().encode('{"not": "a zip"}'), 'x.zip'), refused(/x.zip: not a zip/));
  assert.throws(() => modelFromZip(zip.subarray(0, zip.length - 30), 't.zip'), refused(/t.zip: the zip is truncated/));
  assert.throws(() => modelFromZip(zip.subarray(0, 100), 't.zip'), refused(/truncated or damaged/));
  // A flipped byte inside the stored weights: the entry's CRC-32 no longer matches.
  const files = modelToFiles(a);
  const weights = files['weights.safetensors']!;
  const at = indexOf(zip, weights.subarray(weights.length - 64));
  assert.ok(at > 0, 'the weights are stored as they are');
  const bad = zip.slice();
  bad[at + 10]! ^= 0x40;
  assert.throws(() => modelFromZip(bad, 'bad.zip'), refused(/bad.zip: .*(damaged|CRC)/));
  // A zip without the weights, or without model.json.
  const noWeights = zipSync({ 'model.json': files['model.json']! });
  assert.throws(() => modelFromZip(noWeights, 'n.zip'), refused(/n.zip: the zip has no weights.safetensors/));
  const other = zipSync({ 'photo.png': new Uint8Array(8) });
  assert.throws(() => filesFromZip(other, 'o.zip'), refused(/o.zip: the zip has no model.json \(it holds photo.png\)/));
  // Wrong bytes under the right names: the loaders' own checks name the file inside the zip.
  const garbage = zipSync({ 'model.json': new Uint8Array([0xff, 0xfe, 1]), 'weights.safetensors': new Uint8Array(4) });
  assert.throws(() => modelFromZip(garbage, 'g.zip'), refused(/g.zip\/model.json: not valid JSON/));
  const wrongWeights = zipSync({ 'model.json': files['model.json']!, 'weights.safetensors': new Uint8Array(12) });
  assert.throws(() => modelFromZip(wrongWeights, 'w.zip'), refused(/w.zip\/weights.safetensors/));
  // An autoencoder zip of a disposed model is refused before anything is written.
  a.dispose();
  assert.throws(() => modelToZip(a), refused(/disposed/));
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
