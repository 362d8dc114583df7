// The command line on the variational sequence autoencoder (node bin/hourglass.js, built by
// `npm run build`): train --kind sequence --variational, detect finds a spike with the mean code's
// reconstruction error, encode gives one code of --latent values per window, sample draws windows
// in the series' units, and flag mistakes are one-line errors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { savedFilePath } from '../helpers/saved_folder.js';
import { stepTime } from '../helpers/series_steps.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-seqvae-cli-'));

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

/** A daily-like cycle of 48 steps around 10 with amplitude 3 (so sampled windows can be checked in its units). */
const wave = (i: number) => 10 + 3 * Math.sin((2 * Math.PI * i) / 48) + 0.1 * Math.sin(i * 1.7);
function writeSeries(file: string, steps: number, value: (i: number) => number) {
  const lines = ['timestamp,value'];
  for (let i = 0; i < steps; i++) lines.push(`${stepTime(i)},${value(i).toFixed(5)}`);
  fs.writeFileSync(path.join(tmp, file), lines.join('\n') + '\n');
}
const SPIKE = [400, 410] as const;
writeSeries('train.csv', 600, wave);
writeSeries('test.csv', 600, (i) => (i >= SPIKE[0] && i < SPIKE[1] ? 30 : wave(i)));

test('train --kind sequence --variational, then detect, encode and sample', () => {
  const t = hourglass(
    ...['train', 'train.csv', '--kind', 'sequence', '--variational', '--latent', '4', '--beta', '0.5'],
    ...['--window', '48', '--epochs', '12', '--batch', '32', '--lr', '0.003', '--out', 'vae', '--json'],
  );
  assert.equal(t.code, 0, t.stderr);
  const tj = lastJson(t.stdout);
  assert.equal(tj['variational'], true);
  assert.ok(Number.isFinite(tj['negativeElbo']), `negative ELBO ${String(tj['negativeElbo'])}`);
  const history = tj['history'] as Record<string, number[]>;
  assert.ok(history['loss']!.at(-1)! < history['loss']![0]!, `loss ${history['loss']!.join(', ')}`);
  const model = JSON.parse(fs.readFileSync(savedFilePath(path.join(tmp, 'vae'), 'model.json'), 'utf8'));
  assert.equal(model.extra.autoencoder.kind, 'sequence');
  assert.deepEqual([model.extra.autoencoder.options.variational, model.extra.autoencoder.options.latent], [true, 4]);

  // Scoring reconstructs from the mean code: the spike is the one interval, inside its windows.
  const d = hourglass('detect', 'vae', 'test.csv', '--out', 'scores.csv', '--json');
  assert.equal(d.code, 0, d.stderr);
  const intervals = lastJson(d.stdout)['intervals'] as { start: number; end: number }[];
  assert.equal(intervals.length, 1, JSON.stringify(intervals));
  assert.ok(intervals[0]!.start >= SPIKE[1] - 48 && intervals[0]!.end < SPIKE[0] + 48, JSON.stringify(intervals));
  const detectAgain = hourglass('detect', 'vae', 'test.csv', '--out', 'scores2.csv');
  assert.equal(detectAgain.code, 0, detectAgain.stderr);
  assert.deepEqual(readCsv('scores2.csv'), readCsv('scores.csv'), 'scoring is deterministic (no sampling)');

  const e = lastJson(hourglass('encode', 'vae', 'test.csv', '--out', 'codes.csv', '--json').stdout);
  assert.equal(e['dims'], 4);

  // Sampled windows come out in the series' units: around 10, within the wave's range and a margin.
  const s = hourglass('sample', 'vae', '--count', '6', '--seed', '1', '--out', 'windows.csv', '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(lastJson(s.stdout)['dims'], 48);
  const rows = readCsv('windows.csv')
    .slice(1)
    .map((r) => r.map(Number));
  assert.equal(rows.length, 6);
  const values = rows.flat();
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 10) < 1.5 && values.every((v) => v > 4 && v < 16), `sampled mean ${mean}`);
});

test('variational flags out of place are one-line errors', () => {
  const refuses = (args: string[], message: RegExp) => {
    const r = hourglass(...args);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
  };
  refuses(
    ['train', 'train.csv', '--kind', 'plain', '--variational', '--out', 'x'],
    /--variational is for --kind sequence/,
  );
  refuses(
    ['train', 'train.csv', '--kind', 'sequence', '--window', '48', '--latent', '4', '--out', 'y'],
    /--latent is for the variational sequence autoencoder/,
  );
});
