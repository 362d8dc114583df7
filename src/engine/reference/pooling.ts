// Reference pooling kernels, channels-last (src/kernels/pooling.ts): max pooling with its argmax
// (an i32 per output, stored in the float-sized slot, relative to its sample) and average pooling.

import type { KernelExports } from '../kernels.js';
import { on, index, type MemoryViews } from './memory_views.js';

type Pooling = Pick<KernelExports, 'maxPoolForward' | 'maxPoolBackward' | 'avgPool'>;

export function poolingKernels(mem: MemoryViews): Pooling {
  return {
    maxPoolForward(b, h, w, c, oh, ow, ph, pw, sh, sw, pt, pl, x, y, argmax): void {
      // The window is clipped to the input (padding never wins). The first cell, then any strictly
      // greater value or any NaN takes over; an empty window gives -Infinity and argmax -1.
      const F = mem.f32,
        I = mem.i32,
        X = index(x),
        Y = index(y),
        AM = index(argmax);
      let o = 0;
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const sampleBase = n * h * w * c;
            const y0 = Math.max(oy * sh - pt, 0),
              y1 = Math.min(oy * sh - pt + ph, h);
            const x0 = Math.max(ox * sw - pl, 0),
              x1 = Math.min(ox * sw - pl + pw, w);
            for (let ci = 0; ci < c; ci++) {
              let best = -Infinity,
                at = -1;
              for (let iy = y0; iy < y1; iy++)
                for (let ix = x0; ix < x1; ix++) {
                  const i = ((n * h + iy) * w + ix) * c + ci;
                  const v = F[X + i]!;
                  if (v > best || at < 0 || v !== v) {
                    best = v;
                    at = i - sampleBase;
                  }
                }
              F[Y + o + ci] = best;
              I[AM + o + ci] = at;
            }
            o += c;
          }
    },

    maxPoolBackward(b, outPerSample, inPerSample, dy, argmax, dx, accumulate): void {
      // dx[n, argmax[o]] += dy[o]; dx zeroed first unless accumulate.
      if (!on(accumulate)) mem.zero(dx, b * inPerSample);
      const F = mem.f32,
        I = mem.i32,
        DY = index(dy),
        AM = index(argmax),
        DX = index(dx);
      for (let n = 0; n < b; n++)
        for (let q = 0; q < outPerSample; q++) {
          const o = n * outPerSample + q;
          const i = DX + n * inPerSample + I[AM + o]!;
          F[i] = F[i]! + F[DY + o]!;
        }
    },

    avgPool(b, h, w, c, oh, ow, ph, pw, sh, sw, pt, pl, x, y, backward, accumulate): void {
      // Average over the window cells inside the input (padding not counted, as Keras).
      // Forward: x input, y output. Backward: x is dy (output-sized), y is dx (input-sized), zeroed
      // first unless accumulate; forward always overwrites.
      const bwd = on(backward);
      if (bwd && !on(accumulate)) mem.zero(y, b * h * w * c);
      const F = mem.f32,
        X = index(x),
        Y = index(y);
      let o = 0;
      for (let n = 0; n < b; n++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const y0 = Math.max(oy * sh - pt, 0),
              y1 = Math.min(oy * sh - pt + ph, h);
            const x0 = Math.max(ox * sw - pl, 0),
              x1 = Math.min(ox * sw - pl + pw, w);
            const inv = Math.fround(1 / ((y1 - y0) * (x1 - x0)));
            for (let ci = 0; ci < c; ci++) {
              if (!bwd) {
                let s = 0;
                for (let iy = y0; iy < y1; iy++)
                  for (let ix = x0; ix < x1; ix++) s += F[X + ((n * h + iy) * w + ix) * c + ci]!;
                F[Y + o + ci] = s * inv;
              } else {
                const g = F[X + o + ci]! * inv;
                for (let iy = y0; iy < y1; iy++)
                  for (let ix = x0; ix < x1; ix++) {
                    const i = Y + ((n * h + iy) * w + ix) * c + ci;
                    F[i] = F[i]! + g;
                  }
              }
            }
            o += c;
          }
    },
  };
}
