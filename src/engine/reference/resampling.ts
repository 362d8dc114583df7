// Reference resampling kernels, channels-last (src/kernels/pooling.ts): nearest and bilinear
// (half-pixel) upsampling with their adjoints, padding/cropping windows, and global average pooling.

import type { KernelExports } from '../kernels.js';
import { f32, index, on, type MemoryViews } from './memory_views.js';

type Resampling = Pick<KernelExports, 'upsampleNearest' | 'upsampleBilinear' | 'window2d' | 'globalAvgPool'>;

/** Half-pixel source coordinate (align_corners = false), clamped at 0, in f32 as the kernel computes it. */
function source(o: number, scale: number): number {
  return Math.max(f32(f32(f32(o + 0.5) / scale) - 0.5), 0);
}

export function resamplingKernels(mem: MemoryViews): Resampling {
  return {
    upsampleNearest(b, h, w, c, fh, fw, x, y, backward, accumulate): void {
      // y[n, oy, ox] = x[n, oy / fh, ox / fw]; backward (x is dx, y is dy) sums each block into dx.
      const oh = h * fh,
        ow = w * fw,
        bwd = on(backward);
      if (bwd && !on(accumulate)) mem.zero(x, b * h * w * c);
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const src = X + ((n * h + Math.trunc(oy / fh)) * w + Math.trunc(ox / fw)) * c;
            const dst = Y + ((n * oh + oy) * ow + ox) * c;
            for (let ci = 0; ci < c; ci++) {
              if (!bwd) F[dst + ci] = F[src + ci]!;
              else F[src + ci] = F[src + ci]! + F[dst + ci]!;
            }
          }
    },

    upsampleBilinear(b, h, w, c, fh, fw, x, y, backward, accumulate): void {
      // Source s = max((o + 0.5) / f - 0.5, 0); i0 = min(floor(s), size - 1), i1 = min(i0 + 1, size - 1),
      // weights 1 - (s - i0) and s - i0. Backward (x is dx, y is dy) scatters to the four sources,
      // which may coincide at the border (their adds then stack).
      const oh = h * fh,
        ow = w * fw,
        bwd = on(backward);
      if (bwd && !on(accumulate)) mem.zero(x, b * h * w * c);
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++) {
          const sy = source(oy, fh);
          const y0 = Math.min(Math.trunc(sy), h - 1),
            y1 = Math.min(y0 + 1, h - 1);
          const ly = sy - y0;
          for (let ox = 0; ox < ow; ox++) {
            const sx = source(ox, fw);
            const x0 = Math.min(Math.trunc(sx), w - 1),
              x1 = Math.min(x0 + 1, w - 1);
            const lx = sx - x0;
            const w00 = (1 - ly) * (1 - lx),
              w01 = (1 - ly) * lx,
              w10 = ly * (1 - lx),
              w11 = ly * lx;
            const i00 = X + ((n * h + y0) * w + x0) * c,
              i01 = X + ((n * h + y0) * w + x1) * c;
            const i10 = X + ((n * h + y1) * w + x0) * c,
              i11 = X + ((n * h + y1) * w + x1) * c;
            const o = Y + ((n * oh + oy) * ow + ox) * c;
            for (let ci = 0; ci < c; ci++) {
              if (!bwd) {
                F[o + ci] = w00 * F[i00 + ci]! + w01 * F[i01 + ci]! + w10 * F[i10 + ci]! + w11 * F[i11 + ci]!;
              } else {
                const g = F[o + ci]!;
                F[i00 + ci] = F[i00 + ci]! + w00 * g;
                F[i01 + ci] = F[i01 + ci]! + w01 * g;
                F[i10 + ci] = F[i10 + ci]! + w10 * g;
                F[i11 + ci] = F[i11 + ci]! + w11 * g;
              }
            }
          }
        }
    },

    window2d(b, sh, sw, lh, lw, c, top, left, small, large, toLarge, accumulate): void {
      // A small [sh, sw] image placed at (top, left) in a large [lh, lw] one. toLarge: large (+)= small
      // in the window (large zeroed first unless accumulate: zero padding, or cropping's adjoint);
      // otherwise small (+)= the window of large (cropping, or zero padding's adjoint).
      const up = on(toLarge),
        acc = on(accumulate);
      if (up && !acc) mem.zero(large, b * lh * lw * c);
      const F = mem.f32,
        S = index(small),
        L = index(large),
        run = sw * c;
      for (let n = 0; n < b; n++)
        for (let yy = 0; yy < sh; yy++) {
          const s = S + (n * sh + yy) * sw * c;
          const l = L + ((n * lh + yy + top) * lw + left) * c;
          const [to, from] = up ? [l, s] : [s, l];
          if (acc) for (let i = 0; i < run; i++) F[to + i] = F[to + i]! + F[from + i]!;
          else mem.copyBytes(to * 4, from * 4, run * 4);
        }
    },

    globalAvgPool(b, hw, c, x, y, backward, accumulate): void {
      // Forward: y[n, c] = mean over hw of x[n, p, c]. Backward (x is dx, y is dy): dx[n, p, c] (+)= dy[n, c] / hw.
      const inv = f32(1 / f32(hw)),
        bwd = on(backward),
        acc = on(accumulate);
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      for (let n = 0; n < b; n++)
        for (let ci = 0; ci < c; ci++) {
          if (!bwd) {
            let s = 0;
            for (let p = 0; p < hw; p++) s += F[X + (n * hw + p) * c + ci]!;
            F[Y + n * c + ci] = s * inv;
          } else {
            const g = F[Y + n * c + ci]! * inv;
            for (let p = 0; p < hw; p++) {
              const i = X + (n * hw + p) * c + ci;
              F[i] = acc ? F[i]! + g : g;
            }
          }
        }
    },
  };
}
