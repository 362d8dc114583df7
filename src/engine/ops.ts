// Thin wrappers over the kernels that the layers share: GEMM with its packing scratch,
// and activation forward/backward. Scratch is reserved at compile time, never in a step.

import { getEngine } from './kernels.js';
import { arena, type Buf } from './memory.js';

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

/** C = op(A) op(B) (+C) (+bias, activation); see src/kernels/gemm.ts. */
export function gemm(g: GemmArgs): void {
  const k = getEngine().kernels;
  if (!scratchA || !scratchB || scratchB.length < k.gemmScratchB(g.n)) reserveGemm(g.n);
  k.gemm(g.m, g.n, g.k, g.a.ptr, g.lda, g.transA ? 1 : 0, g.b.ptr, g.ldb, g.transB ? 1 : 0, g.c.ptr, g.ldc,
    g.accumulate ? 1 : 0, g.bias ? g.bias.ptr : 0, g.act ?? 0, g.alpha ?? 0, scratchA!.ptr, scratchB!.ptr, 0, g.m);
}
