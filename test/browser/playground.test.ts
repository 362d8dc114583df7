// The playground page in Debian's chromium (playwright-core), served by the playground's own
// server: MNIST with a dense autoencoder trains in the worker with a live loss chart, shows
// reconstructions and a code map, saves (zip download, IndexedDB) and loads back the same model;
// the breast-cancer table trains and ranks its rows by anomaly score under the threshold slider.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { serveStaticFolder, type RunningServer } from '../../src/server/static.js';
import { chromiumSkip, collectErrors, findChromium } from '../helpers/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chromium = findChromium();
const skip = chromiumSkip(chromium);

/** Where the screenshots go (printed), for people to look at. */
const SHOTS = process.env['TMPDIR'] ?? os.tmpdir();
/** 15 epochs of a 784-128-16-128-784 dense autoencoder on the 1,600 training digits: measured 0.1460 (BCE per pixel). */
const MNIST_LOSS_BELOW = 0.16;

let server: RunningServer | null = null;
let browser: Browser | null = null;
let dir = '';

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-playground-'));
  // The page as it is now (the build step, into a fresh folder), with the kernels dist/ holds.
  execFileSync(process.execPath, ['--import', 'tsx', 'tools/build_web.ts', path.join(dir, 'web')], { cwd: root });
  server = await serveStaticFolder({ dir: path.join(dir, 'web'), port: 0 });
  const { chromium: pw } = await import('playwright-core');
  browser = await pw.launch({ executablePath: chromium!, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(server!.url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 20_000 });
  return { page, errors };
}

/** Pixels of a canvas that are not (near) white: drawn ones. */
function inkedPixels(page: Page, selector: string, region: 'all' | 'bottom' = 'all'): Promise<number> {
  return page.$eval(
    selector,
    (c, where) => {
      const canvas = c as HTMLCanvasElement;
      const top = where === 'bottom' ? canvas.height / 2 : 0;
      const d = canvas.getContext('2d')!.getImageData(0, top, canvas.width, canvas.height - top).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && d[i]! + d[i + 1]! + d[i + 2]! < 600) n++;
      return n;
    },
    region,
  );
}

/** Coloured (saturated) pixels of a chart canvas: points or curves, not axes or text. */
function colouredPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3]! > 0 && Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 60) n++;
    return n;
  });
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');

/** Waits until the page has loaded the picked sample (it then resets the sizes to that sample's presets). */
async function sampleLoaded(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (want) =>
      (document.getElementById('data-info')?.textContent ?? '').includes(want) &&
      !(document.getElementById('train') as HTMLButtonElement).disabled,
    name,
    { timeout: 30_000 },
  );
}

