// The playground page in Debian's chromium (playwright-core), served by the playground's own
// server: MNIST with a dense autoencoder trains in the worker with a live loss chart, shows
// reconstructions and a code map, compresses to a file that decodes back, saves (zip download,
// IndexedDB) and loads back the same model; the breast-cancer table trains and ranks its rows by
// anomaly score under the threshold slider; with 10% of its cells blanked it trains around the
// gaps and fills them closer than the column means; a variational autoencoder, driven by the
// keyboard, draws samples. Every control is reached with Tab, and a phone-wide screen does not
// scroll sideways.

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
const dataNumber = async (page: Page, selector: string, key: string) =>
  Number(await page.$eval(selector, (e, k) => (e as HTMLElement).dataset[k], key));

/**
 * Tabs through the whole page: every visible, enabled control must take the focus, show a focus
 * ring, and have a label. Returns how many controls there were.
 */
async function checkKeyboard(page: Page): Promise<number> {
  const controls = await page.$$eval('button, input, select, textarea, a[href]', (els) =>
    els
      .filter((e) => !(e as HTMLButtonElement).disabled && e.getClientRects().length > 0)
      .map((e) => ({
        id: e.id,
        labelled:
          e.tagName === 'BUTTON' || e.tagName === 'A'
            ? (e.textContent ?? '').trim() !== ''
            : [...((e as HTMLInputElement).labels ?? [])].some((l) => (l.textContent ?? '').trim() !== '') ||
              !!e.getAttribute('aria-label'),
      })),
  );
  assert.ok(
    controls.every((c) => c.id),
    'every control has an id (for this check)',
  );
  assert.deepEqual(
    controls.filter((c) => !c.labelled).map((c) => c.id),
    [],
    'every control has a label (or text)',
  );
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.click(1, 1);
  const reached = new Map<string, boolean>();
  for (let i = 0; i < controls.length + 5; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const style = getComputedStyle(e);
      return { id: e.id, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (f) reached.set(f.id, f.ring);
  }
  const missed = controls.filter((c) => !reached.has(c.id)).map((c) => c.id);
  assert.deepEqual(missed, [], 'every control is reached with Tab');
  const ringless = [...reached].filter(([, ring]) => !ring).map(([id]) => id);
  assert.deepEqual(ringless, [], 'every focused control shows a focus ring');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return controls.length;
}

/** A phone-sized screen: one column, nothing wider than the screen; writes a screenshot. */
async function checkPhone(page: Page, shot: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 800 });
  // The charts follow their boxes' width (ResizeObserver) within a frame or two.
  await page
    .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, { timeout: 2000 })
    .catch(() => {});
  await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
  console.log(`screenshot: ${path.join(SHOTS, shot)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // Wide tables scroll inside their own box: only what sticks out of every scrolling box counts.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-scroll'))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className}`)
      .slice(0, 5),
  );
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide: ${wide.join(', ')})`);
  assert.deepEqual(wide, [], 'nothing outside a scrolling box is wider than the phone');
}

/** A canvas's images on a grid, as values in [0, 1] (ink), one array per image. */
function canvasImages(page: Page, selector: string, columns: number, size: number): Promise<number[][]> {
  return page.$eval(
    selector,
    (c, { cols, s }) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const images: number[][] = [];
      for (let k = 0; k < (canvas.height / s) * cols; k++) {
        const left = (k % cols) * s,
          top = Math.floor(k / cols) * s;
        const image: number[] = [];
        for (let y = 0; y < s; y++)
          for (let x = 0; x < s; x++) image.push(1 - d[4 * ((top + y) * canvas.width + left + x)]! / 255);
        images.push(image);
      }
      return images;
    },
    { cols: columns, s: size },
  );
}

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

    // Compress to a file (8-bit codes) and decode it back through the file input.
    assert.equal(await page.isHidden('#vae'), true, 'no samples panel for a dense autoencoder');
    await page.selectOption('#bits', '8');
    const [hgc] = await Promise.all([page.waitForEvent('download'), page.click('#compress-download')]);
    assert.equal(hgc.suggestedFilename(), 'hourglass-codes.hgc');
    const hgcPath = path.join(dir, 'codes.hgc');
    await hgc.saveAs(hgcPath);
    const hgcBytes = fs.readFileSync(hgcPath);
    // The HGC1 layout: an 18-byte header, scale and offset per code value, one byte per value, a CRC.
    assert.equal(hgcBytes.length, 18 + 8 * 16 + 2000 * 16 + 4, 'the file holds 2,000 16-value codes at 8 bits');
    assert.equal(hgcBytes.subarray(0, 4).toString('latin1'), 'HGC1');
    assert.match(await text(page, '#compress-info'), /2000 rows → 32,150 bytes \(8-bit codes\), 48\.8× smaller/);
    await page.setInputFiles('#compressed-file', hgcPath);
    await page.waitForFunction(() => document.getElementById('decoded-info')!.textContent.startsWith('Decoded'));
    const decodedError = await dataNumber(page, '#decoded-info', 'error');
    console.log(`decoded from the file: error ${decodedError} (reconstruction ${error})`);
    assert.ok(
      Math.abs(decodedError - Number(error)) < 0.1 * Number(error),
      `the file decodes with about the model's reconstruction error (${decodedError} vs ${error})`,
    );
    assert.ok((await inkedPixels(page, '#decoded-digits', 'bottom')) > 500, 'the decoded digits are drawn');

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
    // The loaded model is the one that wrote the file: it decodes it; a file that is not one is refused.
    await page.setInputFiles('#compressed-file', hgcPath);
    await page.waitForFunction(() => document.getElementById('decoded-info')!.textContent !== '');
    assert.match(await text(page, '#decoded-info'), /^Decoded 2000 rows/);
    assert.equal(await dataNumber(page, '#decoded-info', 'error'), decodedError);
    await page.setInputFiles('#compressed-file', {
      name: 'model.hgc',
      mimeType: 'application/octet-stream',
      buffer: fs.readFileSync(zip),
    });
    await page.waitForFunction(() => document.getElementById('decoded-info')!.textContent.startsWith('Cannot'));
    assert.match(await text(page, '#decoded-info'), /not an Hourglass compressed file/);
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

    // The table to a 16-bit file and back: rows in the table's units, with the model's error.
    const error = Number(await text(page, '#recon-error'));
    await page.selectOption('#bits', '16');
    const [hgc] = await Promise.all([page.waitForEvent('download'), page.click('#compress-download')]);
    const hgcPath = path.join(dir, 'table.hgc');
    await hgc.saveAs(hgcPath);
    assert.equal(fs.statSync(hgcPath).size, 18 + 8 * 4 + 569 * 4 * 2 + 4, '569 4-value codes at 16 bits');
    await page.setInputFiles('#compressed-file', hgcPath);
    await page.waitForFunction(() => document.getElementById('decoded-info')!.textContent !== '');
    assert.match(await text(page, '#decoded-info'), /^Decoded 569 rows/);
    const decodedError = await dataNumber(page, '#decoded-info', 'error');
    assert.ok(
      Math.abs(decodedError - error) < 0.01 * error,
      `16-bit codes decode as the model reconstructs (${decodedError} vs ${error})`,
    );
    const decoded = await page.$$eval('#decoded-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((td) => td.textContent)),
    );
    assert.equal(decoded.length, 10, 'five rows, original above decoded');
    assert.deepEqual(decoded[0]!.slice(0, 3), ['1', 'original', '17.99'], 'the first row as the file has it');
    assert.equal(decoded[1]![1], 'decoded');
    assert.ok(Math.abs(Number(decoded[1]![2]) - 17.99) < 3, `its mean radius decoded near 17.99 (${decoded[1]![2]})`);

    const shot = path.join(SHOTS, 'hourglass-playground-table.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    await checkKeyboard(page);
    await checkPhone(page, 'hourglass-playground-phone.png');

    // A variational autoencoder on the table draws new rows in the table's units.
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.selectOption('#member', 'variational');
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 40_000 });
    await page.click('#draw-samples');
    await page.waitForSelector('#vae-rows:not([hidden])');
    const sampled = await page.$$eval('#vae-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].slice(1).map((td) => Number(td.textContent))),
    );
    assert.equal(sampled.length, 6);
    assert.ok(
      sampled.every((r) => r.length === 30 && r.every(Number.isFinite)),
      'six rows of 30 numbers',
    );
    assert.notDeepEqual(sampled[0], sampled[1], 'the rows differ');
    // Mean radius in the sample lies within the data's range (6.98 to 28.1), give or take.
    assert.ok(
      sampled.every((r) => r[0]! > 0 && r[0]! < 40),
      `plausible mean radii (${sampled.map((r) => r[0]).join(', ')})`,
    );
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  },
);

