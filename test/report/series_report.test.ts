// The report of a series model from the command line, opened in headless Chromium: `hourglass
// train series.csv --kind sequence --window 48 --report` and `hourglass report DIR series.csv`
// (node bin/hourglass.js, built by `npm run build`) give the series section, with the steps,
// scores, threshold and intervals that `hourglass detect` finds on the same file; no console
// errors, no network, every step a mark. A screenshot goes to $TMPDIR.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumSkip, collectErrors, findChromium } from '../helpers/browser.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-series-report-'));
const hourglass = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;

const START = Date.UTC(2024, 0, 1);
const time = (i: number) => new Date(START + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
const wave = (i: number) => Math.sin((2 * Math.PI * i) / 48) + 0.05 * Math.sin(i * 1.7);
const STEPS = 600,
  SPIKE = [400, 410] as const;
function writeSeries(file: string, value: (i: number) => number): void {
  const lines = ['timestamp,value'];
  for (let i = 0; i < STEPS; i++) lines.push(`${time(i)},${value(i).toFixed(5)}`);
  fs.writeFileSync(path.join(tmp, file), lines.join('\n') + '\n');
}
writeSeries('train.csv', wave);
writeSeries('test.csv', (i) => (i >= SPIKE[0] && i < SPIKE[1] ? 6 : wave(i)));

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

test('a sequence model report: the series, its scores and threshold, the flagged intervals', { skip }, async () => {
  const t = hourglass(
    ...['train', 'train.csv', '--kind', 'sequence', '--window', '48', '--epochs', '10', '--batch', '32'],
    ...['--lr', '0.003', '--out', 'seq', '--report', 'train.html', '--quiet'],
  );
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /report in train\.html/);
  const trained = fs.readFileSync(path.join(tmp, 'train.html'), 'utf8');
  assert.ok(trained.includes('data-section="series"'), 'train --report on a series has the series section');

  const r = hourglass('report', 'seq', 'test.csv', '--out', 'r.html', '--png', 'charts', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout)['steps'], STEPS);
  assert.deepEqual(
    (lastJson(r.stdout)['pngs'] as string[]).map((p) => path.basename(p, '.png')),
    ['loss-per-epoch', 'loss-per-step', 'series-values', 'series-scores'],
  );
  const d = hourglass('detect', 'seq', 'test.csv', '--out', 'scores.csv', '--json');
  assert.equal(d.code, 0, d.stderr);
  const detected = lastJson(d.stdout) as { threshold: number; flagged: number; intervals: { start: number }[] };
  assert.ok(detected.flagged > 0 && detected.intervals.length > 0, 'the spike is flagged');

  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const errors = collectErrors(page);
    const requests: string[] = [];
    await page.route('**/*', (route) => (requests.push(route.request().url()), route.abort()));
    await page.setContent(fs.readFileSync(path.join(tmp, 'r.html'), 'utf8'), { waitUntil: 'load' });
    await page.waitForFunction(() => window.hourglassReport !== undefined);
    const sections = await page.$$eval('section[data-section]', (s) => s.map((e) => e.getAttribute('data-section')));
    assert.deepEqual(sections, ['model', 'training', 'series']);
    const charts = await page.evaluate(() =>
      Object.fromEntries(
        Object.entries(window.hourglassReport!.charts).map(([id, { chart }]) => [
          id,
          {
            marks: (chart.data.slice(1) as (number | null)[][]).map(
              (y) => y.filter((v) => v !== null && v !== undefined).length,
            ),
            threshold: (chart.data[2] as (number | null)[] | undefined)?.[0] ?? null,
          },
        ]),
      ),
    );
    assert.deepEqual(charts['series-values']!.marks, [STEPS, detected.flagged], 'every step, and the flagged ones');
    assert.deepEqual(charts['series-scores']!.marks, [STEPS, STEPS], 'a score and the threshold at every step');
    assert.ok(Math.abs(charts['series-scores']!.threshold! - detected.threshold) < 1e-4 * detected.threshold);
    const intervals = await page.$$eval('table.series-intervals tbody tr td:nth-child(2)', (tds) =>
      tds.map((td) => td.textContent),
    );
    assert.equal(intervals.length, detected.intervals.length);
    assert.equal(intervals[0], time(detected.intervals[0]!.start), 'the interval starts where detect says');
    assert.match(
      (await page.$eval('[data-note="series-scoring"]', (p) => p.textContent)) ?? '',
      /largest training window error/,
    );
    assert.ok(charts['loss-per-epoch'], 'the training curves are drawn');
    assert.match(
      await page.$eval('#model .facts', (f) => f.textContent ?? ''),
      /conv1d sequence \(window 48, code 12x16\)/,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the report fetched nothing');
    const file = path.join(process.env['TMPDIR'] ?? os.tmpdir(), 'hourglass-report-series-model.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  } finally {
    await page.close();
  }
  const labelled = hourglass('report', 'seq', 'test.csv', '--labels', 'x.txt', '--out', 'l.html');
  assert.equal(labelled.code, 1);
  assert.match(labelled.stderr, /^error: --labels is for rows of data/);
});
