// Convolution data movement, channels-last ([batch, height, width, channels]): im2col turns
// every output position's receptive field into a row so convolutions run on the GEMM; col2im is
// its adjoint (scatter-add), used by input gradients and transposed convolutions.

import { activate, ACT_ELU, ACT_LINEAR, ACT_RELU, ACT_SIGMOID } from './activation';
import { eluVec, sigmoidVec, vZero } from './simd_math';

// Copies a run of c floats with vector moves: memory.copy is a call per run, costly for 8-16 floats.
@inline function copyRun(dst: usize, src: usize, c: i32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) { const o = <usize>i << 2; v128.store(dst + o, v128.load(src + o)); }
  for (; i < c; i++) { const o = <usize>i << 2; store<f32>(dst + o, load<f32>(src + o)); }
}

@inline function zeroRun(dst: usize, c: i32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) v128.store(dst + (<usize>i << 2), vZero());
  for (; i < c; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// Copies or adds a run of c floats: the channels of one pixel are contiguous in channels-last.
@inline function addRun(dst: usize, src: usize, c: i32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < c; i++) { const o = <usize>i << 2; store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o)); }
}

/**
 * col[(n, oy, ox), (ky, kx, ci)] = x[n, oy*sh - pt + ky*dh, ox*sw - pl + kx*dw, ci], zero outside.
 * Row length kh*kw*c, matching a Keras kernel [kh, kw, c, filters] read as a [kh*kw*c, filters] matrix.
 */
export function im2col(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, pt: i32, pl: i32, x: usize, col: usize): void {
  const runBytes = <usize>c << 2;
  let dst = col;
  for (let n = 0; n < b; n++) {
    const xn = x + <usize>n * <usize>(h * w) * runBytes;
    for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky * dh;
        const ix0 = ox * sw - pl;
        // A kernel row wholly inside the image is one contiguous run of kw * c floats (dilation 1):
        // one copy instead of kw, which matters when c is small (1-D convolutions over one feature).
        if (dw == 1 && iy >= 0 && iy < h && ix0 >= 0 && ix0 + kw <= w) {
          copyRun(dst, xn + <usize>(iy * w + ix0) * runBytes, kw * c);
          dst += <usize>kw * runBytes;
          continue;
        }
        for (let kx = 0; kx < kw; kx++) {
          const ix = ix0 + kx * dw;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
            const src = xn + <usize>(iy * w + ix) * runBytes;
            copyRun(dst, src, c);
          } else zeroRun(dst, c);
          dst += runBytes;
        }
      }
    }
  }
}

/** The adjoint of im2col: x[...] (+)= every col entry that was read from it. */
export function col2im(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, pt: i32, pl: i32, col: usize, x: usize, accumulate: i32): void {
  const runBytes = <usize>c << 2;
  if (!accumulate) memory.fill(x, 0, <usize>b * <usize>(h * w) * runBytes);
  let src = col;
  for (let n = 0; n < b; n++) {
    const xn = x + <usize>n * <usize>(h * w) * runBytes;
    for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky * dh;
        const ix0 = ox * sw - pl;
        // As in im2col: a row wholly inside is one run (the taps of a row never overlap each other).
        if (dw == 1 && iy >= 0 && iy < h && ix0 >= 0 && ix0 + kw <= w) {
          addRun(xn + <usize>(iy * w + ix0) * runBytes, src, kw * c);
          src += <usize>kw * runBytes;
          continue;
        }
        for (let kx = 0; kx < kw; kx++) {
          const ix = ix0 + kx * dw;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) addRun(xn + <usize>(iy * w + ix) * runBytes, src, c);
          src += runBytes;
        }
      }
    }
  }
}

/** y[r, ch] = act(y[r, ch] + bias[ch]) in place (bias may be 0: activation only). */
export function biasActivation(rows: i32, ch: i32, y: usize, bias: usize, act: i32, alpha: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = y + (<usize>(r * ch) << 2);
    let j = 0;
    if (act == ACT_LINEAR || act == ACT_RELU || act == ACT_SIGMOID || act == ACT_ELU) {
      const a = f32x4.splat(alpha);
      for (; j + 4 <= ch; j += 4) {
        const o = <usize>j << 2;
        let v = v128.load(row + o);
        if (bias) v = f32x4.add(v, v128.load(bias + o));
        if (act == ACT_RELU) v = f32x4.pmax(v, vZero()); else if (act == ACT_SIGMOID) v = sigmoidVec(v); else if (act == ACT_ELU) v = eluVec(v, a);
        v128.store(row + o, v);
      }
    }
    for (; j < ch; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, activate(load<f32>(row + o) + (bias ? load<f32>(bias + o) : 0), act, alpha));
    }
  }
}