/** 60 epochs (the table's preset) of a 30-16-4-16-30 dense autoencoder with 10% of the cells blanked: measured RMSE ... */
test(
  'the playground fills blanked cells of the breast-cancer table closer than the column means',
  { skip, timeout: 90_000 },
  async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#sample', 'breast-cancer');
    await sampleLoaded(page, 'rows');
    await page.click('#blank');
    await page.waitForFunction(() => document.getElementById('status')!.textContent.startsWith('Blanked'));
    // 10% of the 569 x 30 cells (the label column is not blanked).
    assert.match(await text(page, '#status'), /^Blanked 1707 cells/);
    assert.match(
      await text(page, '#data-info'),
      /1707 missing cells \(blanked by the demo\) start at their column's mean/,
    );
    // Notes the mask the page sends its training worker (the library's part is tested in worker_training.test.ts).
    await page.evaluate(() => {
      const post = Worker.prototype.postMessage as (this: Worker, m: unknown) => void;
      Worker.prototype.postMessage = function (this: Worker, m: { type?: string; mask?: Float32Array | null }) {
        if (m.type === 'fit')
          (window as unknown as { maskedOut: number }).maskedOut = m.mask ? m.mask.filter((v) => v === 0).length : -1;
        post.call(this, m);
      };
    });
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 60_000 });
    assert.equal(await page.isVisible('#fill'), true, 'the fill panel shows');
    const maskedOut = await page.evaluate(() => (window as unknown as { maskedOut: number }).maskedOut);
    assert.equal(maskedOut, 1707, 'the blanked cells are masked out of the training loss');
    assert.match(await text(page, '#fill-info'), /^Filled 1707 missing cells in \d+ rows/);
    const filledRmse = await dataNumber(page, '#fill-score', 'filled'),
      meansRmse = await dataNumber(page, '#fill-score', 'means');
    console.log(`blanked cells: RMSE ${filledRmse} filled, ${meansRmse} column means`);
    assert.ok(meansRmse > 0.8 && meansRmse < 1.2, `column means miss by about one standard deviation (${meansRmse})`);
    assert.ok(
      filledRmse < 0.75 * meansRmse,
      `the filled cells are closer than the column means (${filledRmse} vs ${meansRmse})`,
    );
    const marked = await page.$$eval('#filled-table td.filled', (tds) => tds.map((td) => td.textContent));
    assert.ok(marked.length > 12, `filled cells are marked (${marked.length})`);
    assert.ok(
      marked.every((t) => t !== '' && Number.isFinite(Number(t))),
      'each marked cell holds a number',
    );

    // The filled CSV: every cell present, the label column where the file has it, observed cells as they were.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-filled')]);
    assert.equal(download.suggestedFilename(), 'breast_cancer-filled.csv');
    const csvPath = path.join(dir, 'filled.csv');
    await download.saveAs(csvPath);
    const parse = (t: string) =>
      t
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(','));
    const got = parse(fs.readFileSync(csvPath, 'utf8')),
      original = parse(fs.readFileSync(path.join(root, 'data', 'breast_cancer.csv'), 'utf8'));
    assert.deepEqual(got[0], original[0], 'the same columns in the same order');
    assert.equal(got.length, original.length);
    let changed = 0;
    got.forEach((row, r) =>
      row.forEach((cell, c) => {
        assert.notEqual(cell, '', `row ${r} column ${c} is filled`);
        if (cell !== original[r]![c]) changed++;
      }),
    );
    assert.ok(changed > 1500 && changed <= 1707, `only the blanked cells differ from the file (${changed})`);
    // The page's RMSE, recomputed from the file: observed cells are equal, so the sum runs over the
    // blanked ones; each column in its standard deviation (of the whole column, here).
    let squares = 0;
    for (let c = 0; c < 30; c++) {
      const column = original.slice(1).map((row) => Number(row[c]));
      const mean = column.reduce((s, v) => s + v, 0) / column.length;
      const sd = Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length);
      got.slice(1).forEach((row, r) => (squares += ((Number(row[c]) - column[r]!) / sd) ** 2));
    }
    const fileRmse = Math.sqrt(squares / 1707);
    assert.ok(
      Math.abs(fileRmse - filledRmse) < 0.05 * filledRmse,
      `the filled CSV has the RMSE the page shows (${fileRmse} vs ${filledRmse})`,
    );

    const shot = path.join(SHOTS, 'hourglass-playground-fill.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    await checkKeyboard(page);
    await checkPhone(page, 'hourglass-playground-fill-phone.png');

    // A CSV of one's own with empty cells: trained around them and filled (no truth, so no score).
    await page.setViewportSize({ width: 1200, height: 900 });
    let gaps = 0;
    const lines = original
      .slice(0, 121)
      .map((row, r) =>
        row.map((cell, c) => (r > 0 && c < 30 && (r * 31 + c) % 23 === 0 ? (gaps++, '') : cell)).join(','),
      );
    await page.setInputFiles('#csv-file', {
      name: 'gaps.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    await sampleLoaded(page, 'gaps.csv');
    assert.match(
      await text(page, '#data-info'),
      new RegExp(`^gaps.csv \\(120 rows, 30 columns\\).*; ${gaps} missing cells start`),
    );
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 40_000 });
    assert.match(await text(page, '#fill-info'), new RegExp(`^Filled ${gaps} missing cells`));
    assert.equal(await page.isHidden('#fill-score'), true, 'no score without the hidden values');
    assert.ok((await page.$$('#filled-table td.filled')).length > 0, 'filled cells are marked');
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  },
);

