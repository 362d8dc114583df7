// Saving and loading in a real browser (Debian's chromium through playwright-core), no server
// code: a page trains, saves to IndexedDB, is reloaded and loads the same predictions; its zips
// (as bytes and as a real download) load in Node bit-identically, and Node's zip and folder load
// in the page (fetched, as bytes, and through <input type=file>) with Node's predictions.

import '../helpers/plain_build.js';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  input,
  layers,
  loadAutoencoderFromZip,
  modelFromZip,
  modelToZip,
  saveModel,
  sequential,
  setSeed,
  tensor,
} from '../../src/index.js';
import { bundleApp, chromiumSkip, findChromium, serveStatic, type StaticServer } from '../helpers/browser.js';
import { savedFilePath } from '../helpers/saved_folder.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);

/** The rows both sides predict on, made the same way in the page (APP) and here. */
const rows = 32;
const data = new Float32Array(rows * 20);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
const x = tensor(data, [rows, 20]);

// The page's app: steps Node calls one at a time through window.hg (a reload comes between).
const APP = `
import { ready, input, layers, sequential, setSeed, tensor, autoencoders, HourglassError, saveToIndexedDB,
  loadModelFromIndexedDB, loadAutoencoderFromIndexedDB, listIndexedDB, deleteFromIndexedDB, downloadModel,
  modelBlob, loadModelFrom, loadAutoencoderFrom } from 'hourglass-ae';
await ready({ fma: false });
const rows = 32, data = new Float32Array(rows * 20);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
const x = tensor(data, [rows, 20]);
const bytesOf = async (blob) => Array.from(new Uint8Array(await blob.arrayBuffer()));
const pred = (m) => Array.from(m.predict(x).data);
const refusal = async (work) => { try { await work(); return 'no error'; } catch (e) { return (e instanceof HourglassError ? '' : 'not an HourglassError: ') + e.message; } };
window.hg = {
  async train() {
    setSeed(11);
    const m = sequential([input([20]), layers.dense(8, { activation: 'relu' }), layers.dense(20, { activation: 'sigmoid' })]);
    m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
    await m.fit(x, x, { epochs: 3, batchSize: 16, verbose: false });
    const ae = autoencoders.sparse({ hidden: [8], latent: 3, sparsity: { l1: 1e-4 } });
    await ae.fit(x, { epochs: 2, batchSize: 16, verbose: false });
    await saveToIndexedDB(m, 'small');
    await saveToIndexedDB(ae, 'ae');
    return { pred: pred(m), codes: Array.from(ae.encode(x).data), zip: await bytesOf(modelBlob(m)), aeZip: await bytesOf(modelBlob(ae)) };
  },
  async reloaded() {
    const m = await loadModelFromIndexedDB('small');
    const ae = await loadAutoencoderFromIndexedDB('ae');
    return { pred: pred(m), codes: Array.from(ae.encode(x).data), kind: ae.kind, list: await listIndexedDB() };
  },
  async download(format) {
    const blobs = downloadModel(await loadModelFromIndexedDB('small'), { filename: 'small.zip', format });
    return Object.fromEntries(await Promise.all(Object.entries(blobs).map(async ([k, b]) => [k, await bytesOf(b)])));
  },
  fromUrl: async (url) => pred(await loadModelFrom(url)),
  fromBytes: async (bytes) => pred(await loadModelFrom(new Uint8Array(bytes))),
  fromInput: async () => pred(await loadModelFrom(document.querySelector('input').files)),
  aeFromUrl: async (url) => (await loadAutoencoderFrom(url)).kind,
  async deleted() {
    const gone = await deleteFromIndexedDB('small');
    const again = await deleteFromIndexedDB('small');
    return { gone, again, message: await refusal(() => loadModelFromIndexedDB('small')), keys: (await listIndexedDB()).map((i) => i.key) };
  },
  async refusals() {
    return {
      truncated: await refusal(() => loadModelFrom(new Uint8Array([80, 75, 3, 4, 0, 0]))),
      missing: await refusal(() => loadModelFrom('./nothing-here.zip')),
      text: await refusal(() => loadModelFrom(new Blob(['{}']))),
    };
  },
};
window.hgReady = true;
`;

/** What APP puts on window, as the steps above see it. */
type PageWindow = Window & { hg?: Record<string, (arg: string | number[] | null) => Promise<unknown>> };

interface Trained {
  pred: number[];
  codes: number[];
  zip: number[];
  aeZip: number[];
}
interface Reloaded {
  pred: number[];
  codes: number[];
  kind: string;
  list: { key: string; kind: string; savedAt: string; bytes: number }[];
}

/** Node's own model, trained differently from the page's, for the Node -> page direction. */
async function nodeModel() {
  setSeed(5);
  const m = sequential([
    input([20]),
    layers.dense(6, { activation: 'tanh' }),
    layers.dense(20, { activation: 'sigmoid' }),
  ]);
  m.compile({ loss: 'mse', optimizer: 'rmsprop' });
  await m.fit(x, x, { epochs: 2, batchSize: 8, verbose: false });
  return m;
}

let server: StaticServer | null = null;
after(() => server?.close());

