// The package as a user gets it: the packed tarball installed into a fresh app (npm init), bundled
// with Vite and with esbuild for the browser, with no bundler config, trains in Chromium as in Node.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { nodeTwinWeights } from '../helpers/page_twin.js';
import { chromiumSkip, collectErrors, findChromium, serveStatic, type StaticServer } from '../helpers/browser.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chromium = findChromium();
const skip = chromiumSkip(chromium);

/** The app's code: a plain main.js, as a user would write it (no top-level await). */
const MAIN_JS = `
import { ready, input, layers, sequential, setSeed, tensor, getThreads, workerJobCounts } from 'hourglass-ae';
async function main() {
  await ready({ fma: false });
  setSeed(11);
  const m = sequential([input([300]), layers.dense(64, { activation: 'relu' }), layers.dense(6, { activation: 'tanh' }), layers.dense(300, { activation: 'sigmoid' })]);
  m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
  const rows = 256, data = new Float32Array(rows * 300);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
  const x = tensor(data, [rows, 300]);
  const history = await m.fit(x, x, { epochs: 3, batchSize: 128, verbose: false });
  window.result = { weights: m.getWeights().map((w) => Array.from(w)), loss: history.history.loss, threads: getThreads(), jobs: workerJobCounts(), isolated: crossOriginIsolated };
}
main().catch((e) => {
  console.error(String((e && e.stack) || e));
  window.result = { error: String(e) };
});
`;
const INDEX_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>' +
  '<body><script type="module" src="./main.js"></script></body></html>\n';

// Under `npm test` the parent npm exports its config (npm_config_local_prefix=<repo> among it):
// a nested npm would then install into the repository, not the app. The children get it without.
const npmEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$)/i.test(k),
  ),
);
async function npm(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: npmEnv, maxBuffer: 64 << 20 });
  return stdout;
}

interface App {
  dir: string;
  expected: number[][];
}
let app: Promise<App> | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-packed-'));
const servers: StaticServer[] = [];
let browser: Browser | null = null;
after(async () => {
  for (const s of servers) s.close();
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Packs the repository (already built by pretest) and installs the tarball into a fresh app, once. */
function freshApp(): Promise<App> {
  app ??= (async () => {
    for (const f of ['dist/browser.js', 'dist/index.js'])
      assert.ok(fs.existsSync(path.join(root, f)), `${f} is built (npm run build)`);
    // --ignore-scripts: no `prepare` (a full build); pretest has just built dist/ and build/.
    const packed = JSON.parse(await npm(root, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp])) as {
      filename: string;
      files: { path: string }[];
    }[];
    const entry = packed[0];
    assert.ok(entry, 'npm pack reported a tarball');
    const files = new Set(entry.files.map((f) => f.path));
    for (const f of [
      'dist/browser.js',
      'dist/index.js',
      'dist/kernels.wasm',
      'dist/kernels-fma.wasm',
      'dist/kernels-single.wasm',
    ])
      assert.ok(files.has(f), `the tarball holds ${f} (package.json "files")`);
    const tarball = path.join(tmp, path.basename(entry.filename));
    assert.ok(fs.existsSync(tarball), `the tarball is at ${tarball}`);

    const dir = path.join(tmp, 'app');
    fs.mkdirSync(dir);
    await npm(dir, ['init', '-y']);
    // The package's runtime dependencies come from the registry (or the cache).
    await npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball]);
    const installed = path.join(dir, 'node_modules', 'hourglass-ae');
    assert.ok(!fs.lstatSync(installed).isSymbolicLink(), 'the app has a copy of the package, not a link');
    fs.writeFileSync(path.join(dir, 'main.js'), MAIN_JS);
    fs.writeFileSync(path.join(dir, 'index.html'), INDEX_HTML);
    return { dir, expected: await nodeTwinWeights() };
  })();
  return app;
}

interface PageResult {
  weights: number[][];
  loss: number[];
  threads: number;
  jobs: number[];
  isolated: boolean;
  wasm: { url: string; status: number }[];
}

/** Loads the page in Chromium and returns what the app left on window.result. */
async function trainInPage(url: string): Promise<PageResult> {
  assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
  if (!browser) {
    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  }
  const page = await browser.newPage();
  try {
    const errors = collectErrors(page);
    const wasm: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push({ url: r.url(), status: r.status() });
    });
    await page.goto(url);
    await page.waitForFunction(() => 'result' in window, undefined, { timeout: 60_000 });
    const r = await page.evaluate(() => (window as unknown as { result: Omit<PageResult, 'wasm'> }).result);
    assert.deepEqual(errors, [], 'no console errors');
    return { ...r, wasm };
  } finally {
    await page.close();
  }
}

