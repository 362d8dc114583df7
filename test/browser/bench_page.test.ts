// The bench's browser row (bench/systems/browser.ts through bench/browser/rows.ts) on tiny
// workloads in Debian's chromium: Hourglass and tfjs train in the same page, plainly served and
// cross-origin isolated, with finite positive rates. From the same initial weights and batches
// the two libraries' final losses agree (an independent check that the page trains the same model
// in both); on conv tfjs-wasm fails on its missing Conv2DBackpropFilter and tfjs-cpu stands in.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBrowser, type BrowserRow } from '../../bench/browser/rows.js';
import { glorotWeights } from '../../bench/weights.js';
import { WORKLOADS, type Workload } from '../../bench/workloads.js';
import { chromiumSkip, findChromium } from '../helpers/browser.js';

const skip = chromiumSkip(findChromium());
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** One timed block of few steps: the slow backends' reduced workload is then the same one. */
function tiny(name: string, batch: number, steps: number): Workload {
  return { ...WORKLOADS[name]!, batch, steps, blocks: 1 };
}

function run(w: Workload): ReturnType<typeof runBrowser> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-bench-test-')), 'w.f32');
  fs.writeFileSync(file, glorotWeights(w));
  try {
    return runBrowser(root, w, [2], file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

function find(rows: BrowserRow[], system: string, page: string): BrowserRow {
  const r = rows.find((x) => x.system === system && x.page === page);
  assert.ok(r, `${system} ran in the ${page} page: ${JSON.stringify(rows.map((x) => [x.system, x.page]))}`);
  assert.ok(Number.isFinite(r.samples_per_s) && r.samples_per_s > 0, `${system} rate ${r.samples_per_s}`);
  assert.ok(Number.isFinite(r.final_loss), `${system} loss ${r.final_loss}`);
  return r;
}

/** float32 sums in different orders: the losses of one model on one data agree to ~1e-4. */
function assertSameLoss(a: BrowserRow, b: BrowserRow): void {
  assert.ok(
    Math.abs(a.final_loss - b.final_loss) < 1e-3 * Math.abs(b.final_loss),
    `${a.system} ${a.final_loss} vs ${b.system} ${b.final_loss} (${a.page} page)`,
  );
}

test(
  'the bench page trains dense in Hourglass and tfjs-wasm, plain and isolated, to the same loss',
  { skip, timeout: 240_000 },
  () => {
    const { rows, failures } = run(tiny('dense', 64, 3));
    assert.deepEqual(failures, []);
    for (const page of ['not isolated', 'isolated']) {
      const hg = find(rows, 'hourglass', page);
      assertSameLoss(hg, find(rows, 'tfjs-wasm', page));
      assert.equal(hg.threads, page === 'isolated' ? 2 : 1);
    }
    // Isolated, Hourglass ran its kernel workers (the page reports the threads it got).
    assert.doesNotMatch(find(rows, 'hourglass', 'isolated').note ?? '', /one thread/);
    assert.match(find(rows, 'hourglass', 'not isolated').note ?? '', /one thread/);
  },
);

test('the bench page trains conv in Hourglass and tfjs-cpu where tfjs-wasm cannot', { skip, timeout: 240_000 }, () => {
  const { rows, failures } = run(tiny('conv', 16, 1));
  assert.ok(
    failures.some((f) => /tfjs-wasm/.test(f) && /Conv2DBackpropFilter/.test(f)),
    `tfjs-wasm's failure is recorded: ${failures.join(' | ')}`,
  );
  const hg = find(rows, 'hourglass', 'not isolated');
  find(rows, 'hourglass', 'isolated');
  assertSameLoss(hg, find(rows, 'tfjs-cpu', 'not isolated'));
  assert.ok(!rows.some((r) => r.system === 'tfjs-wasm'), 'no tfjs-wasm conv row');
  // WebGL (SwiftShader without a GPU) either trains the same model or says why it could not.
  const webgl = rows.find((r) => r.system === 'tfjs-webgl');
  if (webgl) assertSameLoss(hg, find(rows, 'tfjs-webgl', 'not isolated'));
  else
    assert.ok(
      failures.some((f) => /tfjs-webgl/.test(f)),
      `tfjs-webgl ran or failed: ${failures.join(' | ')}`,
    );
});
