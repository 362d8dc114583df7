// Reference optimizer updates (src/kernels/optim.ts, PyTorch's formulas): Adam/AdamW with decoupled
// weight decay, SGD with (Nesterov) momentum, RMSprop with optional momentum.

import type { KernelExports } from '../kernels.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type Optimizers = Pick<KernelExports, 'adam' | 'sgd' | 'rmsprop'>;

export function optimizerKernels(mem: MemoryViews): Optimizers {
  return {
    adam(n, w, g, m, v, lr, beta1, beta2, eps, bc1, bc2, decoupledDecay): void {
      // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
      // w = w (1 - lr wd) - (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps), bc1/bc2 being 1 - beta^t.
      n = i32(n);
      lr = f32(lr);
      beta1 = f32(beta1);
      beta2 = f32(beta2);
      eps = f32(eps);
      bc1 = f32(bc1);
      bc2 = f32(bc2);
      decoupledDecay = f32(decoupledDecay);
      // The per-call constants are f32 in the kernel: computed the same way here.
      const stepSize = f32(lr / bc1);
      const invBc2Sqrt = f32(1 / f32(Math.sqrt(bc2)));
      const keep = f32(1 - f32(lr * decoupledDecay));
      const F = mem.f32,
        W = index(w),
        G = index(g),
        M = index(m),
        V = index(v);
      for (let i = 0; i < n; i++) {
        const gi = F[G + i]!;
        const mi = beta1 * F[M + i]! + (1 - beta1) * gi;
        const vi = beta2 * F[V + i]! + (1 - beta2) * gi * gi;
        F[M + i] = mi;
        F[V + i] = vi;
        F[W + i] = F[W + i]! * keep - (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
      }
    },

    sgd(n, w, g, buf, lr, momentum, nesterov): void {
      // Without momentum buf is not touched; with it buf = mu buf + g and the step is buf, or g + mu buf (Nesterov).
      n = i32(n);
      lr = f32(lr);
      momentum = f32(momentum);
      const F = mem.f32,
        W = index(w),
        G = index(g);
      if (momentum === 0) {
        for (let i = 0; i < n; i++) F[W + i] = F[W + i]! - lr * F[G + i]!;
        return;
      }
      const B = index(buf),
        nest = on(nesterov);
      for (let i = 0; i < n; i++) {
        const gi = F[G + i]!;
        const b = momentum * F[B + i]! + gi;
        F[B + i] = b;
        F[W + i] = F[W + i]! - lr * (nest ? gi + momentum * b : b);
      }
    },

    rmsprop(n, w, g, sq, buf, lr, rho, eps, momentum): void {
      // sq = rho sq + (1-rho) g^2; step = g / (sqrt(sq) + eps); momentum > 0: buf = mu buf + step, w -= lr buf.
      n = i32(n);
      lr = f32(lr);
      rho = f32(rho);
      eps = f32(eps);
      momentum = f32(momentum);
      const F = mem.f32,
        W = index(w),
        G = index(g),
        S = index(sq);
      const withMomentum = momentum > 0,
        B = withMomentum ? index(buf) : 0;
      for (let i = 0; i < n; i++) {
        const gi = F[G + i]!;
        const s = rho * F[S + i]! + (1 - rho) * gi * gi;
        F[S + i] = s;
        const step = gi / (Math.sqrt(s) + eps);
        if (withMomentum) {
          const b = momentum * F[B + i]! + step;
          F[B + i] = b;
          F[W + i] = F[W + i]! - lr * b;
        } else {
          F[W + i] = F[W + i]! - lr * step;
        }
      }
    },
  };
}