function checkTraining(r: PageResult, expected: number[][], what: string): void {
  const [first, , last] = r.loss;
  assert.ok(
    r.loss.length === 3 && first !== undefined && last !== undefined && last < first,
    `the loss fell (${what}): ${r.loss.join(', ')}`,
  );
  assert.deepEqual(r.weights, expected, `weights equal Node's bit for bit (${what})`);
}

test(
  "a fresh app with the packed tarball, built by Vite with no config, trains in isolated Chromium (Web Workers) with Node's weights",
  { skip, timeout: 180_000 },
  async () => {
    const { dir, expected } = await freshApp();
    const { build } = await import('vite');
    const out = path.join(dir, 'dist-vite');
    // Only where the app is and where the output goes: nothing for the .wasm files or the workers.
    await build({ root: dir, configFile: false, logLevel: 'warn', build: { outDir: out } });
    const assets = fs.readdirSync(path.join(out, 'assets'));
    const emitted = assets.filter((f) => f.endsWith('.wasm'));
    for (const name of ['kernels', 'kernels-fma', 'kernels-single'])
      assert.ok(
        emitted.some((f) => new RegExp(`^${name}-[\\w-]+\\.wasm$`).test(f)),
        `Vite emitted ${name}.wasm: ${emitted.join(', ')}`,
      );
    const js = assets.filter((f) => f.endsWith('.js'));
    for (const f of js) {
      const code = fs.readFileSync(path.join(out, 'assets', f), 'utf8');
      assert.doesNotMatch(code, /["'`]node:/, `no Node built-in in ${f}`);
    }
    const server = await serveStatic(out);
    servers.push(server);
    const r = await trainInPage(`${server.url}/index.html?isolated`);
    assert.equal(r.isolated, true);
    assert.ok(r.threads >= 2, `threads in the isolated page: ${r.threads}`);
    assert.ok(
      r.jobs.some((j) => j > 0),
      `a Web Worker ran kernel jobs: ${JSON.stringify(r.jobs)}`,
    );
    // The threads build (fma: false) is fetched from where Vite put it.
    assert.deepEqual(
      r.wasm.map((w) => [path.posix.basename(new URL(w.url).pathname), w.status]),
      [[emitted.find((f) => /^kernels-(?!fma|single)/.test(f)), 200]],
      'the page loaded the emitted threads build',
    );
    checkTraining(r, expected, 'Vite');
  },
);

test(
  "the same app bundled by esbuild (platform browser, .wasm copied beside it) trains in Chromium on one thread with Node's weights",
  { skip, timeout: 180_000 },
  async () => {
    const { dir, expected } = await freshApp();
    const { build } = await import('esbuild');
    const out = path.join(dir, 'dist-esbuild');
    const result = await build({
      absWorkingDir: dir,
      entryPoints: ['main.js'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outdir: out,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(
      inputs.some((f) => f.endsWith('node_modules/hourglass-ae/dist/browser.js')),
      `the installed browser entry was bundled: ${inputs.filter((f) => f.includes('hourglass')).join(', ')}`,
    );
    assert.ok(!inputs.some((f) => f.startsWith('node:')), 'no Node built-in in the bundle');
    // esbuild leaves new URL() assets alone: the .wasm files are served beside the bundle (README).
    const dist = path.join(dir, 'node_modules', 'hourglass-ae', 'dist');
    for (const f of fs.readdirSync(dist).filter((n) => n.endsWith('.wasm')))
      fs.copyFileSync(path.join(dist, f), path.join(out, f));
    fs.writeFileSync(path.join(out, 'index.html'), INDEX_HTML);
    const server = await serveStatic(out);
    servers.push(server);
    const r = await trainInPage(`${server.url}/index.html`);
    assert.equal(r.isolated, false);
    assert.equal(r.threads, 1);
    assert.deepEqual(
      r.wasm.map((w) => [new URL(w.url).pathname, w.status]),
      [['/kernels-single.wasm', 200]],
      'the page loaded the single-thread build beside the bundle',
    );
    checkTraining(r, expected, 'esbuild');
  },
);
