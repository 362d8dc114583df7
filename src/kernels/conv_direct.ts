// Direct convolution for layers with few output channels (a multiple of 4, e.g. the 8 and 16 of an
// image autoencoder). With 8 or 16 filters, im2col + GEMM copies kh*kw*c floats per pixel into a
// buffer to feed a product only 8 or 16 columns wide: the copy, the GEMM's packing and col2im on
// the way back cost about as much as the multiply-adds. Here the input is read in place: four
// output pixels of a row at a time, two 4-channel vectors of filters each (eight accumulators),
// over the contiguous run of kx and channels of each kernel row. Border pixels, whose window
// leaves the image, go one at a time over the taps inside it. Stride and dilation 1; any padding.
//
// The input gradient of a stride-1 convolution is the same sweep over dy with the kernel flipped
// and transposed (convFlipKernel) and the padding mirrored; the kernel gradient is one per-sample
// partial (convDirectKernelGrad), reduced over samples by the caller in sample order, so any
// thread split gives the same bits.

import { activate, ACT_ELU, ACT_LEAKY_RELU, ACT_LINEAR, ACT_RELU, ACT_SIGMOID } from './activation';
import { eluVec, sigmoidVec } from './simd_math';
import { activationBackward } from './elementwise';

// a * b + c: one fused multiply-add where the build has relaxed SIMD, else a multiply and an add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// As the GEMM epilogue: the vector forms for the common activations, lane by lane for the rest.
@inline function activateVec(v: v128, act: i32, alpha: f32): v128 {
  if (act == ACT_LINEAR) return v;
  if (act == ACT_RELU) return f32x4.pmax(v, f32x4.splat(0));
  if (act == ACT_LEAKY_RELU) return v128.bitselect(v, f32x4.mul(v, f32x4.splat(alpha)), f32x4.gt(v, f32x4.splat(0)));
  if (act == ACT_SIGMOID) return sigmoidVec(v);
  if (act == ACT_ELU) return eluVec(v, f32x4.splat(alpha));
  let r = f32x4.splat(activate(f32x4.extract_lane(v, 0), act, alpha));
  r = f32x4.replace_lane(r, 1, activate(f32x4.extract_lane(v, 1), act, alpha));
  r = f32x4.replace_lane(r, 2, activate(f32x4.extract_lane(v, 2), act, alpha));
  return f32x4.replace_lane(r, 3, activate(f32x4.extract_lane(v, 3), act, alpha));
}

// Stores act(acc + bias) (+ what is there, when accumulating) at p.
@inline function finish(p: usize, acc: v128, bias: v128, act: i32, alpha: f32, accumulate: i32): void {
  let v = activateVec(f32x4.add(acc, bias), act, alpha);
  if (accumulate) v = f32x4.add(v128.load(p), v);
  v128.store(p, v);
}

@inline function biasAt(bias: usize, j: i32): v128 {
  return bias ? v128.load(bias + (<usize>j << 4)) : f32x4.splat(0);
}

/**
 * y[n, oy, ox, :f] = act(bias + sum over the window of x[n, oy - pt + ky, ox - pl + kx, :c] . w[ky, kx, :c, :f]),
 * added to y when accumulate. f is a multiple of 4; bias is 0 for none.
 */
