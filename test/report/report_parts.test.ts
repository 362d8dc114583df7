// The report's parts in Node: the PNG encoder (decoded by pngjs), the rasterized charts (bar
// heights measured in pixels), the ROC and PR curves (their areas against metrics.ts's closed
// forms), the sections each model gets, and clear errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { autoencoders, report, tensor } from '../../src/index.js';
import { averagePrecision, rocAuc } from '../../src/apps/metrics.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { loadMnist } from '../../src/data/mnist.js';
import { histogram } from '../../src/report/chart_spec.js';
import { encodeRgbaPng } from '../../src/report/png_bytes.js';
import { niceTicks, renderChart, timeTicks } from '../../src/report/raster.js';
import { rankingCurves } from '../../src/report/sections/anomalies_section.js';

test('PNGs from the report encoder decode (pngjs) to the same pixels', () => {
  const rng = new Random(1);
  const width = 37,
    height = 11;
  const data = Uint8Array.from({ length: width * height * 4 }, () => Math.floor(rng.uniform() * 256));
  const png = PNG.sync.read(Buffer.from(encodeRgbaPng({ width, height, data })));
  assert.equal(png.width, width);
  assert.equal(png.height, height);
  assert.deepEqual(new Uint8Array(png.data), data);
});

test('histogram counts and nice ticks', () => {
  const h = histogram([0, 0.1, 0.5, 0.99, 1, 2, -1], 4, 0, 1);
  assert.deepEqual(h.edges, [0, 0.25, 0.5, 0.75, 1]);
  // -1 goes to the first bin, 1 and 2 to the last.
  assert.deepEqual(h.counts, [3, 0, 1, 3]);
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(1, 3, 6, 1), [1, 2, 3]);
});

test('time ticks of the PNG charts fall on round UTC times, labelled as dates and times of day', () => {
  const hour = 3600;
  const lo = Date.UTC(2024, 0, 1, 1, 30) / 1000,
    hi = lo + 59 * hour;
  // 59 hours (to 2024-01-03 12:30) over about 5 ticks: a tick every 12 hours, from 2024-01-01 12:00 on.
  const ticks = timeTicks(lo, hi, 5);
  assert.deepEqual(
    ticks.map((t) => t.text),
    ['01-01 12:00', '01-02 00:00', '01-02 12:00', '01-03 00:00', '01-03 12:00'],
  );
  assert.deepEqual(
    ticks.map((t) => t.at),
    [12, 24, 36, 48, 60].map((h) => Date.UTC(2024, 0, 1, h) / 1000),
  );
  // Three months: a tick every 30 days, labelled by date.
  const months = timeTicks(Date.UTC(2024, 0, 1) / 1000, Date.UTC(2024, 3, 1) / 1000, 5);
  assert.ok(months.length >= 3 && months.every((t) => /^\d{4}-\d{2}-\d{2}$/.test(t.text)));
  assert.ok(months.every((t, i) => i === 0 || t.at - months[i - 1]!.at === 30 * 86400));
});

test('a rasterized histogram draws bars as tall as their counts', () => {
  const img = renderChart(
    { kind: 'histogram', id: 'h', title: 'test', xLabel: 'x', yLabel: 'n', edges: [0, 1, 2, 3], counts: [10, 20, 40] },
    600,
    400,
  );
  // The bar colour (PALETTE[0], #4e79a7) counted down the middle column of each bar.
  const barHeight = (k: number) => {
    const x = Math.round(80 + ((k + 0.5) / 3) * (600 - 24 - 80));
    let n = 0;
    for (let y = 0; y < 400; y++) {
      const at = (y * 600 + x) * 4;
      if (img.data[at] === 0x4e && img.data[at + 1] === 0x79 && img.data[at + 2] === 0xa7) n++;
    }
    return n;
  };
  const [a, b, c] = [barHeight(0), barHeight(1), barHeight(2)];
  // The plot is 292 pixels tall for counts up to 42 (40 plus 5% headroom).
  assert.ok(Math.abs(c - (292 * 40) / 42) <= 2, `tallest bar ${c}`);
  assert.ok(Math.abs(b - c / 2) <= 2 && Math.abs(a - c / 4) <= 2, `bars ${a}, ${b}, ${c}`);
});

