// Training off the main thread: a page hands a dense autoencoder to a module Web Worker
// (trainInWorker / serveTraining), gets epoch progress back, and loads the trained model from the
// worker's zip. While it trains, animation frames keep coming (longest gap under 100 ms), and the
// model reconstructs exactly as the same training in Node does.

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
