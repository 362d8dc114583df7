// Reports over streamed files: train --stream --report and report --stream show a sample of the
// rows drawn in one streaming pass. A file no longer than the sample is reported whole, as the
// in-memory report does (the same page but for its time stamp); a longer one by a uniform sample
// of its rows, which the page names (checked on a table, whose sample keeps the rows' cells).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';
import { loadAutoencoder } from '../../src/index.js';
import { reportSample } from '../../src/cli/report_sample.js';
import type { Table } from '../../src/data/table.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-report-sample-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function hourglass(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const at = (f: string) => path.join(tmp, f);
const page = (f: string) => fs.readFileSync(at(f), 'utf8').replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, 'TIME');

const random = new Random(6);
fs.writeFileSync(
  at('x.npy'),
  encodeNpy(
    Float32Array.from({ length: 600 * 8 }, () => random.normal()),
    [600, 8],
  ),
);
const lines = ['a,b,colour'];
for (let i = 0; i < 700; i++)
  lines.push(`${i},${(random.normal() + i / 100).toFixed(3)},${['red', 'blue'][i % 3 ? 0 : 1]}`);
fs.writeFileSync(at('t.csv'), lines.join('\n') + '\n');

test('train --stream --report on a file the sample holds: the in-memory report of the same model', () => {
  const trained = JSON.parse(
    hourglass(['train', at('x.npy'), '--stream', '--epochs', '1', '--out', at('m'), '--report', at('s.html'), '--json'])
      .trim()
      .split('\n')
      .at(-1)!,
  );
  assert.equal(trained.streamed, true);
  hourglass(['report', at('m'), at('x.npy'), '--out', at('m.html')]);
  assert.ok(page('s.html').includes('600 rows of'));
  assert.equal(page('s.html'), page('m.html'));
});

test('a table longer than the sample: a uniform sample of its rows, cells kept, named on the page', async () => {
  hourglass(['train', at('t.csv'), '--epochs', '1', '--out', at('tm')]);
  const ae = loadAutoencoder(at('tm'));
  const s = await reportSample(ae, at('t.csv'), false, 50);
  assert.equal(s.rows, 700);
  assert.equal(s.sampled, 50);
  assert.match(s.source, /a uniform sample of 50 of its 700 rows/);
  const t = s.data as Table;
  assert.deepEqual(t.columns, ['a', 'b', 'colour']);
  const ids = t.rows.map((r) => Number(r[0]));
  assert.equal(new Set(ids).size, 50);
  // Each sampled row is the file's row with that id, whole.
  for (const r of t.rows) assert.equal(r.join(','), lines[Number(r[0]) + 1]);
  // Drawn from the whole file, not its first rows: a uniform sample's mean id is near 350 (SD 28).
  const mean = ids.reduce((a, b) => a + b, 0) / ids.length;
  assert.ok(Math.abs(mean - 349.5) < 120, `mean sampled row ${mean}`);
  assert.equal(s.rawBytes, Math.round((fs.statSync(at('t.csv')).size * 50) / 700));
  ae.dispose();
});
