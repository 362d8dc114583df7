// The family's commands as a user runs them: train --kind ..., impute, denoise (images to a grid
// or folder, tables to CSV), sample; with their errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodePng } from '../../src/data/png.js';
import { parseTable } from '../../src/data/table.js';
import { Random } from '../../src/engine/random.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-family-'));
const TABLE = new URL('../../data/breast_cancer.csv', import.meta.url).pathname;

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

// The breast-cancer table with 10% of its cells removed (seeded), written as NA.
const full = parseTable(fs.readFileSync(TABLE, 'utf8'), TABLE);
const rng = new Random(3);
const gappyRows = full.rows.map((r) => r.map((c) => (rng.uniform() < 0.1 ? 'NA' : c)));
const gappy = path.join(tmp, 'gappy.csv');
fs.writeFileSync(
  gappy,
  [full.columns.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','), ...gappyRows.map((r) => r.join(','))].join(
    '\n',
  ) + '\n',
);

test('train --kind denoising on a table with gaps, then impute fills every gap and keeps observed cells', () => {
  const model = path.join(tmp, 'table-model');
  const t = hourglass(
    'train',
    gappy,
    '--kind',
    'denoising',
    '--noise',
    'masking:0.2',
    '--hidden',
    '32',
    '--latent',
    '8',
    '--epochs',
    '60',
    '--batch',
    '32',
    '--lr',
    '0.002',
    '--validation-split',
    '0.1',
    '--out',
    model,
    '--json',
  );
  assert.equal(t.code, 0, t.stderr);
  const tj = lastJson(t.stdout);
  assert.equal(tj.kind, 'denoising');
  assert.equal(tj.missingCells, gappyRows.flat().filter((c) => c === 'NA').length);
  const out = path.join(tmp, 'filled.csv');
  const r = hourglass('impute', model, gappy, '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.filledCells, tj.missingCells);
  const filled = parseTable(fs.readFileSync(out, 'utf8'), out);
  assert.deepEqual(filled.columns, full.columns);
  let err = 0,
    meanErr = 0;
  gappyRows.forEach((row, i) =>
    row.forEach((cell, c) => {
      const got = filled.rows[i]![c]!;
      if (cell !== 'NA') {
        assert.equal(got, cell, `observed cell ${i},${c}`);
        return;
      }
      if (c === 30) {
        assert.ok(['benign', 'malignant'].includes(got));
        return;
      }
      const values = gappyRows
        .map((x) => x[c]!)
        .filter((v) => v !== 'NA')
        .map(Number);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      err += ((Number(got) - Number(full.rows[i]![c])) / sd) ** 2;
      meanErr += ((mean - Number(full.rows[i]![c])) / sd) ** 2;
    }),
  );
  assert.ok(err < meanErr * 0.6, `imputed squared error ${err} vs column means ${meanErr}`);

  const clean = path.join(tmp, 'denoised.csv');
  const d = hourglass('denoise', model, gappy, '--out', clean);
  assert.equal(d.code, 0, d.stderr);
  const dt = parseTable(fs.readFileSync(clean, 'utf8'), clean);
  assert.equal(dt.rows.length, full.rows.length);
  assert.ok(dt.rows.every((row) => row.every((c) => c !== 'NA' && c !== '')));

  const errors: [string[], RegExp][] = [
    [['impute', model, gappy, '--out', out], /already exists/],
    [['impute', model, gappy, '--out', path.join(tmp, 'x.json')], /written as a \.csv file/],
    [['impute', model, path.join(tmp, 'nothing.csv'), '--out', path.join(tmp, 'y.csv')], /no such file/],
  ];
  fs.writeFileSync(path.join(tmp, 'other.csv'), 'a,b\n1,2\n3,NA\n');
  errors.push([
    ['impute', model, path.join(tmp, 'other.csv'), '--out', path.join(tmp, 'z.csv')],
    /columns do not match the model's; missing: 'mean radius'/,
  ]);
  for (const [args, message] of errors) {
    const e = hourglass(...args);
    assert.equal(e.code, 1, args.join(' '));
    assert.match(e.stderr, message);
    assert.doesNotMatch(e.stderr, /\n\s+at /);
  }
});

test('denoise images into a PNG grid and into a folder of PNG files', () => {
  const model = path.join(tmp, 'image-model');
  const t = hourglass(
    'train',
    'mnist:test',
    '--kind',
    'denoising',
    '--noise',
    'gaussian:0.5',
    '--hidden',
    '64',
    '--latent',
    '16',
    '--epochs',
    '1',
    '--out',
    model,
    '--quiet',
  );
  assert.equal(t.code, 0, t.stderr);
  const grid = path.join(tmp, 'grid.png');
  const g = hourglass('denoise', model, 'mnist:test', '--out', grid, '--grid', '16', '--json');
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual([...fs.readFileSync(grid).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const folder = path.join(tmp, 'noisy');
  fs.mkdirSync(folder);
  const r = new Random(1);
  for (const name of ['a', 'b', 'c'])
    fs.writeFileSync(
      path.join(folder, `${name}.png`),
      encodePng(
        Float32Array.from({ length: 784 }, () => r.uniform()),
        28,
        28,
        1,
      ),
    );
  const outDir = path.join(tmp, 'cleaned');
  const f = hourglass('denoise', model, folder, '--out', outDir);
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual(fs.readdirSync(outDir).sort(), ['a.png', 'b.png', 'c.png']);
  const bad = hourglass('denoise', model, folder, '--out', path.join(tmp, 'cleaned.jpg'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /a \.png grid or a folder/);
});

test('train --kind variational and sample a PNG grid; sampling another kind is refused', () => {
  const model = path.join(tmp, 'vae');
  const t = hourglass(
    'train',
    'mnist:test',
    '--kind',
    'variational',
    '--hidden',
    '64',
    '--latent',
    '4',
    '--epochs',
    '2',
    '--batch',
    '64',
    '--out',
    model,
    '--json',
  );
  assert.equal(t.code, 0, t.stderr);
  const tj = lastJson(t.stdout);
  assert.ok(tj.negativeElbo > 50 && tj.negativeElbo < 250, `negative ELBO ${tj.negativeElbo}`);
  const png = path.join(tmp, 'samples.png');
  const s = hourglass('sample', model, '--count', '16', '--out', png);
  assert.equal(s.code, 0, s.stderr);
  assert.ok(fs.statSync(png).size > 500);
  const rows = path.join(tmp, 'samples.csv');
  assert.equal(hourglass('sample', model, '--count', '3', '--out', rows).code, 0);
  assert.equal(fs.readFileSync(rows, 'utf8').trim().split('\n').length, 4);
  const other = hourglass('sample', path.join(tmp, 'image-model'), '--out', path.join(tmp, 's2.png'));
  assert.equal(other.code, 1);
  assert.match(other.stderr, /holds a denoising autoencoder; sampling needs a variational one/);
});

test('sparse, contractive and tabular variational kinds train from the command line; bad variant flags are refused', () => {
  for (const args of [
    ['--kind', 'sparse', '--sparsity', 'kl:0.05:0.5'],
    ['--kind', 'contractive', '--contractive', '0.01'],
  ]) {
    const r = hourglass(
      'train',
      TABLE,
      ...args,
      '--hidden',
      '16',
      '--latent',
      '4',
      '--epochs',
      '3',
      '--out',
      path.join(tmp, `m-${args[1]}`),
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lastJson(r.stdout).kind, args[1]);
  }
  // A VAE trained on a table draws rows in the table's own columns.
  const vae = path.join(tmp, 'table-vae'),
    drawn = path.join(tmp, 'drawn.csv');
  assert.equal(
    hourglass(
      'train',
      TABLE,
      '--kind',
      'variational',
      '--hidden',
      '16',
      '--latent',
      '3',
      '--epochs',
      '3',
      '--out',
      vae,
      '--quiet',
    ).code,
    0,
  );
  const s = hourglass('sample', vae, '--count', '5', '--out', drawn);
  assert.equal(s.code, 0, s.stderr);
  const t = parseTable(fs.readFileSync(drawn, 'utf8'), drawn);
  assert.deepEqual(t.columns, full.columns);
  assert.equal(t.rows.length, 5);
  assert.ok(t.rows.every((r) => ['benign', 'malignant'].includes(r[30]!) && Number.isFinite(Number(r[0]))));
  const cases: [string[], RegExp, number][] = [
    [['train', TABLE, '--kind', 'denoising', '--noise', 'fuzz:1', '--out', 'x'], /unknown noise 'fuzz'/, 2],
    [['train', TABLE, '--kind', 'sparse', '--sparsity', 'l3:1', '--out', 'x'], /expected l1:WEIGHT/, 2],
    [['train', TABLE, '--kind', 'denoising', '--out', 'x'], /needs --noise/, 1],
    [['train', TABLE, '--noise', 'gaussian:0.1', '--out', 'x'], /--noise is for --kind denoising/, 1],
    [['train', 'mnist:test', '--kind', 'sparse', '--arch', 'conv', '--out', 'x'], /--kind sparse is dense only/, 1],
  ];
  for (const [args, message, code] of cases) {
    const r = hourglass(...args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