test(
  'the playground trains a variational autoencoder from the keyboard and draws samples from its prior',
  { skip, timeout: 90_000 },
  async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#sample', 'mnist');
    await sampleLoaded(page, 'MNIST');
    // The member's own option, with its preset, shows for its member only.
    await page.focus('#member');
    await page.selectOption('#member', 'denoising');
    assert.equal(await page.isVisible('#noise'), true);
    assert.equal(await page.inputValue('#noise'), '0.3');
    assert.match(await text(page, '#noise-label'), /share of pixels masked/);
    assert.equal(await page.isVisible('#beta'), false);
    await page.selectOption('#member', 'sparse');
    assert.equal(await page.inputValue('#l1'), '0.0001');
    await page.selectOption('#member', 'variational');
    assert.equal(await page.isVisible('#noise'), false);
    assert.equal(await page.inputValue('#beta'), '1');
    await page.fill('#epochs', '8');
    await page.focus('#train');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 60_000 });
    assert.match(await text(page, '#status'), /Trained a variational autoencoder for 8 epochs/);
    assert.equal(await page.isVisible('#vae'), true, 'the samples panel shows for a VAE');

    await page.focus('#draw-samples');
    await page.keyboard.press(' ');
    await page.waitForSelector('#vae-images:not([hidden])');
    const first = await canvasImages(page, '#vae-samples', 8, 28);
    assert.equal(first.length, 32, '32 samples on the grid');
    const ink = first.map((im) => im.reduce((s, v) => s + v, 0) / im.length);
    // MNIST digits cover about 13% of their pixels with ink.
    assert.ok(Math.min(...ink) > 0.02, `every sample has ink (least ${Math.min(...ink).toFixed(3)})`);
    const distance = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    let closest = Infinity;
    for (let i = 0; i < first.length; i++)
      for (let j = i + 1; j < first.length; j++) closest = Math.min(closest, distance(first[i]!, first[j]!));
    console.log(
      `samples: ink ${Math.min(...ink).toFixed(3)}-${Math.max(...ink).toFixed(3)}, closest pair differs by ${closest.toFixed(4)} per pixel`,
    );
    assert.ok(closest > 0.01, `the samples differ from each other (closest pair: ${closest.toFixed(4)} per pixel)`);
    const path10 = await canvasImages(page, '#vae-path', 10, 28);
    assert.ok(distance(path10[0]!, path10[9]!) > 0.05, 'the walk goes from one digit to another');
    assert.match(await text(page, '#vae-path-caption'), /^From the code of row 1 \(a 5\) to that of row 2 \(a 0\)/);
    // Pressed again: new samples.
    await page.keyboard.press('Enter');
    const second = await canvasImages(page, '#vae-samples', 8, 28);
    assert.ok(distance(first[0]!, second[0]!) > 0.01, 'another press draws new samples');

    const shot = path.join(SHOTS, 'hourglass-playground-vae.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    const controls = await checkKeyboard(page);
    console.log(`${controls} controls reached with Tab`);
    await checkPhone(page, 'hourglass-playground-vae-phone.png');
    assert.deepEqual(errors, [], 'no console errors');
    await page.close();
  },
);

