// Typed bindings to the AssemblyScript kernel module and the one shared WebAssembly.Memory.
// Platform adapters supply the .wasm bytes; this file imports nothing Node-only.

import { HourglassError } from './errors.js';

/** The exports of build/kernels.wasm (see src/kernels/). Pointers are byte offsets. */
export interface KernelExports {
  gemm(m: number, n: number, k: number, a: number, lda: number, transA: number, b: number, ldb: number,
    transB: number, c: number, ldc: number, accumulate: number, bias: number, act: number, alpha: number,
    scratchA: number, scratchB: number, r0: number, r1: number): void;
  gemmScratchA(): number;
  gemmScratchB(n: number): number;
  activationForward(n: number, x: number, y: number, act: number, alpha: number): void;
  activationBackward(n: number, y: number, dy: number, dz: number, act: number, alpha: number, accumulate: number): void;
  columnSum(rows: number, cols: number, d: number, out: number, accumulate: number): void;
  copy(n: number, src: number, dst: number): void;
  fill(n: number, dst: number, value: number): void;
  addTo(n: number, x: number, y: number, accumulate: number): void;
  multiply(n: number, x: number, m: number, y: number, accumulate: number): void;
  addScaled(n: number, x: number, noise: number, scale: number, y: number): void;
  scale(n: number, x: number, s: number): void;
  clip(n: number, x: number, lo: number, hi: number): void;
  sumSquares(n: number, x: number): number;
  sumAbs(n: number, x: number): number;
  regularize(n: number, w: number, g: number, l1: number, l2: number): number;
  allFinite(n: number, x: number): number;
  gatherRows(count: number, rowFloats: number, src: number, order: number, start: number, dst: number): void;
  mse(n: number, y: number, t: number, grad: number, invCount: number): number;
  mae(n: number, y: number, t: number, grad: number, invCount: number): number;
  huber(n: number, y: number, t: number, grad: number, invCount: number, delta: number): number;
  binaryCrossentropy(n: number, y: number, t: number, grad: number, invCount: number): number;
  binaryCrossentropyLogits(n: number, z: number, y: number, t: number, grad: number, invCount: number): number;
  adam(n: number, w: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number,
    eps: number, bc1: number, bc2: number, decoupledDecay: number): void;
  sgd(n: number, w: number, g: number, buf: number, lr: number, momentum: number, nesterov: number): void;
  rmsprop(n: number, w: number, g: number, sq: number, buf: number, lr: number, rho: number, eps: number, momentum: number): void;
  batchNormTrain(rows: number, ch: number, x: number, y: number, xhat: number, gamma: number, beta: number,
    mean: number, invStd: number, movingMean: number, movingVar: number, momentum: number, eps: number): void;
  batchNormInference(rows: number, ch: number, x: number, y: number, gamma: number, beta: number,
    movingMean: number, movingVar: number, eps: number): void;
  batchNormBackward(rows: number, ch: number, dy: number, xhat: number, gamma: number, invStd: number,
    dx: number, dgamma: number, dbeta: number, accumulateInput: number, accumulateParams: number): void;
  convSingle(mode: number, b: number, h: number, w: number, c: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number,
    pt: number, pl: number, x: number, wt: number, bias: number, y: number, accumulate: number): void;
  im2col(b: number, h: number, w: number, c: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number,
    dh: number, dw: number, pt: number, pl: number, x: number, col: number): void;
  col2im(b: number, h: number, w: number, c: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number,
    dh: number, dw: number, pt: number, pl: number, col: number, x: number, accumulate: number): void;
  biasActivation(rows: number, ch: number, y: number, bias: number, act: number, alpha: number): void;
  maxPoolForward(b: number, h: number, w: number, c: number, oh: number, ow: number, ph: number, pw: number, sh: number, sw: number,
    pt: number, pl: number, x: number, y: number, argmax: number): void;
  maxPoolBackward(b: number, outPerSample: number, inPerSample: number, dy: number, argmax: number, dx: number, accumulate: number): void;
  avgPool(b: number, h: number, w: number, c: number, oh: number, ow: number, ph: number, pw: number, sh: number, sw: number,
    pt: number, pl: number, x: number, y: number, backward: number, accumulate: number): void;
  upsampleNearest(b: number, h: number, w: number, c: number, fh: number, fw: number, x: number, y: number, backward: number, accumulate: number): void;
  upsampleBilinear(b: number, h: number, w: number, c: number, fh: number, fw: number, x: number, y: number, backward: number, accumulate: number): void;
  window2d(b: number, sh: number, sw: number, lh: number, lw: number, c: number, top: number, left: number,
    small: number, large: number, toLarge: number, accumulate: number): void;
  globalAvgPool(b: number, hw: number, c: number, x: number, y: number, backward: number, accumulate: number): void;
  __heap_base?: WebAssembly.Global;
}

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
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0,
  10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

/** Whether the kernels' fused multiply-add build (build/kernels-fma.wasm) can run here. */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_MADD_PROBE);
}

/**
 * Compiles and instantiates the kernels once; later calls return the same engine. `shared`
 * must match the build: build/kernels.wasm (shared memory, threads) or build/kernels-single.wasm.
 */
export function initEngine(wasmBytes: BufferSource | WebAssembly.Module, options: { shared?: boolean; fma?: boolean } = {}): Engine {
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

const REQUIRED = ['gemm', 'activationForward', 'activationBackward', 'columnSum', 'mse', 'adam', 'batchNormTrain'];

// The one cast from wasm's untyped exports: guarded by checking the module really is ours.
function checkExports(exports: WebAssembly.Exports): KernelExports {
  for (const name of REQUIRED) {
    if (typeof exports[name] !== 'function') throw new HourglassError(`kernels.wasm lacks the export '${name}': rebuild with 'npm run build'`);
  }
  return exports as unknown as KernelExports;
}

/** Whether the running kernels use fused multiply-adds (the relaxed-SIMD build). */
export function usesFusedMultiplyAdd(): boolean { return getEngine().fma; }

export function getEngine(): Engine {
  if (!engine) throw new HourglassError('the Hourglass engine is not initialised: import from "hourglass-ae" (Node) or call initEngine(wasmBytes) first');
  return engine;
}
