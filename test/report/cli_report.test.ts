// `hourglass report` and `train --report` as a user runs them (node bin/hourglass.js, built by
// `npm run build`): the breast-cancer table with a labels file of names, the HTML written, the
// charts as PNG files (decoded by pngjs), progress kept off stdout, and clear errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { formatTable } from '../../src/data/table.js';
import { cancerTable } from './helpers.js';
import { savedFilePath } from '../helpers/saved_folder.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-report-cli-'));
const hourglass = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const { table, labels } = cancerTable();
fs.writeFileSync(path.join(tmp, 'cancer.csv'), formatTable(table));
// Names, with a header line: numbered in sorted order (benign 0, malignant 1: anomaly labels).
fs.writeFileSync(
  path.join(tmp, 'diagnosis.txt'),
  ['diagnosis', ...Array.from(labels, (l) => (l ? 'malignant' : 'benign'))].join('\n') + '\n',
);

test('train --report, then report with labels and --png', () => {
  const t = hourglass(
    'train',
    'cancer.csv',
    '--hidden',
    '16',
    '--latent',
    '4',
    '--epochs',
    '5',
    '--batch',
    '32',
    '--out',
    'm',
    '--report',
    'train.html',
    '--quiet',
  );
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /report in train\.html/);
  const trained = fs.readFileSync(path.join(tmp, 'train.html'), 'utf8');
  assert.ok(trained.includes('data-section="table"') && trained.includes('data-section="training"'));
  assert.ok(fs.existsSync(savedFilePath(path.join(tmp, 'm'), 'history.json')));

  const r = hourglass(
    'report',
    'm',
    'cancer.csv',
    '--labels',
    'diagnosis.txt',
    '--out',
    'r.html',
    '--png',
    'charts',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(out.rows, 569);
  assert.equal(out.bytes, fs.statSync(path.join(tmp, 'r.html')).size);
  const html = fs.readFileSync(path.join(tmp, 'r.html'), 'utf8');
  assert.ok(html.includes('"id":"roc-curve"'), 'the 0/1 labels give ROC and PR curves');
  assert.ok(html.includes('>malignant<'), 'the label names are shown');
  const expected = [
    'loss-per-epoch',
    'loss-per-step',
    'code-map',
    'code-umap',
    'score-histogram',
    'roc-curve',
    'pr-curve',
    'compression-errors',
  ];
  assert.deepEqual(
    out.pngs.map((p: string) => path.basename(p, '.png')),
    expected,
  );
  for (const p of out.pngs) {
    const png = PNG.sync.read(fs.readFileSync(path.join(tmp, p)));
    assert.equal(png.width, 900);
    assert.equal(png.height, 520);
  }
});

test('report refuses bad input clearly', () => {
  const noData = hourglass('report', 'm', '--labels', 'diagnosis.txt', '--out', 'x.html');
  assert.equal(noData.code, 1);
  assert.match(noData.stderr, /^error: --labels needs data/);
  fs.writeFileSync(path.join(tmp, 'short.txt'), '0\n1\n');
  const short = hourglass('report', 'm', 'cancer.csv', '--labels', 'short.txt', '--out', 'y.html');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /short\.txt has 2 labels but the data has 569 rows/);
  const exists = hourglass('report', 'm', '--out', 'r.html');
  assert.equal(exists.code, 1);
  assert.match(exists.stderr, /r\.html already exists/);
  assert.ok(!fs.existsSync(path.join(tmp, 'x.html')) && !fs.existsSync(path.join(tmp, 'y.html')));
});
