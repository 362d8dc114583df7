// The kernel table is checked against the AssemblyScript sources at build time
// (tools/check_kernels.ts): it passes on the real sources and fails, naming the kernel, when a
// parameter is swapped, retyped or added in a copy of them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const check = (dir?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'tools/check_kernels.ts', ...(dir ? [dir] : [])], {
    cwd: root,
    encoding: 'utf8',
  });

function mutated(edit: (source: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-kernels-'));
  fs.cpSync(path.join(root, 'src', 'kernels'), dir, { recursive: true });
  const file = path.join(dir, 'conv.ts');
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, 'the mutation applies');
  fs.writeFileSync(file, after);
  return dir;
}

test('the kernel table matches src/kernels', () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /kernel table matches src\/kernels \(\d+ kernels\)/);
});

test('a swapped, retyped or extra kernel parameter fails the check', () => {
  const cases: [string, (s: string) => string, RegExp][] = [
    [
      'swapped',
      (s) =>
        s.replace('export function im2col(b: i32, h: i32, w: i32', 'export function im2col(b: i32, w: i32, h: i32'),
      /im2col: parameter 2 is w: i32 in src\/kernels, h: i32 in the table/,
    ],
    [
      'retyped',
      (s) =>
        s.replace(
          'export function biasActivation(rows: i32, ch: i32, y: usize',
          'export function biasActivation(rows: i32, ch: f32, y: usize',
        ),
      /biasActivation: parameter 2 is ch: f32/,
    ],
    [
      'extra',
      (s) =>
        s.replace(
          'col: usize, x: usize, accumulate: i32): void',
          'col: usize, x: usize, accumulate: i32, extra: i32): void',
        ),
      /col2im: 18 parameters in src\/kernels, 17 in the table/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    const dir = mutated(edit);
    const r = check(dir);
    fs.rmSync(dir, { recursive: true });
    assert.equal(r.status, 1, `${what}: exit status`);
    assert.match(r.stderr, message, what);
  }
});
