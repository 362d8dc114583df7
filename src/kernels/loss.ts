// Loss kernels: each returns the summed loss and writes d(mean loss)/d(prediction) scaled by 1/count.
// Binary cross-entropy has a fused variant that works on logits, stable for saturated outputs.

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

export function mse(n: i32, y: usize, t: usize, grad: usize, invCount: f32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
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
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
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
