// Training off the main thread: a page hands a dense autoencoder to a module Web Worker
// (trainInWorker / serveTraining), gets epoch progress back, and loads the trained model from the
// worker's zip. While it trains, animation frames keep coming (longest gap under 100 ms), and the
// model reconstructs exactly as the same training in Node does.

import '../helpers/plain_build.js';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, tensor } from '../../src/index.js';
import {
  bundleApp,
  chromiumSkip,
  collectErrors,
  findChromium,
  serveStatic,
  type StaticServer,
} from '../helpers/browser.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);

const ROWS = 2048,
  COLS = 64;
const DATA = `const rows = ${ROWS}, cols = ${COLS}, data = new Float32Array(rows * cols);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;`;
const SPEC = { member: 'dense' as const, options: { hidden: [256, 128], latent: 8 } };
const FIT = { epochs: 20, batchSize: 64, seed: 5, validationSplit: 0.25 };

const PAGE = `
import { ready, tensor, trainInWorker } from 'hourglass-ae';
${DATA}
await ready({ fma: false });
const epochs = [];
let longest = 0, previous = performance.now(), frames = 0, training = true;
const tick = (now) => { longest = Math.max(longest, now - previous); previous = now; frames++; if (training) requestAnimationFrame(tick); };
requestAnimationFrame(tick);
const started = performance.now();
const run = trainInWorker(new Worker('./worker.js', { type: 'module' }), ${JSON.stringify(SPEC)}, tensor(data, [rows, cols]),
  { ...${JSON.stringify(FIT)}, engine: { fma: false }, onEpochEnd: (epoch, logs) => epochs.push({ epoch, ...logs }) });
const { autoencoder, history } = await run.result;
training = false;
const seconds = (performance.now() - started) / 1000;
window.result = { epochs, history, longest, frames, seconds, reconstruction: Array.from(autoencoder.reconstruct(tensor(data, [rows, cols])).data.slice(0, 512)) };
`;
const WORKER = `import { serveTraining } from 'hourglass-ae';\nserveTraining();\n`;

let server: StaticServer | null = null;
after(() => server?.close());

test(
  "a Web Worker trains while the page keeps drawing frames, and the page gets Node's model",
  { skip, timeout: 240_000 },
  async () => {
    assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
    const out = await bundleApp({ 'app.js': PAGE, 'worker.js': WORKER });
    server = await serveStatic(out);

    // The same training in Node, from the same data, seed and options.
    const data = new Float32Array(ROWS * COLS);
    for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
    const ae = autoencoders.dense(SPEC.options);
    await ae.fit(tensor(data, [ROWS, COLS]), { ...FIT, verbose: false });
    const expected = Array.from(ae.reconstruct(tensor(data, [ROWS, COLS])).data.slice(0, 512));
    ae.dispose();

    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(`${server.url}/index.html?isolated`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 180_000 });
      type Result = {
        epochs: { epoch: number; loss: number }[];
        history: { history: Record<string, number[]> };
        longest: number;
        frames: number;
        seconds: number;
        reconstruction: number[];
      };
      const r = await page.evaluate(() => (window as unknown as { result: Result }).result);
      assert.deepEqual(errors, [], 'no console errors');
      assert.equal(r.epochs.length, FIT.epochs, 'progress came back after every epoch');
      assert.ok(r.history.history['val_loss']!.length === FIT.epochs, 'validation losses came back');
      assert.ok(r.epochs.at(-1)!.loss < r.epochs[0]!.loss, 'the loss fell');
      assert.ok(
        r.seconds > 0.5,
        `training took long enough to measure frames (${r.seconds.toFixed(2)} s, ${r.frames} frames)`,
      );
      assert.ok(r.longest < 100, `longest gap between animation frames while training: ${r.longest.toFixed(1)} ms`);
      assert.deepEqual(
        r.reconstruction,
        expected,
        "the page's model reconstructs as the Node-trained one, bit for bit",
      );
    } finally {
      await browser.close();
    }
  },
);

// A table with gaps: the missing values hold 50 (far off the data), so a model that trained on
// them would rebuild the rows differently; with the mask they add nothing to the loss.
const MASKED_ROWS = 256,
  MASKED_COLS = 16;
const MASKED_DATA = `const rows = ${MASKED_ROWS}, cols = ${MASKED_COLS}, data = new Float32Array(rows * cols), mask = new Float32Array(rows * cols);
for (let i = 0; i < data.length; i++) { mask[i] = (i * 2654435761) % 97 < 20 ? 0 : 1; data[i] = mask[i] ? ((i * 7919) % 1000) / 1000 : 50; }`;
const MASKED_SPEC = { member: 'dense' as const, options: { hidden: [32], latent: 4 } };
const MASKED_FIT = { epochs: 5, batchSize: 32, seed: 9, validationSplit: 0.25 };

const MASKED_PAGE = `
import { ready, tensor, trainInWorker } from 'hourglass-ae';
${MASKED_DATA}
await ready({ fma: false });
const x = tensor(data, [rows, cols]);
const run = trainInWorker(new Worker('./worker.js', { type: 'module' }), ${JSON.stringify(MASKED_SPEC)}, x,
  { ...${JSON.stringify(MASKED_FIT)}, engine: { fma: false }, mask: tensor(mask, [rows, cols]) });
const { autoencoder, history } = await run.result;
let refused = '';
try { trainInWorker(new Worker('./worker.js', { type: 'module' }), ${JSON.stringify(MASKED_SPEC)}, x, { mask: tensor(mask.subarray(0, cols), [1, cols]) }); }
catch (e) { refused = e.message; }
window.result = { history, refused, reconstruction: Array.from(autoencoder.reconstruct(x).data.slice(0, 512)) };
`;

test(
  "trainInWorker passes a target mask to fit: the page's model equals Node's masked training",
  { skip, timeout: 120_000 },
  async () => {
    const out = await bundleApp({ 'app.js': MASKED_PAGE, 'worker.js': WORKER });
    const masked = await serveStatic(out);
    const data = new Float32Array(MASKED_ROWS * MASKED_COLS),
      mask = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      mask[i] = (i * 2654435761) % 97 < 20 ? 0 : 1;
      data[i] = mask[i] ? ((i * 7919) % 1000) / 1000 : 50;
    }
    const x = tensor(data, [MASKED_ROWS, MASKED_COLS]);
    const nodeRun = async (withMask: boolean) => {
      const ae = autoencoders.dense(MASKED_SPEC.options);
      await ae.fit(x, { ...MASKED_FIT, verbose: false, ...(withMask ? { mask: tensor(mask, x.shape) } : {}) });
      const r = Array.from(ae.reconstruct(x).data.slice(0, 512));
      ae.dispose();
      return r;
    };
    const expected = await nodeRun(true),
      unmasked = await nodeRun(false);
    assert.notDeepEqual(expected, unmasked, 'the mask changes what the model learns (the check can fail)');

    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium!, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(`${masked.url}/index.html?isolated`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 90_000 });
      const r = await page.evaluate(
        () => (window as unknown as { result: { refused: string; reconstruction: number[] } }).result,
      );
      assert.deepEqual(errors, [], 'no console errors');
      assert.match(r.refused, /trainInWorker: the mask has shape \[1, 16\], the data \[256, 16\]/);
      assert.deepEqual(r.reconstruction, expected, "the page's masked model reconstructs as Node's, bit for bit");
    } finally {
      await browser.close();
      masked.close();
    }
  },
);
