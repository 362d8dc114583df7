// Thin wrappers over the kernels that the layers share: GEMM with its packing scratch,
// and activation forward/backward. Scratch is reserved at compile time, never in a step.

import { getEngine } from './kernels.js';
import { arena, type Buf } from './memory.js';
import { reserveWorkerScratch, runGemm } from './threads.js';

let scratchA: Buf | null = null;
let scratchB: Buf | null = null;

/** Makes sure GEMMs with up to n output columns have packing scratch (compile time only). */
export function reserveGemm(n: number): void {
  const k = getEngine().kernels;
  if (!scratchA) scratchA = arena.alloc(k.gemmScratchA());
  const need = k.gemmScratchB(n);
  if (!scratchB || scratchB.length < need) {
    if (scratchB) arena.release(scratchB);
    scratchB = arena.alloc(need);
  }
  reserveWorkerScratch(n);
}

export interface GemmArgs {
  m: number; n: number; k: number;
  a: Buf; lda: number; transA?: boolean;
  b: Buf; ldb: number; transB?: boolean;
  c: Buf; ldc: number;
  accumulate?: boolean;
  bias?: Buf | null;
  act?: number; alpha?: number;
}

// Opt-in accounting of the time spent inside GEMMs (the bench reports GEMM throughput with it).
let profile: { flops: number; seconds: number } | null = null;

/** Starts (or restarts) counting GEMM FLOPs and time; gemmProfile() reads them. */
export function startGemmProfile(): void { profile = { flops: 0, seconds: 0 }; }
export function gemmProfile(): { flops: number; seconds: number } | null { return profile; }

/** C = op(A) op(B) (+C) (+bias, activation); see src/kernels/gemm.ts. */
export function gemm(g: GemmArgs): void {
  if (profile) {
    const t0 = performance.now();
    runPlannedGemm(g);
    profile.seconds += (performance.now() - t0) / 1000;
    profile.flops += 2 * g.m * g.n * g.k;
    return;
  }
  runPlannedGemm(g);
}

function runPlannedGemm(g: GemmArgs): void {
  const k = getEngine().kernels;
  if (!scratchA || !scratchB || scratchB.length < k.gemmScratchB(g.n)) reserveGemm(g.n);
  runGemm({
    m: g.m, n: g.n, k: g.k, a: g.a.ptr, lda: g.lda, transA: g.transA ? 1 : 0, b: g.b.ptr, ldb: g.ldb, transB: g.transB ? 1 : 0,
    c: g.c.ptr, ldc: g.ldc, accumulate: g.accumulate ? 1 : 0, bias: g.bias ? g.bias.ptr : 0, act: g.act ?? 0, alpha: g.alpha ?? 0,
    scratchA: scratchA!.ptr, scratchB: scratchB!.ptr,
  });
}
