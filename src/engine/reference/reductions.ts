// Reference reductions and row gathers (src/kernels/elementwise.ts): norms, the L1/L2 regularizer
// (loss returned, gradient added), the finiteness check and the shuffled-batch row gather.

import type { KernelExports } from '../kernels.js';
import { f32, i32, index, type MemoryViews } from './memory_views.js';

type Reductions = Pick<KernelExports, 'sumSquares' | 'sumAbs' | 'regularize' | 'allWithin' | 'gatherRows'>;

export function reductionKernels(mem: MemoryViews): Reductions {
  return {
    sumSquares(n, x): number {
      n = i32(n);
      const F = mem.f32,
        X = index(x);
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = F[X + i]!;
        s += v * v;
      }
      return s;
    },

    sumAbs(n, x): number {
      n = i32(n);
      const F = mem.f32,
        X = index(x);
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(F[X + i]!);
      return s;
    },

    regularize(n, w, g, l1, l2): number {
      // g += l1 sign(w) + 2 l2 w; returns l1 sum|w| + l2 sum w^2 (Keras regularizer semantics).
      n = i32(n);
      l1 = f32(l1);
      l2 = f32(l2);
      const F = mem.f32,
        W = index(w),
        G = index(g);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const v = F[W + i]!;
        loss += l1 * Math.abs(v) + l2 * v * v;
        const sign = v > 0 ? 1 : v < 0 ? -1 : 0;
        F[G + i] = F[G + i]! + l1 * sign + 2 * l2 * v;
      }
      return loss;
    },

    allWithin(n, x, lo, hi): number {
      n = i32(n);
      const F = mem.f32,
        X = index(x),
        a = Math.fround(lo),
        b = Math.fround(hi);
      for (let i = 0; i < n; i++) {
        const v = F[X + i]!;
        if (!(v >= a && v <= b)) return 0;
      }
      return 1;
    },

    gatherRows(count, rowFloats, src, order, start, dst): void {
      // dst row i = src row order[start + i]; order holds i32 row numbers (read as usize, as AS does).
      count = i32(count);
      rowFloats = i32(rowFloats);
      start = i32(start);
      const I = mem.i32,
        O = index(order),
        bytes = rowFloats * 4;
      for (let i = 0; i < count; i++) {
        const row = I[O + start + i]! >>> 0;
        mem.copyBytes(dst + i * bytes, src + row * bytes, bytes);
      }
    },
  };
}
