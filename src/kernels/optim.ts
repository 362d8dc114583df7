// Optimizer updates, one pass over a parameter tensor each, following PyTorch's formulas
// (the fixtures come from torch.optim).

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

/** Adam / AdamW: decoupledDecay multiplies w by (1 - lr*wd) first; bc1/bc2 are 1 - beta^t. */
export function adam(n: i32, w: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32,
  eps: f32, bc1: f32, bc2: f32, decoupledDecay: f32): void {
  const stepSize = lr / bc1;
  const bc2Sqrt = Mathf.sqrt(bc2);
  const keep: f32 = <f32>1 - lr * decoupledDecay;
  for (let i = 0; i < n; i++) {
    const gi = f(g, i);
    const mi = beta1 * f(m, i) + (1 - beta1) * gi;
    const vi = beta2 * f(v, i) + (1 - beta2) * gi * gi;
    put(m, i, mi); put(v, i, vi);
    put(w, i, f(w, i) * keep - stepSize * mi / (Mathf.sqrt(vi) / bc2Sqrt + eps));
  }
}

/** SGD with momentum (PyTorch: buf = mu*buf + g; Nesterov uses g + mu*buf). */
export function sgd(n: i32, w: usize, g: usize, buf: usize, lr: f32, momentum: f32, nesterov: i32): void {
  if (momentum == 0) {
    for (let i = 0; i < n; i++) put(w, i, f(w, i) - lr * f(g, i));
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = f(g, i);
    const b = momentum * f(buf, i) + gi;
    put(buf, i, b);
    put(w, i, f(w, i) - lr * (nesterov ? gi + momentum * b : b));
  }
}

/** RMSprop (PyTorch): sq = rho*sq + (1-rho) g^2; with momentum, buf = mu*buf + g/(sqrt(sq)+eps). */
export function rmsprop(n: i32, w: usize, g: usize, sq: usize, buf: usize, lr: f32, rho: f32, eps: f32, momentum: f32): void {
  for (let i = 0; i < n; i++) {
    const gi = f(g, i);
    const s = rho * f(sq, i) + (1 - rho) * gi * gi;
    put(sq, i, s);
    const step = gi / (Mathf.sqrt(s) + eps);
    if (momentum > 0) {
      const b = momentum * f(buf, i) + step;
      put(buf, i, b);
      put(w, i, f(w, i) - lr * b);
    } else {
      put(w, i, f(w, i) - lr * step);
    }
  }
}