test(
  'a page saves to IndexedDB and loads after a reload; zips and downloads pass between the page and Node bit for bit',
  { skip, timeout: 240_000 },
  async () => {
    assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
    // The file input is for the loading-from-files path.
    const out = await bundleApp({ 'app.js': APP }, '<input type="file" multiple>');
    // Node's model, served as a zip and as a folder for the page to fetch.
    const mine = await nodeModel();
    const nodePred = Array.from(mine.predict(x).data);
    const nodeZip = modelToZip(mine);
    fs.writeFileSync(path.join(out, 'node.zip'), nodeZip);
    saveModel(mine, path.join(out, 'node-folder'));
    server = await serveStatic(out);

    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text());
      });
      const open = async () => {
        await page.goto(`${server!.url}/index.html`);
        await page.waitForFunction(() => 'hgReady' in window, undefined, { timeout: 60_000 });
      };
      const call = <T>(step: string, arg: string | number[] | null = null): Promise<T> =>
        page.evaluate(([s, a]) => (window as PageWindow).hg![s]!(a), [step, arg] as const) as Promise<T>;

      await open();
      const trained = await call<Trained>('train');
      assert.equal(trained.pred.length, rows * 20);
      assert.notDeepEqual(trained.pred, nodePred, 'the two sides hold different models');
      await open(); // a reload: only IndexedDB keeps the models
      const back = await call<Reloaded>('reloaded');
      assert.deepEqual(back.pred, trained.pred, 'IndexedDB: the same predictions after a reload');
      assert.deepEqual(back.codes, trained.codes, 'IndexedDB: the autoencoder gives the same codes');
      assert.equal(back.kind, 'sparse');
      assert.deepEqual(back.list.map((i) => [i.key, i.kind]).sort(), [
        ['ae', 'sparse'],
        ['small', 'model'],
      ]);
      assert.ok(back.list.every((i) => i.bytes > 0 && !Number.isNaN(Date.parse(i.savedAt))));

      // Page -> Node: the page's zips load here with the page's predictions and codes, bit for bit.
      const { model: fromPage } = modelFromZip(Uint8Array.from(trained.zip), 'page.zip');
      assert.deepEqual(Array.from(fromPage.predict(x).data), trained.pred, "Node predicts as the page's model did");
      const aeFromPage = loadAutoencoderFromZip(Uint8Array.from(trained.aeZip), 'page-ae.zip');
      assert.equal(aeFromPage.kind, 'sparse');
      assert.deepEqual(Array.from(aeFromPage.encode(x).data), trained.codes);

      // A real download: the file Chromium saves is the zip the page made, and loads in Node.
      const [download, offered] = await Promise.all([
        page.waitForEvent('download'),
        call<Record<string, number[]>>('download', 'zip'),
      ]);
      assert.equal(download.suggestedFilename(), 'small.zip');
      const saved = new Uint8Array(fs.readFileSync(await download.path()));
      assert.deepEqual(Array.from(saved), offered['small.zip']);
      assert.deepEqual(Array.from(modelFromZip(saved, 'small.zip').model.predict(x).data), trained.pred);
      // The files form: model.json and weights.safetensors (and the trained model's history.json), loadable as a folder.
      const two = await call<Record<string, number[]>>('download', 'files');
      assert.deepEqual(Object.keys(two).sort(), ['history.json', 'model.json', 'weights.safetensors']);

      // Node -> page: fetched as a zip and as a folder, given as bytes, picked in <input type=file>.
      assert.deepEqual(await call('fromUrl', './node.zip'), nodePred, 'a fetched Node zip');
      assert.deepEqual(await call('fromUrl', './node-folder/'), nodePred, 'a fetched Node model folder');
      assert.deepEqual(await call('fromBytes', Array.from(nodeZip)), nodePred, 'Node zip bytes');
      await page.setInputFiles('input', {
        name: 'node.zip',
        mimeType: 'application/zip',
        buffer: Buffer.from(nodeZip),
      });
      assert.deepEqual(await call('fromInput'), nodePred, 'a picked zip');
      // The files a user picks from a Node folder: its save's generation-named files.
      await page.setInputFiles('input', [
        savedFilePath(path.join(out, 'node-folder'), 'model.json'),
        savedFilePath(path.join(out, 'node-folder'), 'weights.safetensors'),
      ]);
      assert.deepEqual(await call('fromInput'), nodePred, 'the two picked files');
      fs.writeFileSync(path.join(out, 'page-ae.zip'), aeFromPage.toZip());
      assert.equal(
        await call('aeFromUrl', './page-ae.zip'),
        'sparse',
        'an autoencoder zip made in Node loads as itself',
      );

      // Deleting, and the refusals a page sees.
      const del = await call<{ gone: boolean; again: boolean; message: string; keys: string[] }>('deleted');
      assert.deepEqual([del.gone, del.again, del.keys], [true, false, ['ae']]);
      assert.match(del.message, /^IndexedDB 'hourglass-ae' key 'small': no model saved under this key/);
      const r = await call<Record<string, string>>('refusals');
      assert.match(r['truncated']!, /^bytes: the zip is truncated or damaged/);
      assert.match(r['missing']!, /^cannot fetch .*nothing-here\.zip \(HTTP 404\)/);
      assert.match(r['text']!, /^blob: not a zip file/);
      assert.deepEqual(errors, [], 'no console errors');
      await context.close();
    } finally {
      await browser.close();
    }
  },
);
