// The command line streaming its data (--stream, or automatically above a size): train, evaluate,
// encode, detect and impute over a .npy and a CSV with gaps give what the in-memory commands give
// (the same losses, the same bytes out); a failed streamed job leaves --out as it was and no
// temporary file; files that cannot stream, and flags a streamed run does not read, are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';
import { cliFolder } from '../helpers/cli_folder.js';

const { tmp, at, read, hourglass } = cliFolder('stream-cli');
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

const random = new Random(3);
const npyRows = 1500,
  width = 10;
const npy = at('x.npy');
fs.writeFileSync(
  npy,
  encodeNpy(
    Float32Array.from({ length: npyRows * width }, () => random.normal()),
    [npyRows, width],
  ),
);
const csvLines = ['a,b,c,colour'];
for (let i = 0; i < 1200; i++) {
  const a = random.normal();
  csvLines.push(
    [a.toFixed(3), random.uniform() < 0.1 ? 'NA' : (2 * a).toFixed(3), (-a).toFixed(3), ['red', 'blue'][i % 2]].join(
      ',',
    ),
  );
}
const csv = at('t.csv');
fs.writeFileSync(csv, csvLines.join('\n') + '\n');

test('a streamed .npy: train, then evaluate, encode and detect equal to the in-memory commands', () => {
  const t = hourglass(['train', npy, '--stream', '--epochs', '2', '--out', at('m1'), '--json']);
  assert.equal(t.code, 0, t.stderr);
  const trained = lastJson(t.stdout);
  assert.equal(trained.streamed, true);
  assert.equal(trained.rows, npyRows);
  assert.equal(trained.epochs, 2);
  const streamed = lastJson(hourglass(['evaluate', at('m1'), npy, '--stream', '--json']).stdout);
  const inMemory = lastJson(hourglass(['evaluate', at('m1'), npy, '--json']).stdout);
  assert.equal(streamed.rows, npyRows);
  assert.ok(Math.abs(streamed.loss - inMemory.loss) < 1e-6 * inMemory.loss, `${streamed.loss} vs ${inMemory.loss}`);
  for (const ext of ['npy', 'csv', 'json']) {
    assert.equal(hourglass(['encode', at('m1'), npy, '--stream', '--out', at(`s.${ext}`)]).code, 0);
    assert.equal(hourglass(['encode', at('m1'), npy, '--out', at(`m.${ext}`)]).code, 0);
    if (ext === 'json') assert.deepEqual(JSON.parse(read('s.json').toString()), JSON.parse(read('m.json').toString()));
    else assert.ok(read(`s.${ext}`).equals(read(`m.${ext}`)), `encode .${ext}`);
  }
  const d = hourglass(['detect', at('m1'), npy, '--stream', '--out', at('d1.csv'), '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(hourglass(['detect', at('m1'), npy, '--out', at('d2.csv')]).code, 0);
  assert.ok(read('d1.csv').equals(read('d2.csv')), 'detect scores');
  // A threshold from the scored rows themselves takes a first pass over them.
  const c1 = hourglass(['detect', at('m1'), npy, '--stream', '--contamination', '0.05', '--out', at('c1.csv')]);
  assert.equal(c1.code, 0, c1.stderr);
  assert.equal(hourglass(['detect', at('m1'), npy, '--contamination', '0.05', '--out', at('c2.csv')]).code, 0);
  assert.ok(read('c1.csv').equals(read('c2.csv')), 'detect --contamination');
});

test('a CSV above the stated size streams by itself: gaps masked, impute and detect as in memory', () => {
  const auto = { HOURGLASS_STREAM_ABOVE_MB: '0' };
  const t = hourglass(['train', csv, '--epochs', '3', '--out', at('m2'), '--json'], auto);
  assert.equal(t.code, 0, t.stderr);
  const trained = lastJson(t.stdout);
  assert.equal(trained.streamed, true);
  assert.equal(trained.rows, 1200);
  assert.ok(trained.missingCells > 60, `${trained.missingCells} missing cells`);
  assert.equal(hourglass(['impute', at('m2'), csv, '--out', at('i1.csv')], auto).code, 0);
  assert.equal(hourglass(['impute', at('m2'), csv, '--out', at('i2.csv')]).code, 0);
  assert.equal(read('i1.csv').toString(), read('i2.csv').toString());
  const d = hourglass(['detect', at('m2'), csv, '--out', at('e1.csv'), '--json'], auto);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(lastJson(d.stdout).streamed, true);
  assert.equal(hourglass(['detect', at('m2'), csv, '--out', at('e2.csv')]).code, 0);
  assert.ok(read('e1.csv').equals(read('e2.csv')));
});

test('a streamed job that fails leaves --out as it was, and what cannot stream is refused', () => {
  fs.writeFileSync(at('old.csv'), 'keep me\n');
  const bad = at('bad.csv');
  fs.writeFileSync(bad, [...csvLines.slice(0, 1100), 'x,1,2,red', ...csvLines.slice(1100)].join('\n') + '\n');
  const r = hourglass(['detect', at('m2'), bad, '--stream', '--overwrite', '--out', at('old.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /data row 1100, column 'a' is 'x', but the model learned it as a number/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(read('old.csv').toString(), 'keep me\n');
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.includes('.tmp-')),
    [],
  );
  fs.writeFileSync(at('rows.json'), '[[1,2],[3,4]]');
  assert.match(hourglass(['evaluate', at('m1'), at('rows.json'), '--stream']).stderr, /cannot be streamed/);
  assert.match(
    hourglass(['train', csv, '--stream', '--kind', 'detector', '--latent', '3', '--out', at('m3')]).stderr,
    /--latent is for autoencoders; --kind detector sizes its members/,
  );
  assert.match(hourglass(['train', '--help']).stdout, /automatic\s+for\s+files\s+above\s+256\s+MB/);
});
