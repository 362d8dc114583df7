// Browser tests: finding Debian's chromium (never a downloaded one) and a static server on the
// loopback that sends COOP/COEP headers when the URL asks for ?isolated.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export function findChromium(): string | null {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((c): c is string => typeof c === 'string' && fs.existsSync(c)) ?? null;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

export interface StaticServer {
  url: string;
  close(): void;
}

/**
 * Serves `dir`. A page loaded with ?isolated (and every file it loads after, by Referer) gets
 * Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy, so it is cross-origin isolated.
 */
export function serveStatic(dir: string): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = path.join(dir, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    const isolated = url.searchParams.has('isolated') || (req.headers.referer ?? '').includes('?isolated');
    if (isolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}

/** Without chromium a developer's run skips the browser tests; CI (which installs it) never does. */
export function chromiumSkip(chromium: string | null): false | string {
  return chromium || process.env['CI'] ? false : 'no chromium found (apt-get install chromium); .ci/run installs it';
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/**
 * Bundles page scripts with esbuild for the browser as an app that installed hourglass-ae would
 * (resolved through the package's exports' browser condition), into a folder with the .wasm files
 * beside the bundle (esbuild does not copy new URL() assets) and an index.html loading `app.js`.
 * `sources` maps file names (app.js, worker.js, ...) to their code; returns the folder to serve.
 */
export async function bundleApp(sources: Record<string, string>, body = ''): Promise<string> {
  const { build } = await import('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-app-'));
  for (const [name, code] of Object.entries(sources)) fs.writeFileSync(path.join(dir, name), code);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'hourglass-ae'));
  const out = path.join(dir, 'public');
  const entryPoints = Object.keys(sources).map((n) => path.join(dir, n));
  const result = await build({
    entryPoints,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: out,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(
    inputs.some((f) => f.endsWith('dist/browser.js')),
    'the browser entry was bundled',
  );
  assert.ok(!inputs.some((f) => f.startsWith('node:')), 'no Node built-in in the bundle');
  for (const f of fs.readdirSync(path.join(root, 'dist')).filter((n) => n.endsWith('.wasm')))
    fs.copyFileSync(path.join(root, 'dist', f), path.join(out, f));
  fs.writeFileSync(
    path.join(out, 'index.html'),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${body}<script type="module" src="./app.js"></script>`,
  );
  return out;
}

/** Collects a page's uncaught errors and console errors, to assert there were none. */
export function collectErrors(page: {
  on(event: 'pageerror', f: (e: Error) => void): unknown;
  on(event: 'console', f: (m: { type(): string; text(): string }) => void): unknown;
}): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}
