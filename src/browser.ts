// hourglass-ae for browsers (the package's "browser" export): the same API as in Node, with the
// kernels fetched next to this module and compiled once; Web Workers as kernel threads when the
// page is cross-origin isolated, the single-thread build otherwise. `await ready()` first.

import { initEngine, relaxedSimdSupported, sharedMemorySupported } from './engine/kernels.js';
import { setThreads, setWorkerSpawner, threadsStarted } from './engine/threads.js';
import {
  browserWorkerSpawner,
  compileKernels,
  defaultBrowserThreads,
  wasmUrl,
  type WasmPaths,
} from './platform/browser.js';
import { serveTrainingWith } from './platform/worker_training.js';

export interface ReadyOptions {
  /** Use the fused multiply-add kernels where the browser has relaxed SIMD (default true). */
  fma?: boolean;
}

// Literal `new URL('…', import.meta.url)` expressions in the entry itself, so that bundlers (Vite,
// webpack 5) see the files and emit them with the bundle, and that without a bundler (or with
// esbuild, which leaves them) they are looked for beside this module or the bundle.
const DEFAULT_URLS = {
  threads: () => new URL('./kernels.wasm', import.meta.url),
  fma: () => new URL('./kernels-fma.wasm', import.meta.url),
  single: () => new URL('./kernels-single.wasm', import.meta.url),
};

let paths: WasmPaths | null = null;
let started: Promise<void> | null = null;

/** Where the .wasm files are served, when not next to this module (call before ready()). */
export function setWasmPaths(where: WasmPaths): void {
  if (started) throw new Error('setWasmPaths() must come before ready()');
  paths = where;
}

/**
 * Fetches and compiles the kernels (once; later calls return the same promise) and starts the
 * kernel workers where the page may share memory. Everything else in the API needs it done.
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  started ??= (async () => {
    const shared = sharedMemorySupported();
    // fma: false keeps the plain build (results then equal Node's default build bit for bit).
    const fma = relaxedSimdSupported() && options.fma !== false;
    // The fused multiply-add build is a threads build; without shared memory the single one runs.
    const build = shared ? (fma ? 'fma' : 'threads') : 'single';
    initEngine(await compileKernels(wasmUrl(build, paths, DEFAULT_URLS)), { shared, fma: shared && fma });
    if (shared) setWorkerSpawner(browserWorkerSpawner);
    else
      setWorkerSpawner(
        null,
        'no shared memory in this page (it is not cross-origin isolated: serve it with COOP/COEP headers): running on one thread',
      );
    setThreads(shared ? defaultBrowserThreads() : 1);
    // Workers start asynchronously: resolve once they run (or after 5 s, leaving the main thread to it).
    for (const t0 = Date.now(); !threadsStarted() && Date.now() - t0 < 5000;)
      await new Promise((r) => setTimeout(r, 5));
  })();
  return started;
}

export * from './api.js';
export type { WasmPaths } from './platform/browser.js';
export * from './platform/browser_storage.js';
export { imagesToTensor, type ImageSource } from './platform/browser_images.js';
export { importTfjs, type TfjsFiles, type TfjsImportResult } from './interop/tfjs/import.js';
export {
  trainInWorker,
  type FamilySpec,
  type TrainInWorkerOptions,
  type TrainingRun,
  type WorkerFitOptions,
} from './platform/worker_training.js';

/** In a module Web Worker's script: answer trainInWorker() from the page (see the README). */
export function serveTraining(): void {
  serveTrainingWith(ready);
}
