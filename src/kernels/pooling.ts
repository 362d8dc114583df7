// Pooling, upsampling, padding/cropping windows and global averages, channels-last.
// Max pooling records the winning input index so its backward pass is a scatter.

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

export function maxPoolForward(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, x: usize, y: usize, argmax: usize): void {
  let o = 0;
  // Winners are stored relative to their sample, so any split of the batch reads them back right.
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const sampleBase = n * h * w * c;
    const y0 = max(oy * sh - pt, 0), y1 = min(oy * sh - pt + ph, h);
    const x0 = max(ox * sw - pl, 0), x1 = min(ox * sw - pl + pw, w);
    let ci = 0;
    // A whole 2x2 window (the usual pooling): its four cells unrolled, the first one the start.
    // Same rule and order as the loop below: later cells win when strictly greater or NaN.
    if (ph == 2 && pw == 2 && y1 - y0 == 2 && x1 - x0 == 2) {
      const rowStep = <usize>(w * c) << 2, cellStep = <usize>c << 2;
      for (; ci + 4 <= c; ci += 4) {
        const i = ((n * h + y0) * w + x0) * c + ci;
        const p = x + (<usize>i << 2);
        const v01 = v128.load(p + cellStep), v10 = v128.load(p + rowStep), v11 = v128.load(p + rowStep + cellStep);
        const lanes = i32x4.add(i32x4.splat(i - sampleBase), i32x4(0, 1, 2, 3));
        let best = v128.load(p);
        let at = lanes;
        let take = v128.or(f32x4.gt(v01, best), f32x4.ne(v01, v01));
        best = v128.bitselect(v01, best, take); at = v128.bitselect(i32x4.add(lanes, i32x4.splat(c)), at, take);
        take = v128.or(f32x4.gt(v10, best), f32x4.ne(v10, v10));
        best = v128.bitselect(v10, best, take); at = v128.bitselect(i32x4.add(lanes, i32x4.splat(w * c)), at, take);
        take = v128.or(f32x4.gt(v11, best), f32x4.ne(v11, v11));
        best = v128.bitselect(v11, best, take); at = v128.bitselect(i32x4.add(lanes, i32x4.splat(w * c + c)), at, take);
        v128.store(y + (<usize>(o + ci) << 2), best);
        v128.store(argmax + (<usize>(o + ci) << 2), at);
      }
    }
    // Four channels at a time: the window's cells compared lane-wise, winners' indices kept alongside.
    for (; ci + 4 <= c; ci += 4) {
      let best = f32x4.splat(-Infinity);
      let at = i32x4.splat(-1);
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
        const i = ((n * h + iy) * w + ix) * c + ci;
        const v = v128.load(x + (<usize>i << 2));
        // Strictly greater, or NaN (v != v), or the first cell: as the scalar loop below.
        const take = v128.or(v128.or(f32x4.gt(v, best), f32x4.ne(v, v)), i32x4.eq(at, i32x4.splat(-1)));
        best = v128.bitselect(v, best, take);
        at = v128.bitselect(i32x4.add(i32x4.splat(i - sampleBase), i32x4(0, 1, 2, 3)), at, take);
      }
      v128.store(y + (<usize>(o + ci) << 2), best);
      v128.store(argmax + (<usize>(o + ci) << 2), at);
    }
    for (; ci < c; ci++) {
      let best: f32 = -Infinity, at = -1;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
        const i = ((n * h + iy) * w + ix) * c + ci;
        const v = f(x, i);
        // NaN wins, so a diverging network is not hidden by pooling.
        if (v > best || at < 0 || v != v) { best = v; at = i - sampleBase; }
      }
      put(y, o + ci, best);
      store<i32>(argmax + (<usize>(o + ci) << 2), at);
    }
    o += c;
  }
}

