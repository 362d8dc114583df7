// The command line as a user runs it (node bin/hourglass.js, built by `npm run build`):
// help, --json as the last stdout line, clear errors with non-zero exits, no overwrites.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { savedFilePath, toLegacyFolder } from '../helpers/saved_folder.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-cli-'));

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

const csv = path.join(tmp, 'data.csv');
const rows = ['a,b,c,d'];
for (let i = 0; i < 200; i++) {
  const t = (i % 50) / 50;
  rows.push([t, 1 - t, t * t, 0.5].join(','));
}
fs.writeFileSync(csv, rows.join('\n') + '\n');

test('every command has --help', () => {
  for (const c of [
    'train',
    'evaluate',
    'encode',
    'detect',
    'impute',
    'denoise',
    'compress',
    'decompress',
    'sample',
    'demo',
    'export',
    'import',
  ]) {
    const r = hourglass(c, '--help');
    assert.equal(r.code, 0, c);
    assert.match(r.stdout, /Usage: hourglass/);
    assert.match(r.stdout, /--json/);
  }
});

test('train, evaluate and encode a CSV, with --json on the last line', () => {
  const dir = path.join(tmp, 'model');
  const t = hourglass(
    'train',
    csv,
    '--hidden',
    '6',
    '--latent',
    '2',
    '--epochs',
    '40',
    '--batch',
    '20',
    '--lr',
    '0.01',
    '--loss',
    'bce',
    '--scaling',
    'minmax',
    '--out',
    dir,
    '--json',
  );
  assert.equal(t.code, 0, t.stderr);
  const tj = lastJson(t.stdout);
  assert.equal(tj.command, 'train');
  assert.ok(tj.loss < 0.69, `loss ${tj.loss}`);
  const e = lastJson(hourglass('evaluate', dir, csv, '--json').stdout);
  assert.ok(Math.abs(e.loss - tj.loss) < 0.05 && e.rows === 200);
  const out = path.join(tmp, 'codes.csv');
  const en = hourglass('encode', dir, csv, '--out', out, '--json');
  assert.equal(en.code, 0, en.stderr);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 201);
  assert.equal(lines[0], 'z0,z1');
  assert.ok(
    lines.slice(1).every((l) => l.split(',').length === 2 && l.split(',').every((v) => Number.isFinite(Number(v)))),
  );
  // Existing outputs are not overwritten without --overwrite.
  const again = hourglass('encode', dir, csv, '--out', out);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  const t2 = hourglass('train', csv, '--out', dir);
  assert.equal(t2.code, 1);
  assert.match(t2.stderr, /already exists/);
});

