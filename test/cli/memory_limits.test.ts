// Models too large for WebAssembly memory, asked for on the command line: one line naming what
// needs how many bytes and the limit, exit 1, no stack trace, and no model folder written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-limits-'));
const hourglass = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });

function oneLineRefusal(r: ReturnType<typeof hourglass>, needs: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, needs);
  assert.match(lines[0]!, /more than WebAssembly memory can hold \(limit 4\.00 GiB/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
}

test('train --latent 1000000000000 is refused in one line', () => {
  const csv = path.join(tmp, 'data.csv');
  fs.writeFileSync(
    csv,
    ['a,b,c', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i * 0.5}`)].join('\n') + '\n',
  );
  const r = hourglass('train', csv, '--latent', '1000000000000', '--out', 'huge');
  oneLineRefusal(r, /layer '\w+' kernel \(shape \[\d+, 1000000000000\]\) needs [\d.]+ TiB/);
  assert.ok(!fs.existsSync(path.join(tmp, 'huge')), 'no model folder');
});

test('a conv model over huge images is refused before allocating its plan', () => {
  const dir = path.join(tmp, 'images');
  fs.mkdirSync(dir);
  const png = new PNG({ width: 6, height: 6 });
  png.data.fill(128);
  for (const n of ['a', 'b']) fs.writeFileSync(path.join(dir, `${n}.png`), PNG.sync.write(png));
  const r = hourglass(
    'train',
    dir,
    '--arch',
    'conv',
    '--downsampling',
    'strided',
    '--image-size',
    '9000x9000',
    '--out',
    'conv',
  );
  oneLineRefusal(r, /a training plan for batches of 2 needs [\d.]+ GiB/);
  assert.ok(!fs.existsSync(path.join(tmp, 'conv')), 'no model folder');
});
