// `hourglass detect` runs the network once per call: the scores that choose a threshold (a share
// of the scored rows) are the ones that give the flags, for an autoencoder folder (one predict),
// the table detector (one ensemble pass) and the image detector (one score). And a detector reads
// every format the other commands read: the same rows as Parquet and as NDJSON score exactly as
// their CSV does. Run in-process (the CLI's main), so the calls can be counted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { main } from '../../src/cli/main.js';
import { AnomalyDetector } from '../../src/detection/detector.js';
import { ImageAnomalyDetector } from '../../src/detection/image_detector.js';
import { Random } from '../../src/engine/random.js';
import { Model } from '../../src/model/model.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-detect-once-'));
const at = (name: string) => path.join(tmp, name);

/**
 * Runs the CLI in this process and returns its exit code (its output goes to this process's own
 * stdout, which the test runner shows as notes: capturing it would also swallow the runner's).
 */
async function hourglass(...args: string[]): Promise<{ code: number }> {
  process.exitCode = 0;
  await main(['node', 'hourglass', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code };
}

/** Counts calls of a prototype method while `body` runs. */
async function countCalls<T extends object>(proto: T, name: keyof T & string, body: () => Promise<unknown>) {
  const original = proto[name] as (...a: unknown[]) => unknown;
  let calls = 0;
  (proto as Record<string, unknown>)[name] = function (this: unknown, ...a: unknown[]) {
    calls++;
    return original.apply(this, a);
  };
  try {
    await body();
  } finally {
    (proto as Record<string, unknown>)[name] = original;
  }
  return calls;
}

// 120 rows of 6 columns near a 2-dimensional plane.
const r = new Random(3);
const columns = ['a', 'b', 'c', 'd', 'e', 'f'];
const w = [columns.map(() => r.normal()), columns.map(() => r.normal())];
const rows = Array.from({ length: 120 }, () => {
  const z = [r.normal(), r.normal()];
  return columns.map((_, j) => Number((z[0]! * w[0]![j]! + z[1]! * w[1]![j]! + 0.1 * r.normal()).toFixed(4)));
});
fs.writeFileSync(at('t.csv'), [columns.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n');
fs.writeFileSync(
  at('t.ndjson'),
  rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((c, j) => [c, row[j]])))).join('\n') + '\n',
);
fs.writeFileSync(
  at('t.parquet'),
  new Uint8Array(
    parquetWriteBuffer({
      columnData: columns.map((name, j) => ({ name, data: rows.map((row) => row[j]!), type: 'DOUBLE' as const })),
    }),
  ),
);
const scoresOf = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(1, 3).join(','));

test('detect on an autoencoder folder predicts once, whatever the rule', async () => {
  assert.equal((await hourglass('train', at('t.csv'), '--epochs', '2', '--out', at('ae'), '--quiet')).code, 0);
  for (const rule of [[], ['--contamination', '0.1'], ['--threshold', '0.5'], ['--quantile', '0.95']]) {
    const out = at(`ae-${rule.join('')}.csv`);
    let result = { code: -1 };
    const calls = await countCalls(Model.prototype, 'predict', async () => {
      result = await hourglass('detect', at('ae'), at('t.csv'), ...rule, '--out', out);
    });
    assert.equal(result.code, 0);
    assert.equal(calls, 1, `predict calls with ${rule.join(' ') || 'no rule'}`);
  }
});

test('the table detector scores once, and reads Parquet and NDJSON as its CSV', async () => {
  const t = await hourglass(
    'train',
    at('t.csv'),
    '--kind',
    'detector',
    '--members',
    '2',
    '--steps',
    '100',
    '--out',
    at('det'),
    '--quiet',
  );
  assert.equal(t.code, 0);
  const calls = await countCalls(AnomalyDetector.prototype, 'scoreWithFeatures', async () => {
    const d = await hourglass('detect', at('det'), at('t.csv'), '--contamination', '0.1', '--out', at('det.csv'));
    assert.equal(d.code, 0);
  });
  assert.equal(calls, 1);
  const fromCsv = scoresOf(at('det.csv'));
  assert.equal(fromCsv.filter((l) => l.endsWith(',1')).length, 12);
  for (const file of ['t.parquet', 't.ndjson']) {
    const out = at(`${file}.csv`);
    const d = await hourglass('detect', at('det'), at(file), '--contamination', '0.1', '--out', out);
    assert.equal(d.code, 0, file);
    assert.deepEqual(scoresOf(out), fromCsv, file);
  }
});

test('the image detector scores once', async () => {
  // 40 random 6x6 "images" as a uint8 .npy file (a header and the bytes).
  const pixels = Uint8Array.from({ length: 40 * 36 }, (_, i) => (i * 37) % 256);
  const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (40, 6, 6), }";
  const padded = header.padEnd(117, ' ') + '\n';
  const npy = Buffer.concat([
    Buffer.from([0x93]),
    Buffer.from('NUMPY'),
    Buffer.from([1, 0, 118, 0]),
    Buffer.from(padded),
    pixels,
  ]);
  fs.writeFileSync(at('img.npy'), npy);
  const t = await hourglass(
    'train',
    at('img.npy'),
    '--kind',
    'detector',
    '--members',
    '1',
    '--steps',
    '20',
    '--out',
    at('imgdet'),
    '--quiet',
  );
  assert.equal(t.code, 0);
  const calls = await countCalls(ImageAnomalyDetector.prototype, 'score', async () => {
    const d = await hourglass('detect', at('imgdet'), at('img.npy'), '--contamination', '0.1', '--out', at('img.csv'));
    assert.equal(d.code, 0);
  });
  assert.equal(calls, 1);
  assert.equal(scoresOf(at('img.csv')).filter((l) => l.endsWith(',1')).length, 4);
});
