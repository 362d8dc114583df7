// Build step: bundles the playground (web/main.ts and its training worker) into dist/web/ with
// esbuild, and copies the page, its styles, the kernels and the sample data beside it. Code split
// into chunks: the report (fetched on "Download report") stays out of the page's first load, and
// the page and its worker share one copy of the library.

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadMnist } from '../src/data/mnist.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Training digits shipped with the page (the first ones of MNIST's training set). */
export const MNIST_SAMPLE_COUNT = 2000;

/** Writes the MNIST sample: count*784 pixel bytes (0-255), then count label bytes. */
function writeMnistSample(out: string): void {
  const { images, labels } = loadMnist('train');
  const n = MNIST_SAMPLE_COUNT,
    size = 784;
  const bytes = new Uint8Array(n * size + n);
  for (let i = 0; i < n * size; i++) bytes[i] = Math.round(images.data[i]! * 255);
  for (let i = 0; i < n; i++) bytes[n * size + i] = labels[i]!;
  fs.writeFileSync(path.join(out, 'mnist-2000.bin'), bytes);
}

/** Builds the playground into `out` (default dist/web/). The kernels come from dist/ (npm run build:ts). */
export async function buildWeb(out = path.join(root, 'dist', 'web')): Promise<string> {
  fs.mkdirSync(out, { recursive: true });
  // Chunks of an earlier build (their names change with their contents) would pile up.
  for (const f of fs.readdirSync(out)) if (/^chunk-.*\.js(\.map)?$/.test(f)) fs.rmSync(path.join(out, f));
  await build({
    entryPoints: [path.join(root, 'web', 'main.ts'), path.join(root, 'web', 'train_worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outdir: out,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(root, 'web', f), path.join(out, f));
  const wasm = ['kernels.wasm', 'kernels-fma.wasm', 'kernels-single.wasm'];
  for (const f of wasm) {
    const from = [path.join(root, 'dist', f), path.join(root, 'build', f)].find((p) => fs.existsSync(p));
    if (!from) throw new Error(`${f} is missing from dist/ and build/: run npm run build:wasm first`);
    fs.copyFileSync(from, path.join(out, f));
  }
  fs.copyFileSync(path.join(root, 'data', 'breast_cancer.csv'), path.join(out, 'breast_cancer.csv'));
  writeMnistSample(out);
  return out;
}

// node --import tsx tools/build_web.ts [out-dir]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildWeb(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`playground built: ${path.relative(root, out)}/`);
}