export function convDirect(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, f: i32, kh: i32, kw: i32,
  pt: i32, pl: i32, x: usize, wt: usize, bias: usize, act: i32, alpha: f32, y: usize, accumulate: i32): void {
  // Stride 1: two more parameters would pass the 19 a kernel call carries (src/engine/kernel_call.ts).
  const sh = 1, sw = 1;
  const groups = f >> 2;
  const fBytes = <usize>f << 2;
  const run = kw * c;
  // Output columns whose whole window lies inside the row: ox * sw >= pl and ox * sw - pl + kw <= w.
  const oxLo = min(ow, (pl + sw - 1) / sw);
  const oxHi = w - kw + pl >= 0 ? max(oxLo, min(ow, (w - kw + pl) / sw + 1)) : oxLo;
  // Four pixels' inputs are this many bytes apart.
  const pixelStep = <usize>(sw * c) << 2;
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) {
    const iy0 = oy * sh - pt;
    const ky0 = max(0, -iy0), ky1 = min(kh, h - iy0);
    const yRow = y + (<usize>((n * oh + oy) * ow) << 2) * <usize>f;
    const xRow = x + (<usize>((n * h + iy0) * w) << 2) * <usize>c; // row iy0 (may lie outside; only valid rows are read)
    let ox = 0;
    for (; ox < ow; ox++) {
      if (ox >= oxLo && ox < oxHi && (ox + 4 <= oxHi || (!accumulate && oxHi - oxLo >= 4))) {
        // Four pixels, all taps inside the row. The last block of a row ends at oxHi, recomputing
        // a few pixels (the same sums in the same order: the same bits) rather than running the
        // one-pixel path; not when accumulating, where it would add them twice.
        const bx = min(ox, oxHi - 4);
        const x0 = xRow + (<usize>((bx * sw - pl) * c) << 2);
        const yp = yRow + <usize>bx * fBytes;
        let j = 0;
        for (; j + 2 <= groups; j += 2) {
          let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
          let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
          for (let ky = ky0; ky < ky1; ky++) {
            const xp = x0 + (<usize>(ky * w * c) << 2);
            let wp = wt + (<usize>(ky * run) * fBytes) + (<usize>j << 4);
            for (let t = 0; t < run; t++) {
              const w0 = v128.load(wp), w1 = v128.load(wp, 16);
              const xt = xp + (<usize>t << 2);
              const s0 = v128.load32_splat(xt), s1 = v128.load32_splat(xt + pixelStep);
              const s2 = v128.load32_splat(xt + 2 * pixelStep), s3 = v128.load32_splat(xt + 3 * pixelStep);
              a00 = madd(s0, w0, a00); a01 = madd(s0, w1, a01);
              a10 = madd(s1, w0, a10); a11 = madd(s1, w1, a11);
              a20 = madd(s2, w0, a20); a21 = madd(s2, w1, a21);
              a30 = madd(s3, w0, a30); a31 = madd(s3, w1, a31);
              wp += fBytes;
            }
          }
          const b0 = biasAt(bias, j), b1 = biasAt(bias, j + 1);
          const q = yp + (<usize>j << 4);
          finish(q, a00, b0, act, alpha, accumulate); finish(q + 16, a01, b1, act, alpha, accumulate);
          finish(q + fBytes, a10, b0, act, alpha, accumulate); finish(q + fBytes + 16, a11, b1, act, alpha, accumulate);
          finish(q + 2 * fBytes, a20, b0, act, alpha, accumulate); finish(q + 2 * fBytes + 16, a21, b1, act, alpha, accumulate);
          finish(q + 3 * fBytes, a30, b0, act, alpha, accumulate); finish(q + 3 * fBytes + 16, a31, b1, act, alpha, accumulate);
        }
        if (j < groups) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let ky = ky0; ky < ky1; ky++) {
            const xp = x0 + (<usize>(ky * w * c) << 2);
            let wp = wt + (<usize>(ky * run) * fBytes) + (<usize>j << 4);
            for (let t = 0; t < run; t++) {
              const w0 = v128.load(wp);
              const xt = xp + (<usize>t << 2);
              a0 = madd(v128.load32_splat(xt), w0, a0);
              a1 = madd(v128.load32_splat(xt + pixelStep), w0, a1);
              a2 = madd(v128.load32_splat(xt + 2 * pixelStep), w0, a2);
              a3 = madd(v128.load32_splat(xt + 3 * pixelStep), w0, a3);
              wp += fBytes;
            }
          }
          const b0 = biasAt(bias, j);
          const q = yp + (<usize>j << 4);
          finish(q, a0, b0, act, alpha, accumulate);
          finish(q + fBytes, a1, b0, act, alpha, accumulate);
          finish(q + 2 * fBytes, a2, b0, act, alpha, accumulate);
          finish(q + 3 * fBytes, a3, b0, act, alpha, accumulate);
        }
        ox = bx + 3;
        continue;
      }
      // One pixel, over the taps inside the image.
      const ix0 = ox * sw - pl;
      const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
      const len = (kx1 - kx0) * c;
      const yp = yRow + <usize>ox * fBytes;
      // Up to four filter vectors per sweep over the window.
      for (let j = 0; j < groups; j += 4) {
        const left = min(4, groups - j);
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        if (len > 0) for (let ky = ky0; ky < ky1; ky++) {
          const xp = xRow + (<usize>((ky * w + ix0 + kx0) * c) << 2);
          let wp = wt + (<usize>((ky * kw + kx0) * c) * fBytes) + (<usize>j << 4);
          for (let t = 0; t < len; t++) {
            const s0 = v128.load32_splat(xp + (<usize>t << 2));
            a0 = madd(s0, v128.load(wp), a0);
            if (left > 1) a1 = madd(s0, v128.load(wp, 16), a1);
            if (left > 2) a2 = madd(s0, v128.load(wp, 32), a2);
            if (left > 3) a3 = madd(s0, v128.load(wp, 48), a3);
            wp += fBytes;
          }
        }
        const q = yp + (<usize>j << 4);
        finish(q, a0, biasAt(bias, j), act, alpha, accumulate);
        if (left > 1) finish(q + 16, a1, biasAt(bias, j + 1), act, alpha, accumulate);
        if (left > 2) finish(q + 32, a2, biasAt(bias, j + 2), act, alpha, accumulate);
        if (left > 3) finish(q + 48, a3, biasAt(bias, j + 3), act, alpha, accumulate);
      }
    }
  }
}