test(
  'the playground downloads the report of its model on the data shown: report.html opens offline with its sections',
  { skip, timeout: 120_000 },
  async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#sample', 'breast-cancer');
    await sampleLoaded(page, 'rows');
    await page.waitForSelector('body[data-state="ready"]');
    await page.fill('#epochs', '10');
    await page.click('#train');
    await page.waitForSelector('body[data-state="trained"]', { timeout: 40_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.click('#download-report'),
    ]);
    assert.equal(download.suggestedFilename(), 'report.html');
    const file = path.join(dir, 'report.html');
    await download.saveAs(file);
    await page.waitForFunction(() =>
      (document.getElementById('report-status')!.textContent ?? '').startsWith('Offered report.html'),
    );
    const html = fs.readFileSync(file, 'utf8');
    assert.match(await text(page, '#report-status'), new RegExp(`\\(${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`));
    assert.deepEqual(errors, [], 'no console errors on the playground');
    await page.close();

    // The downloaded page on its own: nothing fetched, every section for a labelled table, the charts drawn.
    const shown = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      const reportErrors = collectErrors(shown);
      const requests: string[] = [];
      await shown.route('**/*', (route) => (requests.push(route.request().url()), route.abort()));
      await shown.setContent(html, { waitUntil: 'load' });
      await shown.waitForFunction(() => window.hourglassReport !== undefined);
      const sections = await shown.$$eval('section[data-section]', (s) => s.map((e) => e.getAttribute('data-section')));
      assert.deepEqual(sections, ['model', 'training', 'table', 'codes', 'anomalies', 'compression']);
      const charts = await shown.evaluate(() =>
        Object.fromEntries(
          Object.entries(window.hourglassReport!.charts).map(([id, { chart }]) => [
            id,
            {
              series: chart.data.length - 1,
              marks: (chart.data.slice(1) as (number | null)[][]).reduce(
                (s, y) => s + y.filter((v) => v !== null && v !== undefined).length,
                0,
              ),
            },
          ]),
        ),
      );
      // The 569 rows, coloured by the diagnosis the page kept out of training (benign, malignant).
      assert.deepEqual(charts['code-map'], { series: 2, marks: 569 });
      assert.deepEqual(charts['code-umap'], { series: 2, marks: 569 });
      assert.equal(charts['loss-per-epoch']!.marks, 20, 'training and validation loss for 10 epochs');
      assert.ok(charts['roc-curve'] && charts['pr-curve'], 'the diagnosis as anomaly labels: ROC and PR curves');
      assert.equal(await shown.$$eval('table.column-errors tbody tr', (t) => t.length), 30, 'a row per column');
      assert.match(await shown.$eval('header p', (p) => p.textContent ?? ''), /^569 rows of breast_cancer\.csv/);
      assert.deepEqual(reportErrors, []);
      assert.deepEqual(requests, [], 'the report fetched nothing');
      const shot = path.join(SHOTS, 'hourglass-playground-report.png');
      await shown.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
    } finally {
      await shown.close();
    }
  },
);
