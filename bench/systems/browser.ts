// The browser row of the benchmark: the workload in headless Chromium (Debian's, driven by
// playwright-core; nothing is downloaded), Hourglass and TensorFlow.js in the same page. One page
// is served plainly (one thread, as a page without COOP/COEP headers gets) and one cross-origin
// isolated page per thread setting (Hourglass's kernel workers, tfjs-wasm's threaded build).
// Conv: tfjs-wasm is tried (its error recorded: it lacks Conv2DBackpropFilter), then tfjs's
// cpu and webgl backends (WebGL runs on SwiftShader where there is no GPU). Prints one JSON line
// per row, or per failure ({ error }).
// argv: workload JSON, thread counts (comma-separated), weights file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { findChromium, serveStatic } from '../../test/helpers/browser.js';
import type { BenchPage, PageResult, PageSystem } from '../browser/page.js';
import { mnistRows } from '../shared.js';
import { slowSystemWorkload, reducedNote, type Workload } from '../workloads.js';

const [json, threadList, weightsFile] = process.argv.slice(2);
const w = JSON.parse(json!) as Workload;
const threadCounts = threadList!.split(',').map(Number);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
/** A job that runs longer than this is given up (WebGL on a CPU rasterizer can crawl). */
const JOB_TIMEOUT_MS = 300_000;

const chromium = findChromium();
if (!chromium) {
  console.error('no chromium found (apt-get install chromium)');
  process.exit(3);
}

/** The page bundle (from source), Hourglass's and tfjs's .wasm files, the data and the weights. */
async function servedFolder(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-bench-page-'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, 'bench/browser/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(dir, 'page.js'),
    logLevel: 'error',
  });
  // Hourglass looks for its kernels beside the bundle (new URL(..., import.meta.url)).
  const kernels = ['kernels.wasm', 'kernels-fma.wasm', 'kernels-single.wasm'];
  for (const f of kernels) {
    const from = path.join(root, 'build', f);
    if (!fs.existsSync(from)) throw new Error(`${from} is missing: run npm run build:wasm`);
    fs.copyFileSync(from, path.join(dir, f));
  }
  const tfjsWasm = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of fs.readdirSync(tfjsWasm).filter((n) => n.endsWith('.wasm')))
    fs.copyFileSync(path.join(tfjsWasm, f), path.join(dir, f));
  fs.copyFileSync(weightsFile!, path.join(dir, 'weights.f32'));
  fs.writeFileSync(path.join(dir, 'data.f32'), mnistRows(w.batch * w.steps));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./page.js"></script>',
  );
  return dir;
}

interface PagePlan {
  isolated: boolean;
  threads: number;
  systems: PageSystem[];
}

function plan(): PagePlan[] {
  // tfjs-cpu and WebGL do not use the page's threads: they run in the plain page only, as does the
  // tfjs-wasm conv attempt (it fails the same way in every page).
  const plain: PageSystem[] = [
    'hourglass',
    'tfjs-wasm',
    ...(w.kind === 'conv' ? (['tfjs-cpu', 'tfjs-webgl'] as const) : []),
  ];
  const isolated: PageSystem[] = w.kind === 'conv' ? ['hourglass'] : ['hourglass', 'tfjs-wasm'];
  return [
    { isolated: false, threads: 1, systems: plain },
    ...threadCounts.map((threads) => ({ isolated: true, threads, systems: isolated })),
  ];
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const dir = await servedFolder();
const server = await serveStatic(dir);
const { chromium: pw } = await import('playwright-core');
// WebGL without a GPU needs SwiftShader allowed explicitly (Chromium no longer falls back to it).
const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
const version = browser.version();
try {
  for (const p of plan()) {
    const page = await browser.newPage();
    const pageName = p.isolated ? 'isolated' : 'not isolated';
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/index.html?threads=${p.threads}${p.isolated ? '&isolated' : ''}`);
    await page
      .waitForFunction(() => 'bench' in window, undefined, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`the bench page did not start: ${errors.join(' | ') || 'no error reported'}`);
      });
    for (const system of p.systems) {
      const slow = system === 'tfjs-cpu' || system === 'tfjs-webgl';
      const sw = slow ? slowSystemWorkload(w) : w;
      const base = { system, page: pageName, threads: p.threads, browser: `Chromium ${version}` };
      try {
        const r: PageResult = await timeout(
          page.evaluate(([s, job]) => (window as unknown as { bench: BenchPage }).bench.run(s, job), [
            system,
            sw,
          ] as const),
          JOB_TIMEOUT_MS,
          `${system} in the ${pageName} page`,
        );
        const note = [r.note, sw !== w ? reducedNote(sw, w) : null].filter((n) => n).join(' ') || null;
        console.log(JSON.stringify({ ...base, ...r, note, reduced: sw !== w }));
      } catch (e) {
        const message = (e as Error).message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0];
        console.log(JSON.stringify({ ...base, error: message }));
        // A job given up on still runs in the page: the page's later jobs would share its cores.
        if (message?.includes('no result after')) break;
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
