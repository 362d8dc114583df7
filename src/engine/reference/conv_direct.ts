// Reference twins of the direct small-channel convolution kernels (src/kernels/conv_direct.ts),
// written as the textbook sums over the window, in float64.

import type { KernelExports } from '../kernels.js';
import { activate } from './activation.js';
import { elementwiseKernels } from './elementwise.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type ConvDirect = Pick<
  KernelExports,
  'convDirect' | 'convFlipKernel' | 'convDirectKernelGrad' | 'activationBackwardSamples'
>;

export function convDirectKernels(mem: MemoryViews): ConvDirect {
  const elementwise = elementwiseKernels(mem);
  return {
    activationBackwardSamples(b, values, y, dy, dz, act, alpha, accumulate): void {
      // activationBackward over b samples of `values` floats.
      elementwise.activationBackward(b * values, y, dy, dz, act, alpha, accumulate);
    },

    convDirect(b, h, w, c, oh, ow, f, kh, kw, pt, pl, x, wt, bias, act, alpha, y, accumulate): void {
      // y[n, oy, ox, co] (+)= act(bias[co] + sum_{ky, kx, ci} x[n, oy-pt+ky, ox-pl+kx, ci] w[ky, kx, ci, co]) (stride 1).
      act = i32(act);
      alpha = f32(alpha);
      const F = mem.f32,
        X = index(x),
        W = index(wt),
        Y = index(y),
        B = on(bias) ? index(bias) : -1;
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++)
            for (let co = 0; co < f; co++) {
              let s = 0;
              for (let ky = 0; ky < kh; ky++) {
                const iy = oy - pt + ky;
                if (iy < 0 || iy >= h) continue;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = ox - pl + kx;
                  if (ix < 0 || ix >= w) continue;
                  for (let ci = 0; ci < c; ci++)
                    s += F[X + ((n * h + iy) * w + ix) * c + ci]! * F[W + ((ky * kw + kx) * c + ci) * f + co]!;
                }
              }
              const o = Y + ((n * oh + oy) * ow + ox) * f + co;
              const v = activate(f32(s + (B >= 0 ? F[B + co]! : 0)), act, alpha);
              F[o] = on(accumulate) ? F[o]! + v : v;
            }
    },

    convFlipKernel(kh, kw, c, f, w, out): void {
      // out[kh-1-ky, kw-1-kx, co, ci] = w[ky, kx, ci, co].
      const F = mem.f32,
        W = index(w),
        O = index(out);
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++)
          for (let ci = 0; ci < c; ci++)
            for (let co = 0; co < f; co++)
              F[O + (((kh - 1 - ky) * kw + (kw - 1 - kx)) * f + co) * c + ci] =
                F[W + ((ky * kw + kx) * c + ci) * f + co]!;
    },

    convDirectKernelGrad(b, h, w, c, oh, ow, f, kh, kw, sh, sw, pt, pl, x, dy, dw, db): void {
      // dw[n][ky, kx, ci, co] = sum_{oy, ox} x[n, oy*sh-pt+ky, ox*sw-pl+kx, ci] dy[n, oy, ox, co] (zero outside);
      // db[n][co] = sum_{oy, ox} dy[n, oy, ox, co] unless db is 0.
      const F = mem.f32,
        X = index(x),
        D = index(dy),
        O = index(dw),
        taps = kh * kw * c * f;
      if (on(db))
        for (let n = 0; n < b; n++)
          for (let co = 0; co < f; co++) {
            let s = 0;
            for (let o = 0; o < oh * ow; o++) s += F[D + (n * oh * ow + o) * f + co]!;
            F[index(db) + n * f + co] = s;
          }
      for (let n = 0; n < b; n++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++)
            for (let ci = 0; ci < c; ci++)
              for (let co = 0; co < f; co++) {
                let s = 0;
                for (let oy = 0; oy < oh; oy++) {
                  const iy = oy * sh - pt + ky;
                  if (iy < 0 || iy >= h) continue;
                  for (let ox = 0; ox < ow; ox++) {
                    const ix = ox * sw - pl + kx;
                    if (ix < 0 || ix >= w) continue;
                    s += F[X + ((n * h + iy) * w + ix) * c + ci]! * F[D + ((n * oh + oy) * ow + ox) * f + co]!;
                  }
                }
                F[O + n * taps + ((ky * kw + kx) * c + ci) * f + co] = s;
              }
    },
  };
}
