// Training on files larger than the WebAssembly memory, at constant memory, through the command
// line: a float32 .npy (random rows with a learnable rank-4 structure) and a CSV are written to a
// temporary folder; `hourglass train --stream` trains one epoch from each and `hourglass detect
// --stream` scores every row to an output file, each command a child process whose peak
// resident memory must stay under 600 MB and WebAssembly memory under 256 MB.
//
// In CI the files are 400 MB (.npy) and 50 MB (CSV), which bounds the test to a minute or two
// on a 2-core machine; HOURGLASS_SCALE_TEST=full writes the full sizes, 3.05 GB and 1.02 GB
// (npm run scale-test; see the README's streaming section for the measured numbers).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';

const FULL = process.env['HOURGLASS_SCALE_TEST'] === 'full';
const NPY_BYTES = FULL ? 3.05e9 : 4e8;
const CSV_BYTES = FULL ? 1.02e9 : 5e7;
const WIDTH = 256;
const CSV_COLUMNS = 32;
const RUNNER = new URL('../helpers/measured_cli.ts', import.meta.url).pathname;

/** Rows x = z W + noise with z of rank 4: an autoencoder with a 4-wide code can learn them. */
function structuredRows(random: Random, width: number, rows: number): Float32Array {
  const w = Float32Array.from({ length: 4 * width }, () => random.normal());
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const z0 = random.normal(),
      z1 = random.normal(),
      z2 = random.normal(),
      z3 = random.normal();
    for (let j = 0; j < width; j++)
      out[r * width + j] =
        z0 * w[j]! + z1 * w[width + j]! + z2 * w[2 * width + j]! + z3 * w[3 * width + j]! + 0.1 * random.normal();
  }
  return out;
}

// A pool of distinct rows written over and over (drawing 750 million normals would take longer
// than the training): every row is still a random draw of the structure.
const POOL_ROWS = 16384;

function writeNpy(file: string, rows: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${WIDTH}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const head = new Uint8Array(total);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(head.buffer).setUint16(8, header.length, true);
  head.set(new TextEncoder().encode(header), 10);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, head);
  const pool = structuredRows(new Random(1), WIDTH, POOL_ROWS);
  for (let r = 0; r < rows; r += POOL_ROWS) {
    const n = Math.min(POOL_ROWS, rows - r);
    fs.writeSync(fd, new Uint8Array(pool.buffer, 0, n * WIDTH * 4));
  }
  fs.closeSync(fd);
}

function writeCsv(file: string, bytes: number): number {
  const pool = structuredRows(new Random(2), CSV_COLUMNS, POOL_ROWS);
  const lines: string[] = [];
  for (let r = 0; r < POOL_ROWS; r++)
    lines.push(Array.from(pool.subarray(r * CSV_COLUMNS, (r + 1) * CSV_COLUMNS), (v) => v.toFixed(3)).join(','));
  const block = lines.join('\n') + '\n';
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Array.from({ length: CSV_COLUMNS }, (_, i) => `c${i}`).join(',') + '\n');
  let written = 0,
    rows = 0;
  while (written < bytes) {
    fs.writeSync(fd, block);
    written += block.length;
    rows += POOL_ROWS;
  }
  fs.closeSync(fd);
  return rows;
}

interface Measured {
  json: Record<string, unknown>;
  peakRssMB: number;
  wasmMB: number;
  seconds: number;
}

function hourglass(args: string[]): Measured {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, ...args, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, r.stderr);
  const memory = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { peakRssMB: number; wasmMB: number };
  return {
    json: JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>,
    ...memory,
    seconds: (Date.now() - started) / 1000,
  };
}

function trainAndScore(tmp: string, data: string, name: string) {
  const model = path.join(tmp, `${name}-model`);
  const t = hourglass([
    'train',
    data,
    '--stream',
    '--epochs',
    '1',
    '--hidden',
    '8',
    '--latent',
    '4',
    '--lr',
    '0.005',
    '--out',
    model,
  ]);
  const scores = path.join(tmp, `${name}-scores.csv`);
  const d = hourglass(['detect', model, data, '--stream', '--out', scores]);
  return { t, d, scoredLines: countLines(scores) - 1 };
}

function countLines(file: string): number {
  const fd = fs.openSync(file, 'r');
  const buf = new Uint8Array(1 << 20);
  let n = 0;
  for (;;) {
    const k = fs.readSync(fd, buf);
    if (!k) break;
    for (let i = 0; i < k; i++) if (buf[i] === 10) n++;
  }
  fs.closeSync(fd);
  return n;
}

const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;

test(`train one epoch and score every row of a ${mb(NPY_BYTES)} .npy and a ${mb(CSV_BYTES)} CSV at bounded memory`, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-scale-'));
  try {
    const line = (what: string, bytes: number, n: number, r: ReturnType<typeof trainAndScore>) =>
      `${what} ${mb(bytes)}, ${n} rows: train ${r.t.seconds.toFixed(0)} s (loss ${(r.t.json['loss'] as number).toFixed(3)}, peak RSS ${r.t.peakRssMB.toFixed(0)} MB, wasm ${r.t.wasmMB.toFixed(0)} MB), detect ${r.d.seconds.toFixed(0)} s (peak RSS ${r.d.peakRssMB.toFixed(0)} MB, wasm ${r.d.wasmMB.toFixed(0)} MB)`;
    const npy = path.join(tmp, 'big.npy');
    const rows = Math.ceil(NPY_BYTES / (WIDTH * 4));
    writeNpy(npy, rows);
    const a = trainAndScore(tmp, npy, 'npy');
    assert.equal(a.t.json['rows'], rows);
    assert.equal(a.scoredLines, rows);
    // Rank 4 with noise 0.1 (per-value variance 0.01 out of about 4): one epoch learns most of it.
    const npyLoss = a.t.json['loss'] as number;
    assert.ok(npyLoss < 1, `npy loss ${npyLoss}`);
    fs.rmSync(npy);
    console.log(`scale: ${line('npy', NPY_BYTES, rows, a)}`);

    const csv = path.join(tmp, 'big.csv');
    const csvRows = writeCsv(csv, CSV_BYTES);
    const csvBytes = fs.statSync(csv).size;
    const c = trainAndScore(tmp, csv, 'csv');
    assert.equal(c.t.json['rows'], csvRows);
    assert.equal(c.scoredLines, csvRows);
    const csvLoss = c.t.json['loss'] as number;
    assert.ok(csvLoss < 0.5, `csv loss ${csvLoss} (standard-scaled)`);
    fs.rmSync(csv);

    console.log(`scale: ${line('csv', csvBytes, csvRows, c)}`);
    for (const m of [a.t, a.d, c.t, c.d]) {
      assert.ok(m.peakRssMB < 600, `peak RSS ${m.peakRssMB} MB`);
      assert.ok(m.wasmMB < 256, `wasm memory ${m.wasmMB} MB`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