export function maxPoolBackward(b: i32, outPerSample: i32, inPerSample: i32, dy: usize, argmax: usize, dx: usize, accumulate: i32): void {
  if (!accumulate) memory.fill(dx, 0, <usize>(b * inPerSample) << 2);
  for (let n = 0; n < b; n++) for (let q = 0; q < outPerSample; q++) {
    const o = n * outPerSample + q;
    const i = n * inPerSample + load<i32>(argmax + (<usize>o << 2));
    put(dx, i, f(dx, i) + f(dy, o));
  }
}

/** Average over the window cells inside the input (padding is not counted, as Keras). */
export function avgPool(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, x: usize, y: usize, backward: i32, accumulate: i32): void {
  // Forward: x is the input, y the output. Backward: x is dy (output-sized), y is dx (input-sized).
  if (backward && !accumulate) memory.fill(y, 0, <usize>(b * h * w * c) << 2);
  let o = 0;
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const y0 = max(oy * sh - pt, 0), y1 = min(oy * sh - pt + ph, h);
    const x0 = max(ox * sw - pl, 0), x1 = min(ox * sw - pl + pw, w);
    const inv: f32 = <f32>1 / <f32>((y1 - y0) * (x1 - x0));
    const vinv = f32x4.splat(inv);
    let ci = 0;
    // Channels are contiguous: four at a time, then the rest.
    for (; ci + 4 <= c; ci += 4) {
      if (!backward) {
        let s = f32x4.splat(0);
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s = f32x4.add(s, v128.load(x + (<usize>(((n * h + iy) * w + ix) * c + ci) << 2)));
        v128.store(y + (<usize>(o + ci) << 2), f32x4.mul(s, vinv));
      } else {
        const g = f32x4.mul(v128.load(x + (<usize>(o + ci) << 2)), vinv);
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
          const p = y + (<usize>(((n * h + iy) * w + ix) * c + ci) << 2);
          v128.store(p, f32x4.add(v128.load(p), g));
        }
      }
    }
    for (; ci < c; ci++) {
      if (!backward) {
        let s: f32 = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += f(x, ((n * h + iy) * w + ix) * c + ci);
        put(y, o + ci, s * inv);
      } else {
        const g = f(x, o + ci) * inv;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) {
          const i = ((n * h + iy) * w + ix) * c + ci;
          put(y, i, f(y, i) + g);
        }
      }
    }
    o += c;
  }
}

/**
 * Nearest-neighbour upsampling by (fh, fw); backward sums each block. Swept by input pixel: its
 * fh x fw block of outputs is copied (forward) or summed in registers and stored once (backward),
 * with no division per output pixel and no read-modify-write of the input gradient.
 */
export function upsampleNearest(b: i32, h: i32, w: i32, c: i32, fh: i32, fw: i32, x: usize, y: usize, backward: i32, accumulate: i32): void {
  const ow = w * fw;
  const cBytes = <usize>c << 2;
  const outRow = <usize>ow * cBytes;
  for (let n = 0; n < b; n++) for (let iy = 0; iy < h; iy++) for (let ix = 0; ix < w; ix++) {
    const src = x + (<usize>((n * h + iy) * w + ix) * cBytes);
    const dst = y + (<usize>((n * h + iy) * fh) * outRow) + (<usize>(ix * fw) * cBytes);
    let ci = 0;
    if (!backward) {
      for (; ci + 4 <= c; ci += 4) {
        const q = <usize>ci << 2;
        const v = v128.load(src + q);
        for (let dy = 0; dy < fh; dy++) for (let dx = 0; dx < fw; dx++)
          v128.store(dst + <usize>dy * outRow + <usize>dx * cBytes + q, v);
      }
      for (; ci < c; ci++) {
        const q = <usize>ci << 2;
        const v = load<f32>(src + q);
        for (let dy = 0; dy < fh; dy++) for (let dx = 0; dx < fw; dx++)
          store<f32>(dst + <usize>dy * outRow + <usize>dx * cBytes + q, v);
      }
    } else {
      for (; ci + 4 <= c; ci += 4) {
        const q = <usize>ci << 2;
        let s = accumulate ? v128.load(src + q) : f32x4.splat(0);
        for (let dy = 0; dy < fh; dy++) for (let dx = 0; dx < fw; dx++)
          s = f32x4.add(s, v128.load(dst + <usize>dy * outRow + <usize>dx * cBytes + q));
        v128.store(src + q, s);
      }
      for (; ci < c; ci++) {
        const q = <usize>ci << 2;
        let s: f32 = accumulate ? load<f32>(src + q) : 0;
        for (let dy = 0; dy < fh; dy++) for (let dx = 0; dx < fw; dx++)
          s += load<f32>(dst + <usize>dy * outRow + <usize>dx * cBytes + q);
        store<f32>(src + q, s);
      }
    }
  }
}

