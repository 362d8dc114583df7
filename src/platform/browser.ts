// Browser adapters: where the kernels' .wasm files are (next to this package's browser entry, or
// where the page says), compiling them once by streaming, and kernel workers as Web Workers.

import { HourglassError } from '../engine/errors.js';
import type { WorkerInit, WorkerSpawner } from '../engine/threads.js';
import { KERNEL_WORKER_SOURCE } from './kernel_worker_source.js';

export type WasmBuild = 'threads' | 'fma' | 'single';
const FILES: Record<WasmBuild, string> = {
  threads: 'kernels.wasm',
  fma: 'kernels-fma.wasm',
  single: 'kernels-single.wasm',
};

/**
 * Where the .wasm files are: a folder URL (files keep their names) or one URL per file, as
 * tfjs's setWasmPaths and onnxruntime-web's env.wasm.wasmPaths. Call before ready().
 */
export type WasmPaths = string | URL | Partial<Record<WasmBuild, string | URL>>;

/** The URL of one build: from the page's paths, else the default (beside the browser entry). */
export function wasmUrl(build: WasmBuild, paths: WasmPaths | null, defaults: Record<WasmBuild, () => URL>): URL {
  const base = typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
  if (paths === null) return defaults[build]();
  if (typeof paths === 'string' || paths instanceof URL) {
    const folder = String(paths).endsWith('/') ? String(paths) : `${String(paths)}/`;
    return new URL(FILES[build], new URL(folder, base));
  }
  const one = paths[build];
  return one === undefined ? defaults[build]() : new URL(String(one), base);
}

/** Fetches and compiles one build of the kernels, streaming where the server sends application/wasm. */
export async function compileKernels(url: URL): Promise<WebAssembly.Module> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new HourglassError(
      `cannot fetch the Hourglass kernels from ${url.href} (${(e as Error).message}): serve the package's .wasm files there or call setWasmPaths()`,
    );
  }
  if (!response.ok) {
    throw new HourglassError(
      `cannot fetch the Hourglass kernels from ${url.href} (HTTP ${response.status}): serve the package's .wasm files (dist/*.wasm) next to the bundle or call setWasmPaths()`,
    );
  }
  // Streaming compilation needs the application/wasm type; other servers get the buffered path.
  if (response.headers.get('content-type')?.startsWith('application/wasm'))
    return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Kernel workers as module Web Workers made from an inlined script (a blob URL), so no bundler
 * has to find a worker file. They share the page's WebAssembly.Memory, so the page must be
 * cross-origin isolated (the entry checks before spawning).
 */
export const browserWorkerSpawner: WorkerSpawner = (init: WorkerInit) => {
  const url = URL.createObjectURL(new Blob([KERNEL_WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module', name: 'hourglass-kernels' });
  worker.postMessage(init);
  return {
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
};

/**
 * Threads: the cores the browser reports, at most 4 (as in Node). Inside a worker (training off
 * the main thread) one core is left to the page, so that its frames keep coming.
 */
export function defaultBrowserThreads(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  const inWorker = typeof document === 'undefined';
  return Math.max(1, Math.min(4, inWorker ? cores - 1 : cores));
}
