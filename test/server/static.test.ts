// The playground's static server (src/server/static.ts): cross-origin isolation headers, content
// types, no way out of its folder, and a clear refusal when the playground is not built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HourglassError } from '../../src/engine/errors.js';
import { contentType, resolveRequest, serveStaticFolder } from '../../src/server/static.js';

function site(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-static-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(dir, 'kernels.wasm'), new Uint8Array([0, 97, 115, 109]));
  fs.writeFileSync(path.join(dir, 'main.js'), 'export {};');
  return dir;
}

test('serves files with COOP/COEP and their content types, and nothing outside the folder', async () => {
  const dir = site();
  const server = await serveStaticFolder({ dir, port: 0 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const wasm = await fetch(server.url + 'kernels.wasm');
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual(new Uint8Array(await wasm.arrayBuffer()), new Uint8Array([0, 97, 115, 109]));
    assert.equal((await fetch(server.url + 'main.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(server.url + 'missing.js')).status, 404);
    assert.equal((await fetch(server.url + '..%2f..%2fetc%2fpasswd')).status, 404);
    assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('request paths stay inside the folder', () => {
  const dir = site();
  assert.equal(resolveRequest(dir, '/'), path.join(dir, 'index.html'));
  assert.equal(resolveRequest(dir, '/../' + path.basename(dir) + '/main.js'), null);
  assert.equal(resolveRequest(dir, '/%2e%2e/%2e%2e/etc/passwd'), null);
  assert.equal(resolveRequest(dir, '/bad%zz'), null);
  assert.equal(contentType('a.WASM'), 'application/wasm');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a folder without the built page is refused with what to run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-static-'));
  await assert.rejects(serveStaticFolder({ dir, port: 0 }), (e: Error) => {
    assert.ok(e instanceof HourglassError);
    assert.match(e.message, /the playground is not built \(run npm run build\)/);
    return true;
  });
  await assert.rejects(serveStaticFolder({ dir: site(), port: 70000 }), /port must be a whole number/);
  fs.rmSync(dir, { recursive: true, force: true });
});