// Half-pixel source coordinate (align_corners = false), clamped at 0 as PyTorch and TF2 do.
@inline function source(o: i32, scale: f32): f32 { return max<f32>((<f32>o + 0.5) / scale - 0.5, 0); }

/** Bilinear upsampling (half-pixel centres); backward scatters each output's gradient to its 4 sources. */
export function upsampleBilinear(b: i32, h: i32, w: i32, c: i32, fh: i32, fw: i32, x: usize, y: usize, backward: i32, accumulate: i32): void {
  const oh = h * fh, ow = w * fw;
  if (backward && !accumulate) memory.fill(x, 0, <usize>(b * h * w * c) << 2);
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) {
    const sy = source(oy, <f32>fh);
    const y0 = min(<i32>sy, h - 1), y1 = min(y0 + 1, h - 1);
    const ly = sy - <f32>y0;
    for (let ox = 0; ox < ow; ox++) {
      const sx = source(ox, <f32>fw);
      const x0 = min(<i32>sx, w - 1), x1 = min(x0 + 1, w - 1);
      const lx = sx - <f32>x0;
      const my: f32 = <f32>1 - ly, mx: f32 = <f32>1 - lx;
      const w00 = my * mx, w01 = my * lx, w10 = ly * mx, w11 = ly * lx;
      const i00 = ((n * h + y0) * w + x0) * c, i01 = ((n * h + y0) * w + x1) * c;
      const i10 = ((n * h + y1) * w + x0) * c, i11 = ((n * h + y1) * w + x1) * c;
      const o = ((n * oh + oy) * ow + ox) * c;
      let ci = 0;
      if (!backward) {
        const v00 = f32x4.splat(w00), v01 = f32x4.splat(w01), v10 = f32x4.splat(w10), v11 = f32x4.splat(w11);
        for (; ci + 4 <= c; ci += 4) {
          const s = f32x4.add(
            f32x4.add(f32x4.mul(v00, v128.load(x + (<usize>(i00 + ci) << 2))), f32x4.mul(v01, v128.load(x + (<usize>(i01 + ci) << 2)))),
            f32x4.add(f32x4.mul(v10, v128.load(x + (<usize>(i10 + ci) << 2))), f32x4.mul(v11, v128.load(x + (<usize>(i11 + ci) << 2)))));
          v128.store(y + (<usize>(o + ci) << 2), s);
        }
        for (; ci < c; ci++) put(y, o + ci, w00 * f(x, i00 + ci) + w01 * f(x, i01 + ci) + w10 * f(x, i10 + ci) + w11 * f(x, i11 + ci));
      } else {
        // The four sources may coincide at the border: each add reads what the previous wrote.
        addScaled4(x, i00, y, o, c, w00); addScaled4(x, i01, y, o, c, w01);
        addScaled4(x, i10, y, o, c, w10); addScaled4(x, i11, y, o, c, w11);
      }
    }
  }
}

