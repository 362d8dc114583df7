// Reports in headless Chromium (Debian's chromium, every request blocked and counted): the MNIST
// report (10,000 test digits) and the breast-cancer table report open with no console errors and
// no network, have every section that applies, and every chart drawn with one mark per thing
// (a point per code row, a bar per histogram bin, a point per curve step). Screenshots go to
// $TMPDIR for people to look at. And the browser entry itself writes a report in a page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { report } from '../../src/index.js';
import { averagePrecision, rocAuc } from '../../src/apps/metrics.js';
import { prepareTable } from '../../src/apps/tabular.js';
import { bundleApp, chromiumSkip, collectErrors, findChromium, serveStatic } from '../helpers/browser.js';
import { cancerModel, cancerTable, mnistModel } from './helpers.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);
const SHOTS = process.env['TMPDIR'] ?? os.tmpdir();
let browser: Browser | null = null;

before(async () => {
  if (skip) return;
  const { chromium: pw } = await import('playwright-core');
  browser = await pw.launch({ executablePath: chromium!, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

interface ChartState {
  id: string;
  kind: string;
  /** Non-null values over the y series: the marks uPlot draws. */
  marks: number;
  xLength: number;
  series: number;
  /** Sum of the histogram's bar heights (its counts). */
  total: number;
  /** Distinct saturated colours on the chart's canvas, and how many saturated pixels. */
  colours: number;
  colouredPixels: number;
}

/** Opens the report with every request refused and recorded; returns the page state. */
async function openReport(html: string, shot: string) {
  const page: Page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = collectErrors(page);
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await page.setContent(html, { waitUntil: 'load' });
  await page.waitForFunction(() => window.hourglassReport !== undefined);
  const charts = await page.evaluate(() =>
    Object.entries(window.hourglassReport!.charts).map(([id, { spec, chart }]) => {
      const ys = chart.data.slice(1) as (number | null | undefined)[][];
      const canvas = chart.ctx.canvas;
      const d = chart.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3]! < 200 || Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) < 50)
          continue;
        coloured++;
        colours.add(((d[i]! >> 4) << 8) | ((d[i + 1]! >> 4) << 4) | (d[i + 2]! >> 4));
      }
      return {
        id,
        kind: spec.kind,
        marks: ys.reduce((s, y) => s + y.filter((v) => v !== null && v !== undefined).length, 0),
        xLength: chart.data[0].length,
        series: ys.length,
        total: spec.kind === 'histogram' ? (ys[0] as number[]).reduce((a, b) => a + b, 0) : 0,
        colours: colours.size,
        colouredPixels: coloured,
      };
    }),
  );
  const sections = await page.$$eval('section[data-section]', (s) => s.map((e) => e.getAttribute('data-section')!));
  const images = await page.$$eval('figure.images img', (imgs) =>
    imgs.map((i) => ({ ok: (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0 })),
  );
  const boxes = await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart')!));
  const file = path.join(SHOTS, shot);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return { page, errors, requests, charts: new Map(charts.map((c: ChartState) => [c.id, c])), sections, images, boxes };
}

test(
  'the MNIST report (10,000 test digits): under 5 MB, offline, every section and chart drawn',
  { skip },
  async () => {
    const { ae, test: digits } = await mnistModel();
    const t0 = performance.now();
    const html = report(
      ae,
      { data: digits.images.data, shape: [10_000, 784] },
      { labels: digits.labels, image: [28, 28, 1], source: 'mnist:test' },
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(`MNIST report of 10,000 rows: ${seconds.toFixed(2)} s, ${(html.length / 1e6).toFixed(2)} MB`);
    assert.ok(Buffer.byteLength(html) < 5e6, `${Buffer.byteLength(html)} bytes`);
    const r = await openReport(html, 'hourglass-report-mnist.png');
    try {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.requests, [], 'the report fetched nothing');
      assert.deepEqual(r.sections, ['model', 'training', 'images', 'codes', 'anomalies', 'compression']);
      assert.ok(r.images.length >= 3 && r.images.every((i) => i.ok), 'every image decoded');
      assert.deepEqual([...r.charts.keys()].sort(), [...r.boxes].sort(), 'a chart in every box');
      const map = r.charts.get('code-map')!;
      assert.equal(map.marks, 10_000, 'one point per code row');
      assert.equal(map.series, 10, 'a series per digit');
      assert.ok(map.colours >= 10, `${map.colours} colours drawn on the map`);
      // UMAP draws a seeded sample of 2,000 of the 10,000 rows, and the page says so.
      const umap = r.charts.get('code-umap')!;
      assert.equal(umap.marks, 2000, 'one point per sampled code row');
      assert.equal(umap.series, 10);
      assert.ok(umap.colours >= 10, `${umap.colours} colours drawn on the UMAP map`);
      assert.match(
        (await r.page.$eval('[data-note="codes"]', (p) => p.textContent)) ?? '',
        /on 2,000 of the 10,000 rows picked at random/,
      );
      const hist = r.charts.get('score-histogram')!;
      assert.equal(hist.marks, 40, 'one bar per bin');
      assert.equal(hist.total, 10_000, 'the bins hold every row');
      assert.ok(hist.colouredPixels > 2000, 'the bars are drawn');
      const epochs = r.charts.get('loss-per-epoch')!;
      assert.equal(epochs.xLength, 2);
      assert.equal(epochs.marks, 4, 'training and validation loss for 2 epochs');
      // 2,700 training rows in batches of 100: 27 steps per epoch.
      assert.equal(r.charts.get('loss-per-step')!.marks, 54);
      assert.equal(r.charts.get('compression-errors')!.total, 10_000);
      const knn = await r.page.$eval('[data-knn="codes"] b', (b) => b.textContent);
      assert.match(knn ?? '', /^\d+(\.\d+)?%$/);
    } finally {
      await r.page.close();
    }
  },
);

test(
  'the breast-cancer table report: columns, worst rows, filled cells, ROC and PR with their areas',
  { skip },
  async () => {
    const { table, labels, gaps } = cancerTable();
    const ae = await cancerModel(table);
    const html = report(ae, table, { labels, labelNames: ['benign', 'malignant'], source: 'breast_cancer.csv' });
    const r = await openReport(html, 'hourglass-report-breast-cancer.png');
    try {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.requests, []);
      assert.deepEqual(r.sections, ['model', 'training', 'table', 'codes', 'anomalies', 'compression']);
      assert.equal(await r.page.$$eval('table.column-errors tbody tr', (t) => t.length), 30, 'a row per column');
      assert.equal(await r.page.$$eval('[data-bar="column-error"]', (t) => t.length), 30, 'a bar per column');
      assert.equal(await r.page.$$eval('table.worst-rows tbody tr', (t) => t.length), 10);
      const filled = await r.page.$$eval('table.filled-cells tbody tr', (rows) =>
        rows.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
      );
      assert.deepEqual(
        filled,
        gaps.map(([row, column]) => [String(row + 1), column]),
      );
      const map = r.charts.get('code-map')!;
      assert.equal(map.marks, 569);
      assert.equal(map.series, 2);
      assert.equal(r.charts.get('code-umap')!.marks, 569, 'under the cap UMAP draws every row');
      assert.equal(r.charts.get('code-umap')!.series, 2);
      // The areas the page prints are those of the model's scores, computed here independently.
      const scores = ae.score(prepareTable(ae, table, 'bc').x, { mask: prepareTable(ae, table, 'bc').mask });
      const shown = await r.page.$$eval('[data-metric] b', (b) => b.map((e) => Number(e.textContent)));
      assert.ok(Math.abs(shown[0]! - rocAuc(scores, labels)) < 1e-3, `ROC-AUC ${shown[0]}`);
      assert.ok(Math.abs(shown[1]! - averagePrecision(scores, labels)) < 1e-3, `PR-AUC ${shown[1]}`);
      const roc = r.charts.get('roc-curve')!;
      assert.ok(roc.xLength > 100 && roc.marks === roc.xLength, 'a point per ROC step');
      assert.ok(roc.colouredPixels > 300, 'the ROC curve is drawn');
      assert.ok(r.charts.get('pr-curve')!.marks > 100);
      assert.equal(r.charts.get('score-histogram')!.total, 569);
    } finally {
      await r.page.close();
    }
  },
);