test('the ROC and PR curves have the areas of ROC-AUC and average precision (ties included)', () => {
  const rng = new Random(4);
  const n = 300;
  const labels = Int32Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 1 : 0));
  // Rounded scores: many ties, which both curves must take as single steps.
  const scores = Float32Array.from(labels, (l) => Math.round((rng.normal() + 1.2 * l) * 4) / 4);
  const { roc, pr } = rankingCurves(scores, labels);
  let area = 0;
  for (let i = 1; i < roc.x.length; i++) area += ((roc.x[i]! - roc.x[i - 1]!) * (roc.y[i]! + roc.y[i - 1]!)) / 2;
  assert.ok(Math.abs(area - rocAuc(scores, labels)) < 1e-12, `${area} vs ${rocAuc(scores, labels)}`);
  let ap = 0;
  for (let i = 0; i < pr.x.length; i++) ap += (pr.x[i]! - (i ? pr.x[i - 1]! : 0)) * pr.y[i]!;
  assert.ok(Math.abs(ap - averagePrecision(scores, labels)) < 1e-12);
});

const digits = loadMnist('test');
const images = (n: number) => ({ data: digits.images.data.subarray(0, n * 784), shape: [n, 784] });
const count = (html: string, id: string) =>
  Number(new RegExp(`data-images="${id}" data-count="(\\d+)"`).exec(html)?.[1]);

test('a VAE report has samples and an interpolation; a denoising one noisy, denoised and clean images', async () => {
  const vae = autoencoders.variational({ hidden: [32], latent: 4 });
  await vae.fit(images(600), { epochs: 1, batchSize: 64, verbose: false });
  const html = report(vae, images(300), { image: [28, 28, 1], labels: digits.labels.subarray(0, 300) });
  assert.equal(count(html, 'vae-samples'), 16);
  assert.equal(count(html, 'vae-interpolation'), 10);
  // The interpolation runs between row 1 and the first row with another label.
  const other = digits.labels.findIndex((l) => l !== digits.labels[0]);
  assert.ok(html.includes(`row 1 and row ${other + 1}`));

  const den = autoencoders.denoising({ hidden: [32], latent: 8, noise: { type: 'masking', rate: 0.3 } });
  await den.fit(images(600), { epochs: 1, batchSize: 64, verbose: false });
  const page = report(den, images(300), { image: [28, 28, 1] });
  assert.equal(count(page, 'denoising'), 36, 'noisy, denoised and clean rows of 12');
  assert.equal(count(page, 'reconstructions'), 24);
  assert.ok(!page.includes('data-section="vae"'));
});

test('without data a report has the model and its training; bad input is a clear error', async () => {
  const x = tensor(
    Float32Array.from({ length: 40 * 6 }, (_, i) => (i % 7) / 7),
    [40, 6],
  );
  const ae = autoencoders.dense({ hidden: [4], latent: 2 });
  assert.throws(() => report(ae), /not been trained yet/);
  await ae.fit(x, { epochs: 2, batchSize: 10, verbose: false });
  const html = report(ae);
  assert.deepEqual(
    [...html.matchAll(/data-section="([a-z]+)"/g)].map((m) => m[1]),
    ['model', 'training'],
  );
  const refused = (re: RegExp) => (e: unknown) => e instanceof HourglassError && re.test(e.message);
  assert.throws(() => report(ae, x, { labels: [1, 2, 3] }), refused(/3 labels for 40 rows/));
  assert.throws(() => report(ae, tensor(new Float32Array(40 * 5), [40, 5])), refused(/rows of 5 values/));
  assert.throws(() => report(ae, x, { contamination: 0.7 }), refused(/contamination must be between 0 and 0.5/));
  assert.throws(() => report(ae, x, { image: [2, 2, 1] }), refused(/image shape 2x2x1 does not match rows of 6/));
});
