// `hourglass train` with no flags sizes the network and budget from the data and says so;
// `hourglass train --kind detector` trains the anomaly detector on a table (text column one-hot,
// missing cells) and `hourglass detect` with no rule flags above the threshold saved at train
// time, saying which; --threshold, --contamination and --quantile override it; bad flags give
// one-line errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Random } from '../../src/engine/random.js';
import { quantile } from '../../src/apps/anomaly.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { savedFilePath, toLegacyFolder } from '../helpers/saved_folder.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-detect-defaults-'));

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);
const readScores = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [, score, flag, top] = l.split(',');
      return { score: Number(score), flag: Number(flag), top: top ?? '' };
    });

/** Rows near a 3-dimensional plane in `cols` columns; every 20th row has column c5 pushed off it. */
function table(
  rows: number,
  cols: number,
  seed: number,
  extra?: (r: Random, i: number) => string,
): { csv: string; labels: number[] } {
  const r = new Random(seed);
  const w = Array.from({ length: 3 }, () => Array.from({ length: cols }, () => r.normal()));
  const header = [...Array.from({ length: cols }, (_, j) => `c${j}`), ...(extra ? ['kind'] : [])];
  const lines = [header.join(',')];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const z = [r.normal(), r.normal(), r.normal()];
    const row = Array.from(
      { length: cols },
      (_, j) => z[0]! * w[0]![j]! + z[1]! * w[1]![j]! + z[2]! * w[2]![j]! + 0.2 * r.normal(),
    );
    const bad = i % 20 === 7;
    if (bad) row[5] = row[5]! + 6;
    labels.push(bad ? 1 : 0);
    const cells = row.map((v) => v.toFixed(4));
    if (i % 37 === 3) cells[1] = ''; // missing cells
    lines.push([...cells, ...(extra ? [extra(r, i)] : [])].join(','));
  }
  return { csv: lines.join('\n') + '\n', labels };
}

test('train with no flags on a 200-row, 30-column table: a narrow code, enough steps, loss far below the mean', () => {
  const { csv } = table(200, 30, 11);
  const data = path.join(tmp, 't200.csv');
  fs.writeFileSync(data, csv);
  const human = hourglass('train', data, '--out', 'plain200', '--quiet');
  assert.equal(human.code, 0, human.stderr);
  const planLine = human.stdout.split('\n').filter((l) => l.startsWith('sized from the data'));
  assert.equal(planLine.length, 1, human.stdout);
  assert.match(planLine[0]!, /200 rows, 30 inputs\): code 8 .*batch 16 .*120 epochs \(1,560 steps/);
  const r = hourglass('train', data, '--out', 'plain200b', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.architecture, 'dense 30-60-30-8-30-60-30');
  assert.equal(j.batchSize, 16);
  assert.ok(j.epochs * Math.ceil(200 / 16) >= 1500, `${j.epochs} epochs`);
  // Standardized columns: predicting the mean has loss 1 on the observed cells.
  assert.ok(j.loss < 0.15, `final loss ${j.loss} vs 1 for the column means`);
  // Every choice can be overridden by its flag, and the line says so.
  const o = hourglass(
    'train',
    data,
    '--latent',
    '3',
    '--epochs',
    '4',
    '--batch',
    '50',
    '--lr',
    '0.01',
    '--out',
    'plain200c',
    '--quiet',
  );
  assert.equal(o.code, 0, o.stderr);
  assert.match(
    o.stdout,
    /code 3 \(--latent\).*batch 50 \(--batch\), 4 epochs \(--epochs, 16 steps\), lr 0.01 \(--lr\)/,
  );
});

test('detect with no rule on an autoencoder uses the 0.9 quantile of the training scores saved at train time', () => {
  const data = path.join(tmp, 't200.csv'); // written by the test above
  const out = path.join(tmp, 'plain-scores.csv');
  const r = hourglass('detect', 'plain200b', data, '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.match(j.thresholdRule, /default: the 0.9 quantile of the 200 training rows' scores, saved at train time/);
  // Scored on the training table itself, the threshold is the 0.9 quantile of these scores.
  const rows = readScores(out);
  const q = quantile(
    rows.map((x) => x.score),
    0.9,
  );
  assert.ok(Math.abs(j.threshold - q) <= 1e-6 * q, `threshold ${j.threshold} vs quantile ${q}`);
  assert.equal(j.flagged, rows.filter((x) => x.score > j.threshold).length);
  assert.equal(j.flagged, 20);

  // A folder saved before training scores were kept: the top tenth of the scored rows, said so;
  // --quantile needs the saved scores.
  const old = path.join(tmp, 'plain200b');
  toLegacyFolder(old); // edit the plain model.json as a folder from before manifests
  const json = JSON.parse(fs.readFileSync(path.join(old, 'model.json'), 'utf8'));
  delete json.extra.trainingScores;
  fs.writeFileSync(path.join(old, 'model.json'), JSON.stringify(json));
  const o = hourglass('detect', 'plain200b', data, '--out', out, '--overwrite', '--json');
  assert.equal(o.code, 0, o.stderr);
  assert.match(
    lastJson(o.stdout).thresholdRule,
    /no training scores saved with this model, so the top 0.1 of these rows/,
  );
  assert.equal(lastJson(o.stdout).flagged, 20);
  const q99 = hourglass('detect', 'plain200b', data, '--quantile', '0.99', '--out', out, '--overwrite');
  assert.equal(q99.code, 1);
  assert.match(q99.stderr, /no training scores .*give --threshold or --contamination/);
});