/**
 * out[kh-1-ky, kw-1-kx, :f, :c] = w[ky, kx, :c, :f]: the kernel of the input gradient's sweep
 * (a stride-1 convolution's dx is convDirect over dy with this kernel and padding kh-1-pt, kw-1-pl).
 */
export function convFlipKernel(kh: i32, kw: i32, c: i32, f: i32, w: usize, out: usize): void {
  for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
    const src = w + (<usize>((ky * kw + kx) * c * f) << 2);
    const dst = out + (<usize>(((kh - 1 - ky) * kw + (kw - 1 - kx)) * f * c) << 2);
    for (let ci = 0; ci < c; ci++) for (let co = 0; co < f; co++)
      store<f32>(dst + (<usize>(co * c + ci) << 2), load<f32>(src + (<usize>(ci * f + co) << 2)));
  }
}

/**
 * dw[n][ky, kx, :c, :f] = sum over the sample's pixels of x[n, iy, ix, :c] (outer) dy[n, oy, ox, :f]:
 * one partial per sample (kh*kw*c*f floats each), so the caller's sum over samples is the same for
 * any split. f is a multiple of 4. Each tap sums over the rectangle of output pixels whose input lies
 * inside the image, four input channels by two filter vectors at a time (eight accumulators); the last
 * one to three channels one at a time by up to four filter vectors. db (0 for none): the bias
 * gradient's per-sample partial, db[n][:f] = sum over the sample's pixels of dy[n, oy, ox, :f].
 */
