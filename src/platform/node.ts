// Node adapters: loading kernels.wasm from the package, the file store (crash-safe folder saves),
// and a terminal progress bar. Only this folder and the CLI import Node modules.

import fs from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { HourglassError } from '../engine/errors.js';
import { relaxedSimdSupported } from '../engine/kernels.js';
import type { FileStore } from './files.js';
import { readFolder, writeFolder } from './node_folder.js';
import type { WorkerInit } from '../engine/threads.js';
import type { ProgressReporter, TaskReporter } from '../model/progress.js';

/** build/kernels.wasm sits two folders above both src/platform and dist/platform. */
export function wasmPath(): string {
  return fileURLToPath(new URL('../../build/kernels.wasm', import.meta.url));
}

/**
 * Turns on WebAssembly relaxed SIMD where this Node has it behind a flag (Node 20:
 * --experimental-wasm-relaxed-simd; Node 22 and later ship it on) so that the kernels' fused
 * multiply-add build can load: inference and training run about 1.15x faster with it. V8 reads
 * the wasm feature flags when a module is validated or compiled, so this must run before the
 * kernels are compiled; the kernel workers get the compiled module and share the process's
 * flags. Returns whether relaxed SIMD validates now.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // A runtime without the flag: the plain build runs.
  }
  return relaxedSimdSupported();
}

export function readWasm(build: 'threads' | 'fma' | 'single' = 'threads'): Uint8Array {
  const p = build === 'threads' ? wasmPath() : wasmPath().replace(/kernels\.wasm$/, `kernels-${build}.wasm`);
  if (!fs.existsSync(p)) throw new HourglassError(`${p} is missing: run 'npm run build' (npm install does it)`);
  return fs.readFileSync(p);
}

export const nodeFileStore: FileStore = {
  readFile(p: string): Uint8Array {
    try {
      return fs.readFileSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new HourglassError(code === 'ENOENT' ? `${p} does not exist` : `cannot read ${p}: ${(e as Error).message}`);
    }
  },
  exists(p: string): boolean {
    return fs.existsSync(p);
  },
  writeFolderAtomic: writeFolder,
  readFolder,
};

function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(' · ');
}

/** A bar with loss and ETA on a terminal; one line per epoch when stderr is not a terminal. */
export function terminalProgress(): ProgressReporter {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let prefix = '';
  return {
    epochBegin(epoch, epochs, steps) {
      prefix = `Epoch ${epoch + 1}/${epochs}`;
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        {
          format: `${prefix} {bar} {value}/{total} · loss {loss} · ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(steps, 0, { loss: '-' });
    },
    batchEnd(step, loss) {
      bar?.update(step, { loss: loss.toPrecision(4) });
    },
    epochEnd(logs, seconds) {
      bar?.stop();
      bar = null;
      process.stderr.write(`${prefix} · ${seconds.toFixed(1)}s · ${formatLogs(logs)}\n`);
    },
    done() {
      bar?.stop();
      bar = null;
    },
  };
}

/** A bar for non-training work, on a terminal only (standard error, so --json output stays clean). */
export function terminalTaskProgress(label: string, total: number): TaskReporter | null {
  if (!process.stderr.isTTY) return null;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {value}/{total} {detail}· ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update: (done, detail) => bar.update(done, { detail: detail ? `· ${detail} ` : '' }),
    done: () => bar.stop(),
  };
}

/** Starts kernel workers with worker_threads; they never keep the process alive. */
export function nodeWorkerSpawner(init: WorkerInit): { terminate(): void } {
  // Under tsx the sources are .ts; built, they are .js.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./node_kernel_worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // Loader hooks do not reach workers, so under tsx the worker registers tsx itself first.
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, {
        eval: true,
        workerData: init,
      })
    : new Worker(url, { workerData: init });
  worker.on('error', (e) =>
    process.stderr.write(`hourglass: a kernel worker failed (${e.message}); continuing on fewer threads\n`),
  );
  worker.unref();
  return {
    terminate: () => {
      void worker.terminate();
    },
  };
}

/** Threads by default: the machine's cores, at most 4 (beyond that hand-offs eat the gain). */
export function defaultThreads(): number {
  const env = Number(process.env['HOURGLASS_THREADS']);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.min(os.availableParallelism(), 4);
}