/** dst[at .. at+c) += scale * src[from .. from+c), four lanes at a time. */
@inline function addScaled4(dst: usize, at: i32, src: usize, from: i32, c: i32, scale: f32): void {
  const v = f32x4.splat(scale);
  let ci = 0;
  for (; ci + 4 <= c; ci += 4) {
    const p = dst + (<usize>(at + ci) << 2);
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(v, v128.load(src + (<usize>(from + ci) << 2)))));
  }
  for (; ci < c; ci++) put(dst, at + ci, f(dst, at + ci) + scale * f(src, from + ci));
}

/**
 * Between a small [sh, sw] and a large [lh, lw] image placed at (top, left) inside it:
 * toLarge writes the large one (zeros around, as zero padding, or the adjoint of cropping);
 * otherwise the window is read out (cropping, or the adjoint of zero padding).
 */
export function window2d(b: i32, sh: i32, sw: i32, lh: i32, lw: i32, c: i32, top: i32, left: i32,
  small: usize, large: usize, toLarge: i32, accumulate: i32): void {
  const run = <usize>(sw * c) << 2;
  if (toLarge && !accumulate) {
    // Zeros around the window only (the window itself is written below): a conv batch's large
    // images are megabytes, and filling them whole first doubles the stores.
    const row = <usize>(lw * c) << 2;
    const leftBytes = <usize>(left * c) << 2;
    const rightBytes = row - leftBytes - run;
    for (let n = 0; n < b; n++) {
      const img = large + <usize>(n * lh) * row;
      memory.fill(img, 0, <usize>top * row);
      for (let y = 0; y < sh; y++) {
        const r = img + <usize>(y + top) * row;
        memory.fill(r, 0, leftBytes);
        memory.fill(r + leftBytes + run, 0, rightBytes);
      }
      memory.fill(img + <usize>(top + sh) * row, 0, <usize>(lh - top - sh) * row);
    }
  }
  for (let n = 0; n < b; n++) for (let y = 0; y < sh; y++) {
    const s = small + (<usize>((n * sh + y) * sw * c) << 2);
    const l = large + (<usize>(((n * lh + y + top) * lw + left) * c) << 2);
    if (toLarge) {
      if (accumulate) addScaled4(l, 0, s, 0, sw * c, 1); else memory.copy(l, s, run);
    } else {
      if (accumulate) addScaled4(s, 0, l, 0, sw * c, 1); else memory.copy(s, l, run);
    }
  }
}

/** Mean over the hw positions per channel; backward spreads dy / hw back. */
export function globalAvgPool(b: i32, hw: i32, c: i32, x: usize, y: usize, backward: i32, accumulate: i32): void {
  const inv: f32 = <f32>1 / <f32>hw;
  const vinv = f32x4.splat(inv);
  for (let n = 0; n < b; n++) {
    let ci = 0;
    for (; ci + 4 <= c; ci += 4) {
      if (!backward) {
        let s = f32x4.splat(0);
        for (let p = 0; p < hw; p++) s = f32x4.add(s, v128.load(x + (<usize>((n * hw + p) * c + ci) << 2)));
        v128.store(y + (<usize>(n * c + ci) << 2), f32x4.mul(s, vinv));
      } else {
        const g = f32x4.mul(v128.load(y + (<usize>(n * c + ci) << 2)), vinv);
        for (let p = 0; p < hw; p++) {
          const q = x + (<usize>((n * hw + p) * c + ci) << 2);
          v128.store(q, accumulate ? f32x4.add(v128.load(q), g) : g);
        }
      }
    }
    for (; ci < c; ci++) {
      if (!backward) {
        let s: f32 = 0;
        for (let p = 0; p < hw; p++) s += f(x, (n * hw + p) * c + ci);
        put(y, n * c + ci, s * inv);
      } else {
        const g = f(y, n * c + ci) * inv;
        for (let p = 0; p < hw; p++) { const i = (n * hw + p) * c + ci; put(x, i, accumulate ? f(x, i) + g : g); }
      }
    }
  }
}
