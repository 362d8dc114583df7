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