test(
  'the playground trains a dense autoencoder on MNIST, draws it, and saves and loads it',
  { skip, timeout: 90_000 },
  async () => {
    const { page, errors } = await openPage();
    assert.match(
      await text(page, '#engine'),
      /Engine ready: [2-9] threads/,
      'cross-origin isolated: kernel threads run',
    );
    await page.selectOption('#sample', 'mnist');
    await sampleLoaded(page, 'MNIST');
    await page.selectOption('#member', 'dense');
    await page.fill('#hidden', '128');
    await page.fill('#latent', '16');
    await page.fill('#epochs', '15');
    const epochsSeen: number[] = [];
    await page.exposeFunction('noteEpoch', (n: number) => epochsSeen.push(n));
    await page.evaluate(() => {
      // Counts the loss chart's redraws as epochs arrive (the chart is live, not drawn at the end).
      const status = document.getElementById('final-loss')!;
      new MutationObserver(() => (window as unknown as { noteEpoch(n: number): void }).noteEpoch(Date.now())).observe(
        status,
        { childList: true },
      );
    });
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 60_000 });

    // The sample's presets must not have overwritten the sizes filled in above.
    assert.match(await text(page, '#status'), /for 15 epochs/);
    const loss = Number(await page.$eval('#final-loss', (e) => (e as HTMLElement).dataset['value']));
    console.log(`final training loss ${loss}, ${await text(page, '#speed')}`);
    assert.ok(loss < MNIST_LOSS_BELOW, `final training loss ${loss} below ${MNIST_LOSS_BELOW}`);
    assert.ok(epochsSeen.length >= 3, `the loss readout changed after each epoch (${epochsSeen.length} times)`);
    assert.match(await text(page, '#final-loss'), /validation/, 'validation loss shown');
    assert.match(await text(page, '#speed'), /^[\d,]+ samples\/s$/);
    assert.ok((await colouredPixels(page, '#loss-chart canvas')) > 200, 'the loss chart has curves');
    assert.ok((await inkedPixels(page, '#digits', 'bottom')) > 500, 'the reconstructions are drawn (not blank)');
    assert.ok((await colouredPixels(page, '#code-map canvas')) > 2000, 'the code map has coloured points');
    assert.match(await text(page, '#code-map-caption'), /16-value codes of all 2000 rows.*coloured by digit/);
    const error = await text(page, '#recon-error');
    assert.ok(Number(error) > 0 && Number(error) < 0.05, `mean reconstruction error ${error}`);

    const shot = path.join(SHOTS, 'hourglass-playground.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);

    // Save as a download, load it back through the file input: the same reconstruction error.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const zip = path.join(dir, download.suggestedFilename());
    await download.saveAs(zip);
    assert.equal(path.basename(zip), 'hourglass-dense.zip');
    await page.setInputFiles('#model-file', zip);
    await page.waitForFunction(() => document.getElementById('save-status')!.textContent.startsWith('Loaded'));
    assert.equal(await text(page, '#recon-error'), error, 'the loaded zip reconstructs as the trained model');

    // And through IndexedDB.
    await page.click('#save-idb');
    await page.waitForFunction(() => document.getElementById('save-status')!.textContent.startsWith('Saved'));
    await page.click('#load-idb');
    await page.waitForFunction(() =>
      /^Loaded .* this browser/.test(document.getElementById('save-status')!.textContent),
    );
    assert.match(await text(page, '#save-status'), /^Loaded a dense autoencoder/);
    assert.equal(await text(page, '#recon-error'), error, 'the IndexedDB copy reconstructs as the trained model');
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  },
);

test(
  'the playground trains on the breast-cancer table and ranks rows by anomaly score',
  { skip, timeout: 60_000 },
  async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#sample', 'breast-cancer');
    await sampleLoaded(page, 'rows');
    await page.waitForSelector('body[data-state="ready"]');
    assert.match(await text(page, '#data-info'), /569 rows, 30 columns.*'diagnosis' is kept out/);
    assert.equal(await page.$eval('#member option[value="conv"]', (o) => (o as HTMLOptionElement).disabled), true);
    await page.fill('#epochs', '30');
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 40_000 });

    const rows = () =>
      page.$$eval('#anomaly-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const first = await rows();
    // 5% of 569 rows are flagged by default.
    assert.equal(first.length, 29, 'the top 5% of rows are listed (above the 0.95 quantile)');
    const scores = first.map((r) => Number(r[2]));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'ranked by score, worst first',
    );
    for (const r of first) {
      assert.match(r[3]!, /^(benign|malignant)$/, 'each row shows its diagnosis');
      assert.ok(r[4] && r[4] !== '–', 'each row names its worst feature');
    }
    assert.ok((await colouredPixels(page, '#code-map canvas')) > 500, 'the code map is drawn');
    // The slider, by keyboard: 10 steps of 0.5% up flags more rows.
    await page.focus('#threshold');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await text(page, '#threshold-share'), '10%');
    assert.equal((await rows()).length, 50, 'more rows flagged (the worst 50 listed)');
    assert.match(await text(page, '#threshold-info'), /^57 of 569 rows score above/);

    const shot = path.join(SHOTS, 'hourglass-playground-table.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    // A phone-sized screen: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    // The charts follow their boxes' width (ResizeObserver) within a frame or two.
    await page
      .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, { timeout: 2000 })
      .catch(() => {});
    await page.screenshot({ path: path.join(SHOTS, 'hourglass-playground-phone.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className}`)
        .slice(0, 5),
    );
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide: ${wide.join(', ')})`);
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  },
);
