// denoise and impute --stream give the in-memory commands' bytes: denoise of a table with gaps
// (CSV in its own columns), of a .npy (.npy and .csv out), of uint8 images (a PNG grid, a folder
// of PNG files), and of a series on a sequence model (gaps, missing cells, a merged duplicate,
// more windows than one streamed batch); impute of a series whose missing cells lie alone, in a
// run, less than a window apart (refilled together), at both ends and in an inserted gap. A
// streamed impute of a series with duplicate timestamps is refused in one line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';
import { cliFolder } from '../helpers/cli_folder.js';
import { stepTime, wave } from '../helpers/series_steps.js';

const { at, hourglass, same } = cliFolder('stream-repair');
const ok = (args: string[]) => {
  const r = hourglass(args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
};
/** The command with and without --stream: the same bytes, the streamed report says so. */
function bothWays(args: string[], out: string, what: string) {
  const [base, ext] = out.includes('.') ? out.split('.') : [out, ''];
  const dot = ext ? `.${ext}` : '';
  const m = ok([...args, '--out', `${base}_m${dot}`, '--json']);
  const s = ok([...args, '--stream', '--out', `${base}_s${dot}`, '--json']);
  assert.equal(s['streamed'], true, what);
  return { m, s, mFile: `${base}_m${dot}`, sFile: `${base}_s${dot}` };
}

const random = new Random(5);

/** A uint8 .npy (images: read scaled to [0, 1], as NumPy's users save MNIST). */
function uint8Npy(data: Uint8Array, shape: number[]): Buffer {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const length = Buffer.alloc(2);
  length.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), length, Buffer.from(header), data]);
}

test('denoise --stream of a table, a .npy and images writes what the in-memory denoise writes', () => {
  const lines = ['a,b,c,colour'];
  for (let i = 0; i < 1300; i++) {
    const a = random.normal();
    const b = random.uniform() < 0.1 ? '' : (2 * a + 0.1 * random.normal()).toFixed(3);
    lines.push([a.toFixed(3), b, (-a).toFixed(3), ['red', 'blue', 'green'][i % 3]].join(','));
  }
  fs.writeFileSync(at('t.csv'), lines.join('\n') + '\n');
  ok(['train', 't.csv', '--epochs', '3', '--out', 'tm', '--json']);
  const t = bothWays(['denoise', 'tm', 't.csv'], 'clean.csv', 'table');
  same(t.mFile, t.sFile, 'table');
  assert.equal(t.s['rows'], 1300);

  const rows = 1100,
    width = 12;
  const x = Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i % width) + 0.1 * random.normal());
  fs.writeFileSync(at('x.npy'), encodeNpy(x, [rows, width]));
  ok(['train', 'x.npy', '--epochs', '3', '--out', 'xm', '--json']);
  for (const ext of ['npy', 'csv']) {
    const r = bothWays(['denoise', 'xm', 'x.npy'], `rows.${ext}`, `.npy to .${ext}`);
    same(r.mFile, r.sFile, `.npy to .${ext}`);
  }

  // 8x8 uint8 images: a bright square at a random place.
  const n = 300,
    pixels = new Uint8Array(n * 64);
  for (let i = 0; i < n; i++) {
    const r0 = random.int(6),
      c0 = random.int(6);
    for (let r = r0; r < r0 + 3; r++) for (let c = c0; c < c0 + 3; c++) pixels[i * 64 + r * 8 + c] = 250;
  }
  fs.writeFileSync(at('img.npy'), uint8Npy(pixels, [n, 8, 8]));
  ok(['train', 'img.npy', '--epochs', '2', '--out', 'im', '--json']);
  const g = bothWays(['denoise', 'im', 'img.npy', '--grid', '20'], 'grid.png', 'grid');
  same(g.mFile, g.sFile, 'PNG grid');
  const f = bothWays(['denoise', 'im', 'img.npy'], 'pngs', 'folder');
  const files = fs.readdirSync(at(f.mFile)).sort();
  assert.equal(files.length, n);
  assert.deepEqual(fs.readdirSync(at(f.sFile)).sort(), files);
  for (const file of files) same(path.join(f.mFile, file), path.join(f.sFile, file), file);
});

const WINDOW = 24;

/** Two value columns every 5 minutes; `cell(i, column)` may blank a value; `skip(i)` drops a row. */
function writeSeries(
  file: string,
  n: number,
  o: { blank?: (i: number, c: number) => boolean; skip?: (i: number) => boolean; duplicate?: number } = {},
) {
  const lines = ['timestamp,load,temp'];
  for (let i = 0; i < n; i++) {
    if (o.skip?.(i)) continue;
    const cells = [wave(i).toFixed(4), (20 + 3 * Math.cos((2 * Math.PI * i) / 96)).toFixed(3)];
    lines.push([stepTime(i), ...cells.map((v, c) => (o.blank?.(i, c) ? '' : v))].join(','));
    if (o.duplicate === i) lines.push([stepTime(i), ...cells].join(','));
  }
  fs.writeFileSync(at(file), lines.join('\n') + '\n');
}

test('denoise and impute --stream on a sequence model write the in-memory series', () => {
  writeSeries('train.csv', 400);
  ok([
    ...['train', 'train.csv', '--kind', 'sequence', '--window', String(WINDOW), '--epochs', '2'],
    ...['--batch', '64', '--out', 'seq', '--json'],
  ]);
  // Missing cells: at the first and last steps, alone, a run of four, two clusters a window
  // apart and two cells less than a window apart (one cluster), in either column; an hour
  // left out (inserted back by --gaps interpolate, every cell of it missing).
  const blanks = new Set([0, 50, 51, 52, 53, 200, 200 + WINDOW, 700, 700 + WINDOW - 3, 1399]);
  writeSeries('gappy.csv', 1400, {
    blank: (i, c) => blanks.has(i) && (c === 0 || i % 2 === 0),
    skip: (i) => i > 900 && i < 912,
  });
  const gaps = ['--gaps', 'interpolate'];
  const d = bothWays(
    ['denoise', 'seq', 'gappy.csv', ...gaps, '--missing', 'interpolate'],
    'series_clean.csv',
    'series denoise',
  );
  same(d.mFile, d.sFile, 'series denoise');
  assert.equal(d.s['steps'], 1400);

  for (const rounds of ['1', '3']) {
    const i = bothWays(
      ['impute', 'seq', 'gappy.csv', ...gaps, '--max-rounds', rounds],
      `filled${rounds}.csv`,
      'impute',
    );
    same(i.mFile, i.sFile, `series impute, ${rounds} rounds`);
    assert.equal(i.s['filledCells'], i.m['filledCells']);
    assert.equal(i.s['steps'], 1400);
    // 11 inserted steps of two cells, and the blanked cells.
    assert.ok((i.s['filledCells'] as number) > 22, `${String(i.s['filledCells'])} cells filled`);
  }

  writeSeries('dup.csv', 600, { blank: (i) => i === 100, duplicate: 300 });
  const r = hourglass(['impute', 'seq', 'dup.csv', '--stream', '--duplicates', 'mean', '--out', 'dup_s.csv']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: dup\.csv: impute needs one row per timestamp/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(fs.existsSync(at('dup_s.csv')), false);
});
