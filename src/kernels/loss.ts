// Loss kernels: each returns the summed loss and writes d(mean loss)/d(prediction) scaled by 1/count.
// Binary cross-entropy has a fused variant that works on logits, stable for saturated outputs.

import { expNonPositive, log1pUnit, vOne, vZero } from './simd_math';

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

// Sums four f32 lanes into f64 so long batches keep the loss accurate.
@inline function sumLanes(acc: v128, v: v128): v128 {
  return f64x2.add(f64x2.add(acc, f64x2.promote_low_f32x4(v)), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
}
@inline function total(acc: v128): f64 { return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1); }

export function mse(n: i32, y: usize, t: usize, grad: usize, invCount: f32): f64 {
  let acc = f64x2.splat(0);
  const two = f32x4.splat(2 * invCount);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const d = f32x4.sub(v128.load(y + off), v128.load(t + off));
    acc = sumLanes(acc, f32x4.mul(d, d));
    if (grad) v128.store(grad + off, f32x4.mul(d, two));
  }
  let s = total(acc);
  for (; i < n; i++) {
    const d = f(y, i) - f(t, i);
    s += <f64>d * <f64>d;
    if (grad) put(grad, i, 2 * d * invCount);
  }
  return s;
}

export function mae(n: i32, y: usize, t: usize, grad: usize, invCount: f32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = f(y, i) - f(t, i);
    s += Math.abs(<f64>d);
    if (grad) put(grad, i, (d > 0 ? invCount : (d < 0 ? -invCount : 0)));
  }
  return s;
}

export function huber(n: i32, y: usize, t: usize, grad: usize, invCount: f32, delta: f32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = f(y, i) - f(t, i);
    const a = Mathf.abs(d);
    if (a <= delta) { s += 0.5 * <f64>d * <f64>d; if (grad) put(grad, i, d * invCount); }
    else { s += <f64>delta * (<f64>a - 0.5 * <f64>delta); if (grad) put(grad, i, (d > 0 ? delta : -delta) * invCount); }
  }
  return s;
}

/** BCE on probabilities, clamped like Keras (epsilon 1e-7) so log never sees 0. */
export function binaryCrossentropy(n: i32, y: usize, t: usize, grad: usize, invCount: f32): f64 {
  const eps: f32 = 1e-7;
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const p = min(max(f(y, i), eps), 1 - eps);
    const tt = f(t, i);
    s -= <f64>tt * Math.log(<f64>p) + (1 - <f64>tt) * Math.log(1 - <f64>p);
    if (grad) {
      const raw = f(y, i);
      put(grad, i, raw > eps && raw < 1 - eps ? (p - tt) / (p * (1 - p)) * invCount : 0);
    }
  }
  return s;
}

/**
 * BCE fused with the sigmoid of the output layer: z are logits, y receives sigmoid(z),
 * grad receives d loss / d z = (sigmoid(z) - t) / count.
 */
export function binaryCrossentropyLogits(n: i32, z: usize, y: usize, t: usize, grad: usize, invCount: f32): f64 {
  let acc = f64x2.splat(0);
  const inv = f32x4.splat(invCount);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const one = vOne(), zero = vZero();
    const x = v128.load(z + off), tt = v128.load(t + off);
    const e = expNonPositive(f32x4.neg(f32x4.abs(x)));
    // loss = max(x, 0) - x t + log(1 + e^-|x|)
    acc = sumLanes(acc, f32x4.add(f32x4.sub(f32x4.pmax(x, zero), f32x4.mul(x, tt)), log1pUnit(e)));
    const r = f32x4.div(one, f32x4.add(one, e));
    const p = v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, zero));
    v128.store(y + off, p);
    if (grad) v128.store(grad + off, f32x4.mul(f32x4.sub(p, tt), inv));
  }
  let s = total(acc);
  for (; i < n; i++) {
    const x = f(z, i), tt = f(t, i);
    const ax = Mathf.abs(x);
    const e = Mathf.exp(-ax);
    s += <f64>(max<f32>(x, 0) - x * tt) + Math.log1p(<f64>e);
    const p: f32 = x >= 0 ? 1 / (1 + e) : e / (1 + e);
    put(y, i, p);
    if (grad) put(grad, i, (p - tt) * invCount);
  }
  return s;
}
