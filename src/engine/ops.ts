// GEMM outside and inside plans: its packing scratch (reserved when a plan is compiled, never in
// a step), an immediate GEMM for the apps, and opt-in accounting of GEMM time for the bench.

import { getEngine } from './kernels.js';
import { arena, type Buf } from './memory.js';
import { reserveWorkerScratch, runGemm } from './threads.js';

let scratchA: Buf | null = null;
let scratchB: Buf | null = null;

/** Makes sure GEMMs with up to n output columns have packing scratch (compile time only). */
export function reserveGemm(n: number): void {
  const k = getEngine().kernels;
  if (!scratchA) scratchA = arena.alloc(k.gemmScratchA(), 'gemm scratch A');
  const need = k.gemmScratchB(n);
  if (!scratchB || scratchB.length < need) {
    if (scratchB) arena.release(scratchB);
    scratchB = arena.alloc(need, 'gemm scratch B');
  }
  scratchColumns = Math.max(scratchColumns, n);
  reserveWorkerScratch(n);
}

export interface GemmArgs {
  m: number;
  n: number;
  k: number;
  a: Buf;
  lda: number;
  transA?: boolean;
  b: Buf;
  ldb: number;
  transB?: boolean;
  c: Buf;
  ldc: number;
  accumulate?: boolean;
  bias?: Buf | null;
  act?: number;
  alpha?: number;
}

// Opt-in accounting of the time spent inside GEMMs (the bench reports GEMM throughput with it).
let profile: { flops: number; seconds: number } | null = null;

/** Starts (or restarts) counting GEMM FLOPs and time; gemmProfile() reads them. */
export function startGemmProfile(): void {
  profile = { flops: 0, seconds: 0 };
}
export function gemmProfile(): { flops: number; seconds: number } | null {
  return profile;
}
export function gemmProfiling(): boolean {
  return profile !== null;
}

/** Runs a GEMM, counting its time and multiply-adds when profiling is on. */
export function recordGemm(run: () => void, macs: number): void {
  if (!profile) {
    run();
    return;
  }
  const t0 = performance.now();
  run();
  profile.seconds += (performance.now() - t0) / 1000;
  profile.flops += 2 * macs;
}

/** Packing scratch of the main thread for GEMMs with up to n output columns. */
export function gemmScratch(n: number): { a: number; b: number } {
  if (n > scratchColumns) reserveGemm(n);
  current.a = scratchA!.ptr;
  current.b = scratchB!.ptr;
  return current;
}
// What gemmScratch hands out (refreshed, not reallocated) and the widest n the scratch holds.
const current = { a: 0, b: 0 };
let scratchColumns = 0;

/** C = op(A) op(B) (+C) (+bias, activation) right now, outside any plan (apps: PCA, k-NN). */
export function gemm(g: GemmArgs): void {
  const s = gemmScratch(g.n);
  recordGemm(
    () =>
      runGemm({
        m: g.m,
        n: g.n,
        k: g.k,
        a: g.a.ptr,
        lda: g.lda,
        transA: g.transA ? 1 : 0,
        b: g.b.ptr,
        ldb: g.ldb,
        transB: g.transB ? 1 : 0,
        c: g.c.ptr,
        ldc: g.ldc,
        accumulate: g.accumulate ? 1 : 0,
        bias: g.bias ? g.bias.ptr : 0,
        act: g.act ?? 0,
        alpha: g.alpha ?? 0,
        scratchA: s.a,
        scratchB: s.b,
      }),
    g.m * g.n * g.k,
  );
}
