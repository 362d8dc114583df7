// Direct kernels for a convolution with one output channel (the last layer of an image
// autoencoder: many channels in, one out). With one filter, im2col writes kh*kw*c floats per
// pixel to feed a matrix-vector product that does one multiply-add per float it reads: the
// copy costs more than the arithmetic. Here each output pixel is kh dot products over
// contiguous runs of the channels-last input (kx and channel together), and the two backward
// passes are the matching axpys. Dilation 1; any strides and padding.

// sum a[i] * b[i] over n floats, four lanes at a time.
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o))); }
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; i < n; i++) { const o = <usize>i << 2; s += load<f32>(a + o) * load<f32>(b + o); }
  return s;
}

// y[i] += s * x[i] over n floats.
@inline function axpy(y: usize, x: usize, n: i32, s: f32): void {
  const v = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v, v128.load(x + o)))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o)); }
}

/**
 * mode 0: y[n, oy, ox] = bias + sum x[n, window] * w (w laid out [kh, kw, c]).
 * mode 1: dx[n, window] += dy[n, oy, ox] * w (dx zeroed first unless accumulate).
 * mode 2: dw[n] = sum over the sample's pixels of dy * x[window]: one partial per sample in
 *         wp[n * kh*kw*c], so the caller's reduction over samples is the same for any split.
 */
export function convSingle(mode: i32, b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, x: usize, wt: usize, bias: f32, y: usize, accumulate: i32): void {
  if (c % 4 == 0 && mode == 0) { forwardBlocked(b, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, x, wt, bias, y); return; }
  if (c % 4 == 0 && mode == 2) { kernelGradByTap(b, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, x, wt, y); return; }
  const taps = kh * kw * c;
  if (mode == 1 && !accumulate) memory.fill(x, 0, <usize>(b * h * w * c) << 2);
  for (let n = 0; n < b; n++) {
    if (mode == 2) memory.fill(wt + (<usize>(n * taps) << 2), 0, <usize>taps << 2);
    for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      const o = (n * oh + oy) * ow + ox;
      const ix0 = ox * sw - pl;
      const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
      const run = (kx1 - kx0) * c;
      let s: f32 = mode == 0 ? bias : load<f32>(y + (<usize>o << 2));
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky;
        if (iy < 0 || iy >= h || run <= 0) continue;
        const xp = x + (<usize>(((n * h + iy) * w + ix0 + kx0) * c) << 2);
        const tap = (ky * kw + kx0) * c;
        if (mode == 0) s += dot(xp, wt + (<usize>tap << 2), run);
        else if (mode == 1) axpy(xp, wt + (<usize>tap << 2), run, s);
        else axpy(wt + (<usize>(n * taps + tap) << 2), xp, run, s);
      }
      if (mode == 0) store<f32>(y + (<usize>o << 2), s);
    }
  }
}

// a * b + c: one fused multiply-add where the build has relaxed SIMD, else a multiply and an add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// [sum a, sum b, sum c, sum d]: the four horizontal sums in one vector (two rounds of shuffles).
@inline function sums4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

