// The browser build stays small: the whole API bundled and minified for the browser (esbuild)
// within 100 KB gzipped, each .wasm within 40 KB gzipped (the goals in the README), and no Node
// built-in anywhere in the bundle.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the browser bundle of the whole API and each .wasm are within their gzipped budgets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-size-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'hourglass-ae'));
  fs.writeFileSync(path.join(dir, 'all.js'), "export * from 'hourglass-ae';\n");
  const r = await build({
    entryPoints: [path.join(dir, 'all.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const js = gzipSync(r.outputFiles[0]!.contents, { level: 9 }).length;
  assert.ok(
    !Object.keys(r.metafile.inputs).some((f) => f.startsWith('node:') || /\/platform\/node/.test(f)),
    'no Node module in the browser bundle',
  );
  assert.ok(js <= 100 * 1024, `browser JS ${js} bytes gzipped`);
  for (const f of ['kernels.wasm', 'kernels-fma.wasm', 'kernels-single.wasm']) {
    const gz = gzipSync(fs.readFileSync(path.join(root, 'dist', f)), { level: 9 }).length;
    assert.ok(gz <= 40 * 1024, `${f} ${gz} bytes gzipped`);
  }
});
