// Typed bindings to the AssemblyScript kernel module and the one shared WebAssembly.Memory.
// Platform adapters supply the .wasm bytes; this file imports nothing Node-only.

import { HourglassError } from './errors.js';
import { KERNEL_NAMES, type KernelExports } from './kernel_table.js';

export type { KernelExports } from './kernel_table.js';

/** 64 KiB pages: the module declares 64 initial and at most 65536 (4 GiB). */
const INITIAL_PAGES = 64;
const MAXIMUM_PAGES = 65536;

export interface Engine {
  memory: WebAssembly.Memory;
  kernels: KernelExports;
  module: WebAssembly.Module;
  /** False on the single-thread build (no shared memory): no workers then. */
  shared: boolean;
  /** True on the fused multiply-add build (relaxed SIMD). */
  fma: boolean;
}

let engine: Engine | null = null;

/**
 * Whether this environment can share memory with workers: Node can; a browser page only when
 * cross-origin isolated. Without it the engine runs the single-thread build of the kernels.
 */
export function sharedMemorySupported(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return typeof SharedArrayBuffer !== 'undefined' && isolated !== false;
}

// A module whose one function is f32x4.relaxed_madd: it validates only where the runtime has
// WebAssembly relaxed SIMD (recent browsers and Node releases; Node 20 behind
// --experimental-wasm-relaxed-simd).
const RELAXED_MADD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 13, 1, 11,
  0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

/** Whether the kernels' fused multiply-add build (build/kernels-fma.wasm) can run here. */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_MADD_PROBE);
}

/**
 * Compiles and instantiates the kernels once; later calls return the same engine. `shared`
 * must match the build: build/kernels.wasm (shared memory, threads) or build/kernels-single.wasm.
 */
export function initEngine(
  wasmBytes: BufferSource | WebAssembly.Module,
  options: { shared?: boolean; fma?: boolean } = {},
): Engine {
  if (engine) return engine;
  const module = wasmBytes instanceof WebAssembly.Module ? wasmBytes : new WebAssembly.Module(wasmBytes);
  const shared = options.shared ?? true;
  // Shared memory lets a worker run on the same buffers.
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared });
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`kernel abort at ${line}:${col}`);
      },
      seed: () => 0,
    },
  });
  engine = { memory, kernels: checkExports(instance.exports), module, shared, fma: options.fma ?? false };
  return engine;
}

// The one cast from wasm's untyped exports: guarded by checking that every kernel of the table
// is there (tools/check_kernels.ts checked the signatures when the module was built).
export function checkExports(exports: WebAssembly.Exports): KernelExports {
  for (const name of KERNEL_NAMES) {
    if (typeof exports[name] !== 'function')
      throw new HourglassError(`kernels.wasm lacks the export '${name}': rebuild with 'npm run build'`);
  }
  return exports as unknown as KernelExports;
}

/** Whether the running kernels use fused multiply-adds (the relaxed-SIMD build). */
export function usesFusedMultiplyAdd(): boolean {
  return getEngine().fma;
}

export function getEngine(): Engine {
  if (!engine)
    throw new HourglassError(
      'the Hourglass engine is not initialised: import from "hourglass-ae" (Node) or call initEngine(wasmBytes) first',
    );
  return engine;
}