// The browser build's report() ('hourglass-ae/report', beside the main entry so uPlot stays out
// of the main bundle): a page trains a model and writes its report (no Node module).
const APP = `
import { ready, autoencoders, tensor } from 'hourglass-ae';
import { report } from 'hourglass-ae/report';
await ready({ fma: false });
const rows = 200, x = new Float32Array(rows * 16);
for (let i = 0; i < x.length; i++) x[i] = (Math.sin(i * 0.37) + 1) / 2;
const ae = autoencoders.variational({ hidden: [8], latent: 2 });
await ae.fit(tensor(x, [rows, 16]), { epochs: 2, batchSize: 32, verbose: false });
const labels = Array.from({ length: rows }, (_, i) => i % 2);
window.made = report(ae, tensor(x, [rows, 16]), { labels });
document.body.dataset.state = 'ready';
`;

test('the browser entry writes a report in a page', { skip }, async () => {
  const out = await bundleApp({ 'app.js': APP });
  const server = await serveStatic(out);
  const page = await browser!.newPage();
  try {
    const errors = collectErrors(page);
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector('body[data-state="ready"]', { state: 'attached', timeout: 30_000 });
    const html = await page.evaluate(() => (window as unknown as { made: string }).made);
    assert.deepEqual(errors, []);
    for (const id of ['model', 'training', 'codes', 'anomalies', 'vae', 'compression'])
      assert.ok(html.includes(`data-section="${id}"`), `section ${id}`);
    assert.ok(html.includes('"id":"roc-curve"'));
    assert.ok(html.includes('"id":"code-umap"'), 'umap-js runs in the browser build');
  } finally {
    await page.close();
    server.close();
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
});
