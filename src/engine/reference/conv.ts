// Reference convolution kernels, channels-last (src/kernels/conv.ts, conv_single.ts): im2col and its
// adjoint col2im, the in-place bias + activation, and the one-output-channel direct convolution.

import type { KernelExports } from '../kernels.js';
import { activate } from './activation.js';
import { f32, i32, index, on, type MemoryViews } from './memory_views.js';

type Conv = Pick<KernelExports, 'im2col' | 'col2im' | 'biasActivation' | 'convSingle'>;

export function convKernels(mem: MemoryViews): Conv {
  return {
    im2col(b, h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, x, col): void {
      // col[(n, oy, ox), (ky, kx, ci)] = x[n, oy*sh - pt + ky*dh, ox*sw - pl + kx*dw, ci], zero outside.
      const F = mem.f32,
        X = index(x);
      let dst = index(col);
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - pt + ky * dh;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pl + kx * dw;
                const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                const src = X + ((n * h + iy) * w + ix) * c;
                for (let ci = 0; ci < c; ci++) F[dst + ci] = inside ? F[src + ci]! : 0;
                dst += c;
              }
            }
          }
    },

    col2im(b, h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, col, x, accumulate): void {
      // The adjoint of im2col: x (+)= every col entry that was read from it (x zeroed first unless accumulate).
      const X = index(x);
      if (!on(accumulate)) mem.zero(x, b * h * w * c);
      const F = mem.f32;
      let src = index(col);
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - pt + ky * dh;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pl + kx * dw;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  const dst = X + ((n * h + iy) * w + ix) * c;
                  for (let ci = 0; ci < c; ci++) F[dst + ci] = F[dst + ci]! + F[src + ci]!;
                }
                src += c;
              }
            }
          }
    },

    biasActivation(rows, ch, y, bias, act, alpha): void {
      // y[r, j] = act(y[r, j] + bias[j]) in place; bias 0 means activation only.
      rows = i32(rows);
      ch = i32(ch);
      act = i32(act);
      alpha = f32(alpha);
      const F = mem.f32,
        Y = index(y),
        hasBias = on(bias),
        BIAS = hasBias ? index(bias) : 0;
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < ch; j++) {
          const i = Y + r * ch + j;
          F[i] = activate(F[i]! + (hasBias ? F[BIAS + j]! : 0), act, alpha);
        }
    },

    convSingle(mode, b, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, x, wt, bias, y, accumulate): void {
      // One output channel, dilation 1, weights [kh, kw, c]:
      // mode 0: y[n, oy, ox] = bias + sum x[n, window] * w;
      // mode 1: x is dx, y is dy: dx[n, window] += dy[n, oy, ox] * w (dx zeroed first unless accumulate);
      // mode 2: wt is per-sample partials wp[n * kh*kw*c], zeroed per sample, += dy * x[window].
      // (Any other mode adds like mode 2 without zeroing, as the AS kernel's `else` branch.)
      mode = i32(mode);
      bias = f32(bias);
      const taps = kh * kw * c;
      const F = mem.f32,
        X = index(x),
        WT = index(wt),
        Y = index(y);
      if (mode === 1 && !on(accumulate)) mem.zero(x, b * h * w * c);
      for (let n = 0; n < b; n++) {
        if (mode === 2) mem.zero(wt + n * taps * 4, taps);
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const o = Y + (n * oh + oy) * ow + ox;
            let s = mode === 0 ? bias : F[o]!;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - pt + ky;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pl + kx;
                if (ix < 0 || ix >= w) continue;
                const xi = X + ((n * h + iy) * w + ix) * c,
                  tap = (ky * kw + kx) * c;
                for (let ci = 0; ci < c; ci++) {
                  if (mode === 0) s += F[xi + ci]! * F[WT + tap + ci]!;
                  else if (mode === 1) F[xi + ci] = F[xi + ci]! + s * F[WT + tap + ci]!;
                  else F[WT + n * taps + tap + ci] = F[WT + n * taps + tap + ci]! + s * F[xi + ci]!;
                }
              }
            }
            if (mode === 0) F[o] = s;
          }
      }
    },
  };
}
