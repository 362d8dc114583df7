// The series section through the report's sections hook, in headless Chromium: a NAB series
// scored by rolling z-scores (one-step windows), its values with the flagged steps, the scores
// with the threshold, and the intervals, every step a mark.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  autoencoders,
  detectSeriesAnomalies,
  loadNabSeries,
  report,
  rollingZScores,
  seriesSection,
  slidingWindows,
  tensor,
} from '../../src/index.js';
import { chromiumSkip, collectErrors, findChromium } from '../helpers/browser.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);
let browser: Browser | null = null;
before(async () => {
  if (skip) return;
  const { chromium: pw } = await import('playwright-core');
  browser = await pw.launch({ executablePath: chromium!, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

test('a series section: values, flagged steps, scores, threshold and intervals', { skip }, async () => {
  const { series } = loadNabSeries('artificialWithAnomaly/art_daily_jumpsup.csv');
  const errors = Float64Array.from(rollingZScores(series), Math.abs);
  const windows = slidingWindows(series, { window: 1 });
  const detection = detectSeriesAnomalies(series, windows, errors, { threshold: { contamination: 0.01 } });
  const ae = autoencoders.dense({ hidden: [4], latent: 2 });
  await ae.fit(
    tensor(
      new Float32Array(64).map((_, i) => (i % 8) / 8),
      [8, 8],
    ),
    { epochs: 1, verbose: false },
  );
  const html = report(ae, null, { sections: [seriesSection(series, detection)] });
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const errs = collectErrors(page);
    const requests: string[] = [];
    await page.route('**/*', (r) => (requests.push(r.request().url()), r.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForFunction(() => window.hourglassReport !== undefined);
    const marks = await page.evaluate(() =>
      Object.fromEntries(
        Object.entries(window.hourglassReport!.charts).map(([id, { chart }]) => [
          id,
          (chart.data.slice(1) as (number | null)[][]).map(
            (y) => y.filter((v) => v !== null && v !== undefined).length,
          ),
        ]),
      ),
    );
    const flagged = detection.flagged.reduce((a, b) => a + b, 0);
    assert.ok(flagged > 0);
    assert.deepEqual(marks['series-values'], [series.steps, flagged]);
    assert.deepEqual(marks['series-scores'], [series.steps, series.steps]);
    assert.equal(await page.$$eval('table.series-intervals tbody tr', (r) => r.length), detection.intervals.length);
    assert.deepEqual(errs, []);
    assert.deepEqual(requests, []);
    const file = path.join(process.env['TMPDIR'] ?? os.tmpdir(), 'hourglass-report-series.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  } finally {
    await page.close();
  }
});
