// Reference loss kernels (src/kernels/loss.ts): each returns the summed loss and, where grad is
// non-zero, writes d(mean loss)/d(prediction) scaled by invCount; BCE also has a from-logits form.

import type { KernelExports } from '../kernels.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type Losses = Pick<KernelExports, 'mse' | 'mae' | 'huber' | 'binaryCrossentropy' | 'binaryCrossentropyLogits'>;

// Keras' clamping epsilon, and 1 - epsilon, as the f32 values the AS kernel compares against.
const EPS = Math.fround(1e-7);
const ONE_MINUS_EPS = Math.fround(1 - EPS);

export function lossKernels(mem: MemoryViews): Losses {
  return {
    mse(n, y, t, grad, invCount): number {
      n = i32(n);
      invCount = f32(invCount);
      const F = mem.f32,
        Y = index(y),
        T = index(t),
        hasGrad = on(grad),
        G = hasGrad ? index(grad) : 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        // The difference is an f32 in the kernel: rounding it keeps branch decisions identical.
        const d = f32(F[Y + i]! - F[T + i]!);
        s += d * d;
        if (hasGrad) F[G + i] = 2 * d * invCount;
      }
      return s;
    },

    mae(n, y, t, grad, invCount): number {
      n = i32(n);
      invCount = f32(invCount);
      const F = mem.f32,
        Y = index(y),
        T = index(t),
        hasGrad = on(grad),
        G = hasGrad ? index(grad) : 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = f32(F[Y + i]! - F[T + i]!);
        s += Math.abs(d);
        if (hasGrad) F[G + i] = d > 0 ? invCount : d < 0 ? -invCount : 0;
      }
      return s;
    },

    huber(n, y, t, grad, invCount, delta): number {
      n = i32(n);
      invCount = f32(invCount);
      delta = f32(delta);
      const F = mem.f32,
        Y = index(y),
        T = index(t),
        hasGrad = on(grad),
        G = hasGrad ? index(grad) : 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = f32(F[Y + i]! - F[T + i]!);
        const a = Math.abs(d);
        if (a <= delta) {
          s += 0.5 * d * d;
          if (hasGrad) F[G + i] = d * invCount;
        } else {
          s += delta * (a - 0.5 * delta);
          if (hasGrad) F[G + i] = (d > 0 ? delta : -delta) * invCount;
        }
      }
      return s;
    },

    binaryCrossentropy(n, y, t, grad, invCount): number {
      // Probabilities clamped to [eps, 1 - eps]; the gradient is 0 where the raw output was clamped
      // (at or beyond the bounds), as the clamp's derivative is.
      n = i32(n);
      invCount = f32(invCount);
      const F = mem.f32,
        Y = index(y),
        T = index(t),
        hasGrad = on(grad),
        G = hasGrad ? index(grad) : 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const raw = F[Y + i]!,
          tt = F[T + i]!;
        const p = Math.min(Math.max(raw, EPS), ONE_MINUS_EPS);
        s -= tt * Math.log(p) + (1 - tt) * Math.log(1 - p);
        if (hasGrad) F[G + i] = raw > EPS && raw < ONE_MINUS_EPS ? ((p - tt) / (p * (1 - p))) * invCount : 0;
      }
      return s;
    },

    binaryCrossentropyLogits(n, z, y, t, grad, invCount): number {
      // z are logits; y receives sigmoid(z); grad receives (sigmoid(z) - t) * invCount.
      n = i32(n);
      invCount = f32(invCount);
      const F = mem.f32,
        Z = index(z),
        Y = index(y),
        T = index(t),
        hasGrad = on(grad),
        G = hasGrad ? index(grad) : 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const x = F[Z + i]!,
          tt = F[T + i]!;
        const e = Math.exp(-Math.abs(x));
        // loss = max(x, 0) - x t + log(1 + e^-|x|), stable for saturated logits.
        s += Math.max(x, 0) - x * tt + Math.log1p(e);
        const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
        F[Y + i] = p;
        if (hasGrad) F[G + i] = (p - tt) * invCount;
      }
      return s;
    },
  };
}
