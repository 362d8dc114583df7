// Element-wise and reduction kernels over planned buffers: activations, bias gradients,
// dropout/noise application, copies and norms. All pointers are byte offsets into the one memory.

import { activate, derivativeFromOutput, geluDerivative, ACT_ELU, ACT_GELU, ACT_LINEAR, ACT_RELU, ACT_SIGMOID } from './activation';
import { eluDerivativeVec, eluVec, sigmoidVec, vOne, vZero } from './simd_math';

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

export function activationForward(n: i32, x: usize, y: usize, act: i32, alpha: f32): void {
  let i = 0;
  // One loop per activation: V8 does not unswitch loops, so a branch inside would run per vector.
  if (act == ACT_RELU) {
    for (; i + 4 <= n; i += 4) { const off = <usize>i << 2; v128.store(y + off, f32x4.pmax(v128.load(x + off), vZero())); }
  } else if (act == ACT_SIGMOID) {
    for (; i + 4 <= n; i += 4) { const off = <usize>i << 2; v128.store(y + off, sigmoidVec(v128.load(x + off))); }
  } else if (act == ACT_ELU) {
    const a = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) { const off = <usize>i << 2; v128.store(y + off, eluVec(v128.load(x + off), a)); }
  } else if (act == ACT_LINEAR) {
    memory.copy(y, x, <usize>n << 2); return;
  }
  for (; i < n; i++) put(y, i, activate(f(x, i), act, alpha));
}

/** dz (+)= dy * f'(.) where f' comes from y (or from z for GELU: pass z as y). */
export function activationBackward(n: i32, y: usize, dy: usize, dz: usize, act: i32, alpha: f32, accumulate: i32): void {
  let i = 0;
  if (!accumulate) {
    // The common cases get a loop each (see activationForward on why).
    if (act == ACT_RELU) {
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i << 2;
        v128.store(dz + off, v128.and(v128.load(dy + off), f32x4.gt(v128.load(y + off), vZero())));
      }
    } else if (act == ACT_SIGMOID) {
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i << 2;
        const v = v128.load(y + off);
        v128.store(dz + off, f32x4.mul(v128.load(dy + off), f32x4.mul(v, f32x4.sub(vOne(), v))));
      }
    } else if (act == ACT_ELU) {
      const a = f32x4.splat(alpha);
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i << 2;
        v128.store(dz + off, f32x4.mul(v128.load(dy + off), eluDerivativeVec(v128.load(y + off), a)));
      }
    } else if (act == ACT_LINEAR) {
      memory.copy(dz, dy, <usize>n << 2); return;
    }
  }
  for (; i < n; i++) {
    const d = act == ACT_GELU ? geluDerivative(f(y, i)) : derivativeFromOutput(f(y, i), act, alpha);
    const g = f(dy, i) * d;
    put(dz, i, accumulate ? f(dz, i) + g : g);
  }
}

/** db[j] (+)= sum over rows of d[i, j]. */
export function columnSum(rows: i32, cols: i32, d: usize, out: usize, accumulate: i32): void {
  if (!accumulate) for (let j = 0; j < cols; j++) put(out, j, 0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let s = v128.load(out + (<usize>j << 2));
    for (let i = 0; i < rows; i++) s = f32x4.add(s, v128.load(d + (<usize>(i * cols + j) << 2)));
    v128.store(out + (<usize>j << 2), s);
  }
  for (; j < cols; j++) {
    let s = f(out, j);
    for (let i = 0; i < rows; i++) s += f(d, i * cols + j);
    put(out, j, s);
  }
}

export function copy(n: i32, src: usize, dst: usize): void { memory.copy(dst, src, <usize>n << 2); }

export function fill(n: i32, dst: usize, value: f32): void {
  for (let i = 0; i < n; i++) put(dst, i, value);
}

/** y (+)= x */
export function addTo(n: i32, x: usize, y: usize, accumulate: i32): void {
  if (!accumulate) { memory.copy(y, x, <usize>n << 2); return; }
  for (let i = 0; i < n; i++) put(y, i, f(y, i) + f(x, i));
}

/** y = x * m (dropout with a precomputed scaled mask); also its backward with accumulate. */
export function multiply(n: i32, x: usize, m: usize, y: usize, accumulate: i32): void {
  for (let i = 0; i < n; i++) { const v = f(x, i) * f(m, i); put(y, i, accumulate ? f(y, i) + v : v); }
}

/** y = x + scale * noise */
export function addScaled(n: i32, x: usize, noise: usize, scale: f32, y: usize): void {
  for (let i = 0; i < n; i++) put(y, i, f(x, i) + scale * f(noise, i));
}

export function scale(n: i32, x: usize, s: f32): void {
  for (let i = 0; i < n; i++) put(x, i, f(x, i) * s);
}

export function clip(n: i32, x: usize, lo: f32, hi: f32): void {
  for (let i = 0; i < n; i++) put(x, i, min(max(f(x, i), lo), hi));
}

export function sumSquares(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) { const v = <f64>f(x, i); s += v * v; }
  return s;
}

export function sumAbs(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += Math.abs(<f64>f(x, i));
  return s;
}

/** g += l1 * sign(w) + 2 * l2 * w; returns l1 * sum|w| + l2 * sum w^2 (Keras regularizer semantics). */
export function regularize(n: i32, w: usize, g: usize, l1: f32, l2: f32): f64 {
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = f(w, i);
    loss += <f64>l1 * Math.abs(<f64>v) + <f64>l2 * <f64>v * <f64>v;
    const s: f32 = v > 0 ? 1 : (v < 0 ? -1 : 0);
    put(g, i, f(g, i) + l1 * s + 2 * l2 * v);
  }
  return loss;
}

/**
 * 1 when every value is in [lo, hi], else 0. NaN is in no range, so finite bounds (+-FLT_MAX) check
 * that every value is finite; [0, 1] that a batch suits a sigmoid output. A streamed fit checks
 * each batch this way after copying it in (a scan in JavaScript cost it a sixth of its time).
 */
export function allWithin(n: i32, x: usize, lo: f32, hi: f32): i32 {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  let inside = i32x4.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    inside = v128.and(inside, v128.and(f32x4.ge(v, vlo), f32x4.le(v, vhi)));
  }
  if (!i32x4.all_true(inside)) return 0;
  for (; i < n; i++) { const v = f(x, i); if (!(v >= lo && v <= hi)) return 0; }
  return 1;
}

/** dst rows i = src rows order[start + i] (order holds i32 row numbers): one batch of a shuffled epoch. */
export function gatherRows(count: i32, rowFloats: i32, src: usize, order: usize, start: i32, dst: usize): void {
  const bytes = <usize>rowFloats << 2;
  for (let i = 0; i < count; i++) {
    const row = <usize>load<i32>(order + (<usize>(start + i) << 2));
    memory.copy(dst + <usize>i * bytes, src + row * bytes, bytes);
  }
}