test('bad input gets a clear message, a non-zero exit and no stack trace', () => {
  const cases: [string[], RegExp, number][] = [
    [['train', csv, '--epochs', 'ten', '--out', 'x'], /--epochs.*positive integer/, 2],
    [['train', csv, '--hidden', '12,a', '--out', 'x'], /comma-separated positive integers/, 2],
    [['train', csv, '--loss', 'l2', '--out', 'x'], /one of auto, mse, bce/, 2],
    [['train', 'missing.csv', '--out', 'x'], /missing.csv: no such file/, 1],
    [['train', 'fashion:train', '--out', 'x'], /unknown built-in dataset 'fashion'/, 1],
    [['train', 'mnist:train', '--arch', 'conv', '--filters', '0', '--out', 'x'], /--filters.*positive integers/, 2],
    [['train', csv, '--arch', 'conv', '--out', 'x'], /--arch conv needs images/, 1],
    [['evaluate', path.join(tmp, 'nothing'), csv], /model.json does not exist/, 1],
    [['frobnicate'], /unknown command/, 2],
  ];
  fs.writeFileSync(path.join(tmp, 'bad.csv'), 'a,b\n1,2\n3,oops\n5,6\n7,8\n9,10\n');
  cases.push([
    ['train', path.join(tmp, 'bad.csv'), '--out', 'y'],
    /column 'b' holds numbers except at row 3 \('oops'\)/,
    1,
  ]);
  fs.writeFileSync(path.join(tmp, 'wide.csv'), 'a,b,c,d,e\n1,2,3,4,5\n');
  for (const [args, message, code] of cases) {
    const r = hourglass(...args);
    assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const wrongShape = hourglass('evaluate', path.join(tmp, 'model'), path.join(tmp, 'wide.csv'));
  assert.equal(wrongShape.code, 1);
  assert.match(wrongShape.stderr, /wide.csv: its columns do not match the model's; not in the model: 'e'/);
});

test('a corrupt model folder is refused', () => {
  const dir = path.join(tmp, 'model');
  toLegacyFolder(dir); // damage the plain file: the parser's message, not the manifest's checksum
  const w = path.join(dir, 'weights.safetensors');
  const bytes = fs.readFileSync(w);
  fs.writeFileSync(w, bytes.subarray(0, bytes.length - 3));
  const r = hourglass('evaluate', dir, csv);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /weights.safetensors is not a valid weights file/);
  fs.writeFileSync(w, bytes);
});

test('demo trains on MNIST, reports train and test loss, writes the PNG grid', () => {
  const r = hourglass('demo', '--epochs', '1', '--out', 'demo', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.ok(j.train.loss < 0.2 && j.test.loss < 0.2, JSON.stringify(j));
  const png = fs.readFileSync(path.join(tmp, 'demo', 'reconstructions.png'));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.ok(fs.existsSync(savedFilePath(path.join(tmp, 'demo', 'model'), 'model.json')));
});

test('detect flags the corrupted rows, names their broken column and reports ROC-AUC', () => {
  const rowsCsv = ['a,b,c,d,e,f'];
  const labels = ['label'];
  let seed = 7;
  for (let i = 0; i < 400; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t = seed / 2147483648;
    const row = [t, t, t * t, 1 - t, 0.5, Math.sqrt(t)];
    const bad = i % 20 === 0;
    if (bad) row[2] = 1 - row[2]!;
    rowsCsv.push(row.map((v) => v.toFixed(4)).join(','));
    labels.push(bad ? '1' : '0');
  }
  const data = path.join(tmp, 'detect.csv'),
    lab = path.join(tmp, 'labels.txt'),
    model = path.join(tmp, 'detect-model');
  fs.writeFileSync(data, rowsCsv.join('\n') + '\n');
  fs.writeFileSync(lab, labels.join('\n') + '\n');
  const t = hourglass(
    'train',
    data,
    '--hidden',
    '8',
    '--latent',
    '1',
    '--epochs',
    '80',
    '--batch',
    '32',
    '--lr',
    '0.01',
    '--out',
    model,
    '--quiet',
  );
  assert.equal(t.code, 0, t.stderr);
  const out = path.join(tmp, 'scores.csv');
  const r = hourglass('detect', model, data, '--contamination', '0.05', '--labels', lab, '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.flagged, 20);
  assert.ok(j.rocAuc > 0.9, `ROC-AUC ${j.rocAuc}`);
  const flagged = fs
    .readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[2] === '1');
  const truePositives = flagged.filter((c) => Number(c[0]) % 20 === 0);
  assert.ok(truePositives.length >= 15, `${truePositives.length} corrupted rows flagged`);
  assert.ok(
    truePositives.every((c) => c[3]!.split(';')[0] === 'c'),
    'the corrupted column is named first',
  );
  const both = hourglass(
    'detect',
    model,
    data,
    '--contamination',
    '0.05',
    '--threshold',
    '0.1',
    '--out',
    path.join(tmp, 's2.csv'),
  );
  assert.equal(both.code, 1);
  assert.match(both.stderr, /at most one of --threshold, --contamination or --quantile/);
  fs.writeFileSync(lab, 'label\n0\n1\n');
  const short = hourglass(
    'detect',
    model,
    data,
    '--threshold',
    '0.1',
    '--labels',
    lab,
    '--out',
    path.join(tmp, 's3.csv'),
  );
  assert.equal(short.code, 1);
  assert.match(short.stderr, /has 2 labels but the data has 400 rows/);
});

test('encode writes JSON and NumPy .npy with the same codes as CSV', () => {
  const dir = path.join(tmp, 'model');
  const files = ['codes2.csv', 'codes2.json', 'codes2.npy'].map((f) => path.join(tmp, f));
  for (const f of files) assert.equal(hourglass('encode', dir, csv, '--out', f).code, 0, f);
  const fromCsv = fs
    .readFileSync(files[0]!, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((l) => l.split(',').map(Number));
  const json = JSON.parse(fs.readFileSync(files[1]!, 'utf8'));
  assert.deepEqual(json.shape, [200, 2]);
  assert.deepEqual(json.codes.flat(), fromCsv);
  const npy = fs.readFileSync(files[2]!);
  assert.deepEqual([...npy.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const headerLength = npy.readUInt16LE(8);
  const header = npy.subarray(10, 10 + headerLength).toString('latin1');
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \(200, 2\)/);
  assert.equal((10 + headerLength) % 64, 0);
  const values = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.length));
  assert.deepEqual(
    Array.from(values),
    fromCsv.map((v) => Math.fround(v)),
  );
  const bad = hourglass('encode', dir, csv, '--out', path.join(tmp, 'codes.txt'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /use a \.csv, \.json or \.npy file name/);
});

test('compress and decompress round-trip through the container; other models and damage are refused', () => {
  const dir = path.join(tmp, 'model');
  const packed = path.join(tmp, 'data.hgc'),
    back = path.join(tmp, 'back.csv');
  const c = hourglass('compress', dir, csv, '--bits', '8', '--out', packed, '--json');
  assert.equal(c.code, 0, c.stderr);
  const cj = lastJson(c.stdout);
  assert.equal(cj.bytes, fs.statSync(packed).size);
  assert.ok(cj.ratio > 1.5 && Number.isFinite(cj.mse), JSON.stringify(cj));
  const d = hourglass('decompress', dir, packed, '--out', back, '--json');
  assert.equal(d.code, 0, d.stderr);
  const rebuilt = fs
    .readFileSync(back, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((l) => l.split(',').map(Number));
  const original = rows.slice(1).flatMap((l) => l.split(',').map(Number));
  assert.equal(rebuilt.length, original.length);
  const mse = rebuilt.reduce((s, v, i) => s + (v - original[i]!) ** 2, 0) / rebuilt.length;
  // What decompress rebuilds is what compress measured.
  assert.ok(Math.abs(mse - cj.mse) < 1e-6, `${mse} vs ${cj.mse}`);
  const other = path.join(tmp, 'other-model');
  assert.equal(
    hourglass('train', csv, '--hidden', '6', '--latent', '2', '--epochs', '2', '--seed', '9', '--out', other, '--quiet')
      .code,
    0,
  );
  const wrong = hourglass('decompress', other, packed, '--out', path.join(tmp, 'w.csv'));
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /compressed with a different model/);
  const bytes = fs.readFileSync(packed);
  fs.writeFileSync(packed, bytes.subarray(0, bytes.length - 9));
  const cut = hourglass('decompress', dir, packed, '--out', path.join(tmp, 'c.csv'));
  assert.equal(cut.code, 1);
  assert.match(cut.stderr, /truncated/);
});
