// compress and decompress on the command line with --stream: the same container bytes and the
// same rebuilt rows as the in-memory commands (a .npy and a table with gaps, odd counts of 4-bit
// levels); malformed inputs and containers get their one-line errors and leave no --out and no
// temporary file behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';
import { cliFolder } from '../helpers/cli_folder.js';

const { tmp, at, read, hourglass, ok } = cliFolder('stream-compress');
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

const random = new Random(8);
// 1,501 rows x 3 code values: an odd count of 4-bit levels, so the last byte holds half.
fs.writeFileSync(
  at('x.npy'),
  encodeNpy(
    Float32Array.from({ length: 1501 * 10 }, () => random.normal()),
    [1501, 10],
  ),
);
const lines = ['a,b,c,colour'];
for (let i = 0; i < 1301; i++) {
  const a = random.normal();
  const b = random.uniform() < 0.1 ? 'NA' : (2 * a).toFixed(3);
  lines.push([a.toFixed(3), b, (-a).toFixed(3), ['red', 'blue'][i % 2]].join(','));
}
fs.writeFileSync(at('t.csv'), lines.join('\n') + '\n');
ok(['train', at('x.npy'), '--epochs', '1', '--latent', '3', '--out', at('m1')]);
ok(['train', at('t.csv'), '--epochs', '1', '--out', at('m2')]);

test('compress --stream writes the in-memory container, and decompress --stream its rows', () => {
  for (const [model, data, bits] of [
    ['m1', 'x.npy', '4'],
    ['m2', 't.csv', '8'],
  ] as const) {
    const streamed = lastJson(
      ok(['compress', at(model), at(data), '--bits', bits, '--stream', '--out', at(`${model}.s.hgc`), '--json']).stdout,
    );
    const whole = lastJson(
      ok(['compress', at(model), at(data), '--bits', bits, '--out', at(`${model}.m.hgc`), '--json']).stdout,
    );
    assert.ok(read(`${model}.s.hgc`).equals(read(`${model}.m.hgc`)), `${data}: container bytes`);
    assert.equal(streamed.streamed, true);
    assert.equal(streamed.rows, whole.rows);
    assert.equal(streamed.bytes, read(`${model}.m.hgc`).length);
    assert.equal(streamed.ratio, whole.ratio);
    // The error is summed batch by batch (the table's column by column): equal to rounding.
    assert.ok(Math.abs(streamed.mse - whole.mse) <= 1e-12 * whole.mse, `${streamed.mse} vs ${whole.mse}`);
  }
  for (const [model, out] of [
    ['m1', 'npy'],
    ['m2', 'csv'],
  ] as const) {
    ok(['decompress', at(model), at(`${model}.m.hgc`), '--stream', '--out', at(`${model}.s.${out}`)]);
    ok(['decompress', at(model), at(`${model}.m.hgc`), '--out', at(`${model}.m.${out}`)]);
    assert.ok(read(`${model}.s.${out}`).equals(read(`${model}.m.${out}`)), `decompress ${model} .${out}`);
  }
});

test('streamed compress and decompress refuse malformed inputs and leave nothing behind', () => {
  const full = read('m1.m.hgc');
  fs.writeFileSync(at('cut.hgc'), full.subarray(0, 100));
  const flipped = Buffer.from(full);
  flipped[60] = flipped[60]! ^ 1;
  fs.writeFileSync(at('bad.hgc'), flipped);
  fs.writeFileSync(at('bad.csv'), 'a,b,c,colour\n1,2,3,red\n1,x,3,blue\n');
  const cases: [string[], RegExp][] = [
    [
      ['decompress', at('m1'), at('cut.hgc'), '--stream', '--out', at('o.npy')],
      /cut.hgc: it has 100 bytes, its header promises \d+ \(truncated\)/,
    ],
    [['decompress', at('m1'), at('bad.hgc'), '--stream', '--out', at('o.npy')], /the checksum does not match/],
    [['decompress', at('m2'), at('m1.m.hgc'), '--stream', '--out', at('o.csv')], /different model/],
    [['compress', at('m2'), at('bad.csv'), '--stream', '--out', at('o.hgc')], /bad.csv: data row 2, column 'b' is 'x'/],
    [
      ['compress', at('m1'), at('t.csv'), '--stream', '--out', at('o.hgc')],
      /t.csv: its rows have 4 values, this model reads 10/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = hourglass(args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const left = fs.readdirSync(tmp).filter((f) => f.startsWith('o.') || f.includes('.tmp-'));
  assert.deepEqual(left, []);
});