export function convDirectKernelGrad(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, f: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, pt: i32, pl: i32, x: usize, dy: usize, dw: usize, db: usize): void {
  const groups = f >> 2;
  const fBytes = <usize>f << 2;
  const cBytes = <usize>c << 2;
  const taps = kh * kw * c * f;
  for (let n = 0; n < b; n++) {
    const xs = x + (<usize>(n * h * w) << 2) * <usize>c;
    const ds = dy + (<usize>(n * oh * ow) << 2) * <usize>f;
    const out = dw + (<usize>(n * taps) << 2);
    // The bias gradient's partial: dy summed over the sample's pixels, while dy is in cache (and
    // split with the batch, where a column sum over the whole batch would run on one thread).
    if (db) for (let j = 0; j < groups; j++) {
      let s = f32x4.splat(0);
      let dp = ds + (<usize>j << 4);
      for (let o = 0; o < oh * ow; o++) { s = f32x4.add(s, v128.load(dp)); dp += fBytes; }
      v128.store(db + (<usize>(n * f + (j << 2)) << 2), s);
    }
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      // Output pixels whose input iy = oy * sh - pt + ky, ix = ox * sw - pl + kx lies inside.
      const oy0 = min(oh, max(0, (pt - ky + sh - 1) / sh)), oy1 = max(oy0, min(oh, h - 1 + pt - ky >= 0 ? (h - 1 + pt - ky) / sh + 1 : 0));
      const ox0 = min(ow, max(0, (pl - kx + sw - 1) / sw)), ox1 = max(ox0, min(ow, w - 1 + pl - kx >= 0 ? (w - 1 + pl - kx) / sw + 1 : 0));
      const tapOut = out + (<usize>((ky * kw + kx) * c) * fBytes);
      let ci = 0;
      for (; ci + 4 <= c; ci += 4) {
        for (let j = 0; j < groups; j += 2) {
          const pair = j + 2 <= groups;
          let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
          let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
          for (let oy = oy0; oy < oy1; oy++) {
            const iy = oy * sh - pt + ky;
            let xp = xs + (<usize>((iy * w + ox0 * sw - pl + kx) * c + ci) << 2);
            let dp = ds + (<usize>(oy * ow + ox0) * fBytes) + (<usize>j << 4);
            const xStep = <usize>sw * cBytes;
            if (pair) {
              for (let ox = ox0; ox < ox1; ox++) {
                const d0 = v128.load(dp), d1 = v128.load(dp, 16);
                const s0 = v128.load32_splat(xp), s1 = v128.load32_splat(xp, 4);
                const s2 = v128.load32_splat(xp, 8), s3 = v128.load32_splat(xp, 12);
                a00 = madd(s0, d0, a00); a01 = madd(s0, d1, a01);
                a10 = madd(s1, d0, a10); a11 = madd(s1, d1, a11);
                a20 = madd(s2, d0, a20); a21 = madd(s2, d1, a21);
                a30 = madd(s3, d0, a30); a31 = madd(s3, d1, a31);
                xp += xStep; dp += fBytes;
              }
            } else {
              // The last filter vector (f = 4, 12): four channels by one vector.
              for (let ox = ox0; ox < ox1; ox++) {
                const d0 = v128.load(dp);
                a00 = madd(v128.load32_splat(xp), d0, a00);
                a10 = madd(v128.load32_splat(xp, 4), d0, a10);
                a20 = madd(v128.load32_splat(xp, 8), d0, a20);
                a30 = madd(v128.load32_splat(xp, 12), d0, a30);
                xp += xStep; dp += fBytes;
              }
            }
          }
          const q = tapOut + (<usize>ci * fBytes) + (<usize>j << 4);
          v128.store(q, a00); v128.store(q + fBytes, a10); v128.store(q + 2 * fBytes, a20); v128.store(q + 3 * fBytes, a30);
          if (pair) {
            v128.store(q, a01, 16); v128.store(q + fBytes, a11, 16); v128.store(q + 2 * fBytes, a21, 16); v128.store(q + 3 * fBytes, a31, 16);
          }
        }
      }
      // The last one to three channels (all of them when c < 4, as in a first layer on gray images):
      // one channel at a time by up to four filter vectors, so no lane of the sums is wasted.
      for (; ci < c; ci++) for (let j = 0; j < groups; j += 4) {
        const left = min(4, groups - j);
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let oy = oy0; oy < oy1; oy++) {
          const iy = oy * sh - pt + ky;
          let xp = xs + (<usize>((iy * w + ox0 * sw - pl + kx) * c + ci) << 2);
          let dp = ds + (<usize>(oy * ow + ox0) * fBytes) + (<usize>j << 4);
          const xStep = <usize>sw * cBytes;
          if (left == 4) {
            for (let ox = ox0; ox < ox1; ox++) {
              const s0 = v128.load32_splat(xp);
              a0 = madd(s0, v128.load(dp), a0); a1 = madd(s0, v128.load(dp, 16), a1);
              a2 = madd(s0, v128.load(dp, 32), a2); a3 = madd(s0, v128.load(dp, 48), a3);
              xp += xStep; dp += fBytes;
            }
          } else {
            for (let ox = ox0; ox < ox1; ox++) {
              const s0 = v128.load32_splat(xp);
              a0 = madd(s0, v128.load(dp), a0);
              if (left > 1) a1 = madd(s0, v128.load(dp, 16), a1);
              if (left > 2) a2 = madd(s0, v128.load(dp, 32), a2);
              xp += xStep; dp += fBytes;
            }
          }
        }
        const q = tapOut + (<usize>ci * fBytes) + (<usize>j << 4);
        v128.store(q, a0);
        if (left > 1) v128.store(q, a1, 16);
        if (left > 2) v128.store(q, a2, 32);
        if (left > 3) v128.store(q, a3, 48);
      }
    }
  }
}

/**
 * activationBackward over b samples of `values` floats each: the same kernel with a leading sample
 * count, so a conv plan can split its activation's backward across threads with the batch (the
 * element-count form runs on one thread, and a conv batch's feature maps are megabytes).
 */
export function activationBackwardSamples(b: i32, values: i32, y: usize, dy: usize, dz: usize, act: i32, alpha: f32,
  accumulate: i32): void {
  activationBackward(b * values, y, dy, dz, act, alpha, accumulate);
}
