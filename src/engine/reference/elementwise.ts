// Reference element-wise kernels (src/kernels/elementwise.ts): activations and their backward pass,
// bias gradients (column sums), copies, fills, dropout masks, noise, scaling and clipping.

import type { KernelExports } from '../kernels.js';
import { ActivationCode } from '../activation_codes.js';
import { activate, backwardFactor } from './activation.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type Elementwise = Pick<
  KernelExports,
  | 'activationForward'
  | 'activationBackward'
  | 'columnSum'
  | 'copy'
  | 'fill'
  | 'addTo'
  | 'multiply'
  | 'addScaled'
  | 'scale'
  | 'clip'
>;

export function elementwiseKernels(mem: MemoryViews): Elementwise {
  return {
    activationForward(n, x, y, act, alpha): void {
      n = i32(n);
      act = i32(act);
      alpha = f32(alpha);
      // Linear is a memory.copy in the AS kernel (a memmove, so overlapping ranges behave alike).
      if (act === ActivationCode.Linear) {
        mem.copyBytes(y, x, n * 4);
        return;
      }
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      for (let i = 0; i < n; i++) F[Y + i] = activate(F[X + i]!, act, alpha);
    },

    activationBackward(n, y, dy, dz, act, alpha, accumulate): void {
      // dz (+)= dy * f'(.), f' from y, or from the pre-activation z for GELU (the caller passes z as y).
      n = i32(n);
      act = i32(act);
      alpha = f32(alpha);
      const acc = on(accumulate);
      if (!acc && act === ActivationCode.Linear) {
        mem.copyBytes(dz, dy, n * 4);
        return;
      }
      const F = mem.f32,
        Y = index(y),
        DY = index(dy),
        DZ = index(dz);
      for (let i = 0; i < n; i++) {
        const g = F[DY + i]! * backwardFactor(F[Y + i]!, act, alpha);
        F[DZ + i] = acc ? F[DZ + i]! + g : g;
      }
    },

    columnSum(rows, cols, d, out, accumulate): void {
      rows = i32(rows);
      cols = i32(cols);
      const F = mem.f32,
        D = index(d),
        O = index(out),
        acc = on(accumulate);
      for (let j = 0; j < cols; j++) {
        let s = acc ? F[O + j]! : 0;
        for (let i = 0; i < rows; i++) s += F[D + i * cols + j]!;
        F[O + j] = s;
      }
    },

    copy(n, src, dst): void {
      mem.copyBytes(dst, src, i32(n) * 4);
    },

    fill(n, dst, value): void {
      n = i32(n);
      if (n <= 0) return;
      const D = index(dst);
      mem.f32.fill(f32(value), D, D + n);
    },

    addTo(n, x, y, accumulate): void {
      n = i32(n);
      if (!on(accumulate)) {
        mem.copyBytes(y, x, n * 4);
        return;
      }
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      for (let i = 0; i < n; i++) F[Y + i] = F[Y + i]! + F[X + i]!;
    },

    multiply(n, x, m, y, accumulate): void {
      // y (+)= x * m: dropout with a precomputed scaled mask, and its backward pass.
      n = i32(n);
      const F = mem.f32,
        X = index(x),
        M = index(m),
        Y = index(y),
        acc = on(accumulate);
      for (let i = 0; i < n; i++) {
        const v = F[X + i]! * F[M + i]!;
        F[Y + i] = acc ? F[Y + i]! + v : v;
      }
    },

    addScaled(n, x, noise, s, y): void {
      n = i32(n);
      s = f32(s);
      const F = mem.f32,
        X = index(x),
        N = index(noise),
        Y = index(y);
      for (let i = 0; i < n; i++) F[Y + i] = F[X + i]! + s * F[N + i]!;
    },

    scale(n, x, s): void {
      n = i32(n);
      s = f32(s);
      const F = mem.f32,
        X = index(x);
      for (let i = 0; i < n; i++) F[X + i] = F[X + i]! * s;
    },

    clip(n, x, lo, hi): void {
      // wasm's f32.min/max and Math.min/max agree: NaN propagates, -0 < +0.
      n = i32(n);
      lo = f32(lo);
      hi = f32(hi);
      const F = mem.f32,
        X = index(x);
      for (let i = 0; i < n; i++) F[X + i] = Math.min(Math.max(F[X + i]!, lo), hi);
    },
  };
}