// Mode 0 with c a multiple of 4: four output pixels of a row at a time where their windows lie inside
// the row (each weight vector loaded once for the four, one horizontal reduction for all four);
// border pixels as the generic loop, one dot product per kernel row.
function forwardBlocked(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, x: usize, wt: usize, bias: f32, y: usize): void {
  const run = kw * c;
  const oxLo = min(ow, (pl + sw - 1) / sw);
  const oxHi = w - kw + pl >= 0 ? max(oxLo, min(ow, (w - kw + pl) / sw + 1)) : oxLo;
  const step = <usize>(sw * c) << 2;
  const b4 = f32x4.splat(bias);
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) {
    const iy0 = oy * sh - pt;
    const ky0 = max(0, -iy0), ky1 = min(kh, h - iy0);
    const yRow = y + (<usize>((n * oh + oy) * ow) << 2);
    for (let ox = 0; ox < ow; ox++) {
      if (ox >= oxLo && ox + 4 <= oxHi) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let ky = ky0; ky < ky1; ky++) {
          let xp = x + (<usize>(((n * h + iy0 + ky) * w + ox * sw - pl) * c) << 2);
          let wp = wt + (<usize>(ky * run) << 2);
          for (let t = 0; t < run; t += 4) {
            const wv = v128.load(wp);
            a0 = madd(v128.load(xp), wv, a0);
            a1 = madd(v128.load(xp + step), wv, a1);
            a2 = madd(v128.load(xp + 2 * step), wv, a2);
            a3 = madd(v128.load(xp + 3 * step), wv, a3);
            xp += 16; wp += 16;
          }
        }
        v128.store(yRow + (<usize>ox << 2), f32x4.add(sums4(a0, a1, a2, a3), b4));
        ox += 3;
        continue;
      }
      const ix0 = ox * sw - pl;
      const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
      const len = (kx1 - kx0) * c;
      let s = bias;
      if (len > 0) for (let ky = ky0; ky < ky1; ky++) {
        const xp = x + (<usize>(((n * h + iy0 + ky) * w + ix0 + kx0) * c) << 2);
        s += dot(xp, wt + (<usize>((ky * kw + kx0) * c) << 2), len);
      }
      store<f32>(yRow + (<usize>ox << 2), s);
    }
  }
}

// Mode 2 with c a multiple of 4: for each tap, the sum over the rectangle of output pixels whose
// input lies inside, in registers (four vectors of channels at a time), stored once: no
// read-modify-write of the partial per pixel.
function kernelGradByTap(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, x: usize, wp: usize, dy: usize): void {
  const taps = kh * kw * c;
  const vectors = c >> 2;
  const xStep = <usize>(sw * c) << 2;
  for (let n = 0; n < b; n++) {
    const out = wp + (<usize>(n * taps) << 2);
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const oy0 = min(oh, max(0, (pt - ky + sh - 1) / sh)), oy1 = max(oy0, min(oh, h - 1 + pt - ky >= 0 ? (h - 1 + pt - ky) / sh + 1 : 0));
      const ox0 = min(ow, max(0, (pl - kx + sw - 1) / sw)), ox1 = max(ox0, min(ow, w - 1 + pl - kx >= 0 ? (w - 1 + pl - kx) / sw + 1 : 0));
      const tapOut = out + (<usize>((ky * kw + kx) * c) << 2);
      let v = 0;
      for (; v < vectors; v += 4) {
        const four = v + 4 <= vectors;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let oy = oy0; oy < oy1; oy++) {
          let xp = x + (<usize>(((n * h + oy * sh - pt + ky) * w + ox0 * sw - pl + kx) * c) << 2) + (<usize>v << 4);
          let dp = dy + (<usize>((n * oh + oy) * ow + ox0) << 2);
          if (four) {
            for (let ox = ox0; ox < ox1; ox++) {
              const s = v128.load32_splat(dp);
              a0 = madd(s, v128.load(xp), a0); a1 = madd(s, v128.load(xp, 16), a1);
              a2 = madd(s, v128.load(xp, 32), a2); a3 = madd(s, v128.load(xp, 48), a3);
              xp += xStep; dp += 4;
            }
          } else {
            // The last one to three vectors of channels.
            const left = vectors - v;
            for (let ox = ox0; ox < ox1; ox++) {
              const s = v128.load32_splat(dp);
              a0 = madd(s, v128.load(xp), a0);
              if (left > 1) a1 = madd(s, v128.load(xp, 16), a1);
              if (left > 2) a2 = madd(s, v128.load(xp, 32), a2);
              xp += xStep; dp += 4;
            }
          }
        }
        const q = tapOut + (<usize>v << 4);
        v128.store(q, a0);
        if (v + 1 < vectors) v128.store(q, a1, 16);
        if (v + 2 < vectors) v128.store(q, a2, 32);
        if (v + 3 < vectors) v128.store(q, a3, 48);
      }
    }
  }
}
