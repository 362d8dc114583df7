// The browser entry in a real browser (Debian's chromium through playwright-core): an app that
// imports 'hourglass-ae', bundled by esbuild for the browser, trains a small autoencoder in a page
// with and without cross-origin isolation. Isolated, it runs kernel Web Workers (the split is
// counted); not isolated, the single-thread build with a note. Both give the weights Node gives,
// bit for bit, from the same seed.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { nodeTwinWeights } from '../helpers/page_twin.js';
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

/** The model both sides train: the same code in the page (below, as text) and here. */
const APP = `
import { ready, input, layers, sequential, setSeed, tensor, getThreads, threadNote, workerJobCounts } from 'hourglass-ae';
const started = performance.now();
await ready({ fma: false });
setSeed(11);
const m = sequential([input([300]), layers.dense(64, { activation: 'relu' }), layers.dense(6, { activation: 'tanh' }), layers.dense(300, { activation: 'sigmoid' })]);
m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
const rows = 256, data = new Float32Array(rows * 300);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
const x = tensor(data, [rows, 300]);
const history = await m.fit(x, x, { epochs: 3, batchSize: 128, verbose: false });
window.result = { weights: m.getWeights().map((w) => Array.from(w)), loss: history.history.loss, threads: getThreads(),
  note: threadNote(), jobs: workerJobCounts(), isolated: crossOriginIsolated, ms: performance.now() - started };
`;

let server: StaticServer | null = null;
after(() => server?.close());

test(
  "an esbuild bundle trains in Chromium, isolated (Web Workers) and not (one thread), with Node's weights",
  { skip, timeout: 240_000 },
  async () => {
    assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
    const out = await bundleApp({ 'app.js': APP });
    server = await serveStatic(out);
    const expected = await nodeTwinWeights();

    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      for (const isolated of [true, false]) {
        const page = await browser.newPage();
        const errors = collectErrors(page);
        await page.goto(`${server.url}/index.html${isolated ? '?isolated' : ''}`);
        await page.waitForFunction(() => 'result' in window, undefined, { timeout: 120_000 });
        const r = await page.evaluate(
          () =>
            (
              window as unknown as {
                result: {
                  weights: number[][];
                  loss: number[];
                  threads: number;
                  note: string | null;
                  jobs: number[];
                  isolated: boolean;
                  ms: number;
                };
              }
            ).result,
        );
        assert.deepEqual(errors, [], 'no console errors');
        assert.equal(r.isolated, isolated);
        if (isolated) {
          assert.ok(r.threads >= 2, `threads in the isolated page: ${r.threads}`);
          assert.ok(
            r.jobs.some((j) => j > 0),
            `a Web Worker ran kernel jobs: ${JSON.stringify(r.jobs)}`,
          );
          assert.equal(r.note, null);
        } else {
          assert.equal(r.threads, 1);
          assert.match(r.note ?? '', /not cross-origin isolated/);
        }
        assert.deepEqual(
          r.weights,
          expected,
          `weights equal Node's bit for bit (${isolated ? 'isolated' : 'not isolated'})`,
        );
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
);
