// The command line on time series (node bin/hourglass.js, built by `npm run build`): train
// --kind sequence, detect with each threshold rule (per-step scores and flags, intervals, --json),
// encode one code per window, denoise and impute series, and one-line errors for bad series.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { savedFilePath } from '../helpers/saved_folder.js';
import { stepTime, wave } from '../helpers/series_steps.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-series-cli-'));

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;
const readCsv = (file: string) =>
  fs
    .readFileSync(path.join(tmp, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

/** A daily-like cycle of 48 steps with a little deterministic wiggle; spike: steps set to 6. */
function writeSeries(file: string, steps: number, value: (i: number) => string | number, header = 'timestamp,value') {
  const lines = [header];
  for (let i = 0; i < steps; i++) lines.push(`${stepTime(i)},${value(i)}`);
  fs.writeFileSync(path.join(tmp, file), lines.join('\n') + '\n');
}
const SPIKE = [400, 410] as const;
writeSeries('train.csv', 600, (i) => wave(i).toFixed(5));
writeSeries('test.csv', 600, (i) => (i >= SPIKE[0] && i < SPIKE[1] ? 6 : wave(i)).toFixed(5));

test('train --kind sequence, then detect: scores and flags per step, the spike as the one interval', () => {
  const t = hourglass(
    ...['train', 'train.csv', '--kind', 'sequence', '--window', '48', '--epochs', '12', '--batch', '32'],
    ...['--lr', '0.003', '--out', 'conv', '--json'],
  );
  assert.equal(t.code, 0, t.stderr);
  const tj = lastJson(t.stdout);
  assert.equal(tj['arch'], 'conv1d');
  assert.equal(tj['windows'], 600 - 48 + 1);
  const model = JSON.parse(fs.readFileSync(savedFilePath(path.join(tmp, 'conv'), 'model.json'), 'utf8'));
  assert.equal(model.extra.autoencoder.kind, 'sequence');
  assert.equal(model.extra.series.scaling.columns[0].name, 'value');

  const d = hourglass('detect', 'conv', 'test.csv', '--out', 'scores.csv', '--intervals', 'intervals.csv', '--json');
  assert.equal(d.code, 0, d.stderr);
  const dj = lastJson(d.stdout);
  // The default threshold is the largest training window error.
  assert.equal(dj['threshold'], tj['trainingMaximum']);
  const rows = readCsv('scores.csv');
  assert.deepEqual(rows[0], ['timestamp', 'value', 'score', 'anomaly']);
  assert.equal(rows.length, 601);
  assert.equal(rows[1]![0], stepTime(0));
  const flagged = rows.slice(1).flatMap((r, i) => (r[3] === '1' ? [i] : []));
  assert.ok(flagged.length > 0, 'nothing flagged');
  // Keras's rule: a flagged step has every covering window above the threshold, so only steps
  // whose every window holds part of the spike can be flagged.
  for (const i of flagged) assert.ok(i >= SPIKE[1] - 48 && i < SPIKE[0] + 48, `step ${i} flagged`);
  const intervals = dj['intervals'] as { start: number; end: number; peak: number }[];
  assert.equal(intervals.length, 1);
  assert.deepEqual(readCsv('intervals.csv')[1]!.slice(0, 2).map(Number), [intervals[0]!.start, intervals[0]!.end]);

  // The other rules: a quantile below 1 lowers the threshold; contamination flags about that share
  // of windows; a given threshold is used as it is.
  const q = lastJson(hourglass('detect', 'conv', 'test.csv', '--out', 'q.csv', '--quantile', '0.5', '--json').stdout);
  assert.ok((q['threshold'] as number) < (dj['threshold'] as number));
  const c = lastJson(
    hourglass('detect', 'conv', 'test.csv', '--out', 'c.csv', '--contamination', '0.1', '--flag-rule', 'mean', '--json')
      .stdout,
  );
  const scores = readCsv('c.csv')
    .slice(1)
    .map((r) => Number(r[2]));
  const above = scores.filter((s) => s > (c['threshold'] as number)).length;
  assert.ok(Math.abs(above - 60) <= 2, `${above} steps above the 0.9 quantile of 600 scores`);
  assert.equal(c['flagged'], above);
  const g = lastJson(hourglass('detect', 'conv', 'test.csv', '--out', 'g.csv', '--threshold', '1e9', '--json').stdout);
  assert.equal(g['threshold'], 1e9);
  assert.equal(g['flagged'], 0);
  const both = hourglass('detect', 'conv', 'test.csv', '--out', 'b.csv', '--quantile', '0.5', '--threshold', '1');
  assert.equal(both.code, 1);
  assert.match(both.stderr, /at most one of --quantile, --contamination or --threshold/);

  // encode: one code per window (conv1d code: 12 steps x 16 filters).
  const e = lastJson(hourglass('encode', 'conv', 'test.csv', '--out', 'codes.csv', '--json').stdout);
  assert.deepEqual([e['rows'], e['dims']], [600 - 48 + 1, 12 * 16]);
  assert.equal((e['windowStarts'] as string[])[1], stepTime(1));

  // denoise: every step rebuilt in the series' units; the spike is not reproduced.
  const n = hourglass('denoise', 'conv', 'test.csv', '--out', 'clean.csv');
  assert.equal(n.code, 0, n.stderr);
  const clean = readCsv('clean.csv');
  assert.deepEqual(clean[0], ['timestamp', 'value']);
  assert.equal(clean.length, 601);
  const cleanAt = (i: number) => Number(clean[i + 1]![1]);
  assert.ok(cleanAt(405) < 4, `cleaned spike ${cleanAt(405)}`);
  const err = (i: number) => Math.abs(cleanAt(i) - wave(i));
  const meanErr = [...Array(100).keys()].map((k) => err(100 + k)).reduce((a, b) => a + b) / 100;
  assert.ok(meanErr < 0.3, `mean error away from the spike ${meanErr}`);
});

test('impute on a series: missing values filled from the model, observed ones kept', () => {
  const t = hourglass(
    ...['train', 'train.csv', '--kind', 'sequence', '--arch', 'gru', '--units', '8', '--window', '24'],
    ...['--epochs', '2', '--batch', '32', '--out', 'gru', '--json'],
  );
  assert.equal(t.code, 0, t.stderr);
  assert.equal(lastJson(t.stdout)['arch'], 'gru');
  const holes = new Set([100, 101, 102, 300]);
  writeSeries('holes.csv', 200 + 200, (i) => (holes.has(i) ? '' : wave(i).toFixed(5)));
  const r = hourglass('impute', 'gru', 'holes.csv', '--out', 'filled.csv', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout)['filledCells'], 4);
  const filled = readCsv('filled.csv');
  for (let i = 0; i < 400; i++) {
    const v = Number(filled[i + 1]![1]);
    assert.ok(Number.isFinite(v), `step ${i}: ${String(filled[i + 1])}`);
    if (!holes.has(i)) assert.ok(Math.abs(v - Number(wave(i).toFixed(5))) < 1e-4, `observed step ${i} changed`);
  }
});

test('bad series give one-line errors naming the problem', () => {
  writeSeries('short.csv', 30, (i) => wave(i));
  writeSeries('constant.csv', 100, () => 3);
  writeSeries('text.csv', 100, (i) => (i === 57 ? 'oops' : wave(i)));
  fs.writeFileSync(
    path.join(tmp, 'unsorted.csv'),
    ['timestamp,value', `${stepTime(0)},1`, `${stepTime(2)},2`, `${stepTime(1)},3`, `${stepTime(3)},4`].join('\n') +
      '\n',
  );
  const cases: [string, string[], RegExp][] = [
    ['short.csv', [], /30 steps, fewer than the window of 48/],
    ['constant.csv', [], /column 'value' is constant \(3\)/],
    ['text.csv', [], /row 59, column 'value' is 'oops', not a number/],
    ['unsorted.csv', ['--window', '2'], /timestamps go backwards: row 4/],
    ['train.csv', ['--arch', 'conv'], /--kind sequence takes --arch conv1d, lstm or gru/],
  ];
  for (const [file, extra, message] of cases) {
    const r = hourglass('train', file, '--kind', 'sequence', '--window', '48', ...extra, '--out', `bad-${file}`);
    assert.equal(r.code, 1, `${file}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${file}: ${r.stderr}`);
    assert.match(lines[0]!, /^error: /);
    assert.match(lines[0]!, message, file);
  }
  const noWindow = hourglass('train', 'train.csv', '--kind', 'sequence', '--out', 'x');
  assert.match(noWindow.stderr, /--kind sequence needs --window/);
  const lstmOnDense = hourglass('train', 'train.csv', '--arch', 'lstm', '--out', 'y');
  assert.match(lstmOnDense.stderr, /--arch lstm is for --kind sequence/);
});