test('train --kind detector on a table with a text column and gaps; detect with no rule, then each override', () => {
  const { csv, labels } = table(300, 12, 5, (r, i) => (i % 3 === 0 ? 'a' : r.uniform() < 0.5 ? 'b' : 'c'));
  const data = path.join(tmp, 'mixed.csv');
  fs.writeFileSync(data, csv);
  fs.writeFileSync(path.join(tmp, 'labels.txt'), ['label', ...labels].join('\n') + '\n');
  const t = hourglass('train', data, '--kind', 'detector', '--out', 'det', '--json');
  assert.equal(t.code, 0, t.stderr);
  const saved = JSON.parse(fs.readFileSync(savedFilePath(path.join(tmp, 'det'), 'detector.json'), 'utf8'));
  assert.equal(saved.features, 15, '12 numbers and 3 one-hot categories');
  assert.ok(saved.extra.preprocessing, 'the preprocessing is saved with the detector');

  const out = path.join(tmp, 'det-scores.csv');
  const r = hourglass('detect', 'det', data, '--out', out, '--labels', 'labels.txt', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.threshold, saved.threshold, 'the threshold saved at train time');
  assert.match(j.thresholdRule, /the 0.9 quantile of the 300 training rows' scores/);
  const rows = readScores(out);
  assert.equal(j.flagged, rows.filter((x) => x.score > saved.threshold).length);
  // The detector was fitted on these rows: a tenth of them lie above its training quantile.
  assert.ok(Math.abs(j.flagged - 30) <= 1, `${j.flagged} flagged`);
  assert.ok(rocAuc(Float64Array.from(rows.map((x) => x.score)), Int32Array.from(labels)) > 0.95);
  // Planted rows name the column pushed off the plane first.
  const planted = rows.filter((_, i) => labels[i] === 1 && rows[i]!.flag === 1);
  assert.ok(planted.length >= 12, `${planted.length} of 15 planted rows flagged`);
  assert.ok(
    planted.every((x) => x.top.split(';')[0] === 'c5'),
    planted.map((x) => x.top).join(' | '),
  );

  const human = hourglass('detect', 'det', data, '--out', out, '--overwrite');
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /threshold [-\d.]+: default: the 0.9 quantile/);

  const byQuantile = lastJson(
    hourglass('detect', 'det', data, '--quantile', '0.99', '--out', out, '--overwrite', '--json').stdout,
  );
  assert.ok(byQuantile.threshold > saved.threshold && byQuantile.flagged < j.flagged);
  assert.match(byQuantile.thresholdRule, /0.99 quantile .*\(--quantile\)/);
  const byShare = lastJson(
    hourglass('detect', 'det', data, '--contamination', '0.05', '--out', out, '--overwrite', '--json').stdout,
  );
  assert.equal(byShare.flagged, 15);
  const byValue = lastJson(
    hourglass('detect', 'det', data, '--threshold', '-0.5', '--out', out, '--overwrite', '--json').stdout,
  );
  assert.equal(byValue.threshold, -0.5);
  assert.equal(byValue.flagged, readScores(out).filter((x) => x.score > -0.5).length);
});

test('bad flags and data give one-line errors without stack traces', () => {
  const data = path.join(tmp, 't200.csv');
  const mixed = path.join(tmp, 'mixed.csv');
  const cases: [string[], RegExp, number][] = [
    [['detect', 'det', mixed, '--quantile', '1.5', '--out', 'x.csv'], /--quantile.*between 0 and 1/, 2],
    [['detect', 'det', mixed, '--threshold', 'abc', '--out', 'x.csv'], /--threshold.*expected a number/, 2],
    [
      ['detect', 'det', mixed, '--quantile', '0.9', '--threshold', '1', '--out', 'x.csv'],
      /at most one of --threshold, --contamination or --quantile/,
      1,
    ],
    [['detect', 'det', data, '--out', 'x.csv'], /columns/, 1],
    [
      ['train', data, '--kind', 'detector', '--epochs', '3', '--out', 'x'],
      /--epochs is for autoencoders; --kind detector sizes its members/,
      1,
    ],
    [['train', data, '--contamination', '0.1', '--out', 'x'], /--contamination is for --kind detector/, 1],
    [
      ['train', data, '--kind', 'detector', '--contamination', '0.7', '--out', 'x'],
      /contamination must be in \[0, 0.5\)/,
      1,
    ],
  ];
  for (const [args, message, code] of cases) {
    const r = hourglass(...args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    // One line naming the problem (commander adds its pointer to --help on a second).
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.length === 1 || (lines.length === 2 && /--help/.test(lines[1]!)), `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
