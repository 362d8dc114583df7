// Optimizer updates, one pass over a parameter tensor each, following PyTorch's formulas
// (the fixtures come from torch.optim).

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

/** Adam / AdamW: decoupledDecay multiplies w by (1 - lr*wd) first; bc1/bc2 are 1 - beta^t. */
export function adam(n: i32, w: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32,
  eps: f32, bc1: f32, bc2: f32, decoupledDecay: f32): void {
  const stepSize = lr / bc1;
  const invBc2Sqrt: f32 = <f32>1 / Mathf.sqrt(bc2);
  const keep: f32 = <f32>1 - lr * decoupledDecay;
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(1 - beta1), c2 = f32x4.splat(1 - beta2);
  const vEps = f32x4.splat(eps), vStep = f32x4.splat(stepSize), vInv = f32x4.splat(invBc2Sqrt), vKeep = f32x4.splat(keep);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const gi = v128.load(g + off);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + off)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + off)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + off, mi); v128.store(v + off, vi);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), vInv), vEps);
    v128.store(w + off, f32x4.sub(f32x4.mul(v128.load(w + off), vKeep), f32x4.div(f32x4.mul(vStep, mi), denom)));
  }
  for (; i < n; i++) {
    const gi = f(g, i);
    const mi = beta1 * f(m, i) + (1 - beta1) * gi;
    const vi = beta2 * f(v, i) + (1 - beta2) * gi * gi;
    put(m, i, mi); put(v, i, vi);
    put(w, i, f(w, i) * keep - stepSize * mi / (Mathf.sqrt(vi) * invBc2Sqrt + eps));
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
