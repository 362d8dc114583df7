// Reference GEMM: C = op(A) op(B) (+ C) + bias, then the activation, for rows [r0, r1) of C only,
// as src/kernels/gemm.ts computes it, by plain float64 dot products (the packing scratch is ignored).

import type { KernelExports } from '../kernels.js';
import { activate } from './activation.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

// The AS kernel's tile and block sizes: only the scratch sizes depend on them here.
const MR = 4;
const NR = 8;
const KC = 256;
const MC = 64;
const EDGE_FLOATS = MR * NR + NR;

/** Floats of per-thread scratch the AS gemm needs for its packed A block and edge tiles. */
function gemmScratchA(): number {
  return MC * KC * 4 + EDGE_FLOATS;
}

/** Floats of B-panel scratch for n columns (i32 arithmetic, as in AssemblyScript). */
function gemmScratchB(n: number): number {
  const panels = (((i32(n) + NR - 1) | 0) / NR) | 0;
  return Math.imul(KC, Math.imul(panels, NR));
}

export function gemmKernels(mem: MemoryViews): Pick<KernelExports, 'gemm' | 'gemmScratchA' | 'gemmScratchB'> {
  return {
    gemmScratchA,
    gemmScratchB,
    gemm(
      _m,
      n,
      k,
      a,
      lda,
      transA,
      b,
      ldb,
      transB,
      c,
      ldc,
      accumulate,
      bias,
      act,
      alpha,
      _scratchA,
      _scratchB,
      r0,
      r1,
    ): void {
      // m only sizes the whole product; the rows computed are [r0, r1).
      n = i32(n);
      k = i32(k);
      lda = i32(lda);
      ldb = i32(ldb);
      ldc = i32(ldc);
      r0 = i32(r0);
      r1 = i32(r1);
      act = i32(act);
      alpha = f32(alpha);
      const F = mem.f32;
      const A = index(a),
        B = index(b),
        C = index(c);
      const hasBias = on(bias),
        BIAS = hasBias ? index(bias) : 0;
      const acc = on(accumulate);
      // op(A)[i, p] = A[i*lda + p], or A[p*lda + i] transposed; op(B)[p, j] = B[p*ldb + j], or B[j*ldb + p].
      const aRow = on(transA) ? 1 : lda,
        aStep = on(transA) ? lda : 1;
      const bCol = on(transB) ? ldb : 1,
        bStep = on(transB) ? 1 : ldb;
      for (let i = r0; i < r1; i++) {
        const ai = A + i * aRow;
        for (let j = 0; j < n; j++) {
          const bj = B + j * bCol;
          let s = 0;
          for (let p = 0; p < k; p++) s += F[ai + p * aStep]! * F[bj + p * bStep]!;
          const at = C + i * ldc + j;
          if (acc) s += F[at]!;
          if (hasBias) s += F[BIAS + j]!;
          F[at] = activate(s, act, alpha);
        }
      }
    },
  };
}
