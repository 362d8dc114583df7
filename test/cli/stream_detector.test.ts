// The table anomaly detector over streamed files: train --kind detector --stream on a CSV with
// gaps keeps every row (a file under the sample's size) and scores as the in-memory detector;
// detect --stream on a detector folder writes the in-memory scores CSV (saved threshold and
// --contamination, which takes a first pass); a cell that is not a number is named by its row.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';
import { cliFolder } from '../helpers/cli_folder.js';

const { at, read, hourglass, ok } = cliFolder('stream-detector');
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);
const scoresOf = (f: string) =>
  read(f)
    .toString()
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1]));

const random = new Random(4);
const lines = ['a,b,c,colour'];
for (let i = 0; i < 900; i++) {
  const a = random.normal();
  const b = random.uniform() < 0.1 ? 'NA' : (2 * a + 0.1 * random.normal()).toFixed(3);
  lines.push([a.toFixed(3), b, (i % 97 === 0 ? 5 : -a).toFixed(3), ['red', 'blue'][i % 2]].join(','));
}
fs.writeFileSync(at('t.csv'), lines.join('\n') + '\n');
fs.writeFileSync(
  at('x.npy'),
  encodeNpy(
    Float32Array.from({ length: 1100 * 4 }, () => random.normal()),
    [1100, 4],
  ),
);
const fast = ['--kind', 'detector', '--members', '2', '--steps', '60'];

test('train --kind detector --stream on a table: every row kept, the in-memory detector', () => {
  const s = lastJson(ok(['train', at('t.csv'), ...fast, '--stream', '--out', at('ds'), '--json']).stdout);
  const m = lastJson(ok(['train', at('t.csv'), ...fast, '--out', at('dm'), '--json']).stdout);
  assert.equal(s.streamed, true);
  assert.equal(s.rows, 900);
  assert.equal(s.sampledRows, 900);
  // The preprocessing's scales agree to rounding, so the thresholds and scores do too.
  assert.ok(Math.abs(s.threshold - m.threshold) <= 1e-9 * Math.abs(m.threshold), `${s.threshold} vs ${m.threshold}`);
  ok(['detect', at('ds'), at('t.csv'), '--out', at('s.csv')]);
  ok(['detect', at('dm'), at('t.csv'), '--out', at('m.csv')]);
  const a = scoresOf('s.csv'),
    b = scoresOf('m.csv');
  assert.equal(a.length, 900);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-9 * (1 + Math.abs(b[i]!)), `row ${i}: ${v} vs ${b[i]}`));
});

test('detect --stream on a detector folder writes the in-memory scores CSV, batch by batch', () => {
  ok(['train', at('x.npy'), ...fast, '--out', at('dx')]);
  for (const [extra, name] of [
    [[], 'saved'],
    [['--contamination', '0.05'], 'contamination'],
  ] as const) {
    const s = lastJson(
      ok(['detect', at('dx'), at('x.npy'), ...extra, '--stream', '--out', at(`${name}.s.csv`), '--json']).stdout,
    );
    const m = lastJson(ok(['detect', at('dx'), at('x.npy'), ...extra, '--out', at(`${name}.m.csv`), '--json']).stdout);
    assert.equal(s.streamed, true);
    assert.equal(s.flagged, m.flagged);
    assert.ok(s.flagged > 0);
    assert.ok(read(`${name}.s.csv`).equals(read(`${name}.m.csv`)), `${name}: scores CSV bytes`);
  }
  fs.writeFileSync(at('bad.csv'), 'x0,x1,x2,x3\n1,2,3,4\n1,2,oops,4\n');
  const r = hourglass(['detect', at('dx'), at('bad.csv'), '--stream', '--out', at('bad.out.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad.csv: data row 2, column 3 \('x2'\) is 'oops', not a number/);
  assert.equal(fs.existsSync(at('bad.out.csv')), false);
});
