// Batch normalization over the last axis of a [rows, channels] buffer (rows = batch, or batch*H*W).
// Training uses batch statistics (biased variance, as Keras) and updates the moving averages.

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

/** Writes xhat (for backward), y, batch mean and inverse std; updates moving stats. */
export function batchNormTrain(rows: i32, ch: i32, x: usize, y: usize, xhat: usize, gamma: usize, beta: usize,
  mean: usize, invStd: usize, movingMean: usize, movingVar: usize, momentum: f32, eps: f32): void {
  for (let c = 0; c < ch; c++) {
    let s: f64 = 0;
    for (let r = 0; r < rows; r++) s += <f64>f(x, r * ch + c);
    const mu = s / <f64>rows;
    let q: f64 = 0;
    for (let r = 0; r < rows; r++) { const d = <f64>f(x, r * ch + c) - mu; q += d * d; }
    const variance = q / <f64>rows;
    const inv = <f32>(1.0 / Math.sqrt(variance + <f64>eps));
    put(mean, c, <f32>mu); put(invStd, c, inv);
    put(movingMean, c, f(movingMean, c) * momentum + <f32>mu * (1 - momentum));
    put(movingVar, c, f(movingVar, c) * momentum + <f32>variance * (1 - momentum));
    const g = f(gamma, c), b = f(beta, c), m = <f32>mu;
    for (let r = 0; r < rows; r++) {
      const h = (f(x, r * ch + c) - m) * inv;
      put(xhat, r * ch + c, h);
      put(y, r * ch + c, g * h + b);
    }
  }
}

export function batchNormInference(rows: i32, ch: i32, x: usize, y: usize, gamma: usize, beta: usize,
  movingMean: usize, movingVar: usize, eps: f32): void {
  for (let c = 0; c < ch; c++) {
    const inv: f32 = 1 / Mathf.sqrt(f(movingVar, c) + eps);
    const g: f32 = f(gamma, c) * inv;
    const b: f32 = f(beta, c) - f(movingMean, c) * g;
    for (let r = 0; r < rows; r++) put(y, r * ch + c, f(x, r * ch + c) * g + b);
  }
}

/** dx (+)= gamma*inv/N * (N*dy - sum(dy) - xhat*sum(dy*xhat)); dgamma, dbeta overwritten or accumulated. */
export function batchNormBackward(rows: i32, ch: i32, dy: usize, xhat: usize, gamma: usize, invStd: usize,
  dx: usize, dgamma: usize, dbeta: usize, accumulateInput: i32, accumulateParams: i32): void {
  for (let c = 0; c < ch; c++) {
    let sdy: f64 = 0, sdyx: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const d = <f64>f(dy, r * ch + c);
      sdy += d; sdyx += d * <f64>f(xhat, r * ch + c);
    }
    put(dbeta, c, (accumulateParams ? f(dbeta, c) : 0) + <f32>sdy);
    put(dgamma, c, (accumulateParams ? f(dgamma, c) : 0) + <f32>sdyx);
    if (!dx) continue;
    const k = f(gamma, c) * f(invStd, c) / <f32>rows;
    const a = <f32>sdy, b = <f32>sdyx;
    for (let r = 0; r < rows; r++) {
      const i = r * ch + c;
      const v = k * (<f32>rows * f(dy, i) - a - f(xhat, i) * b);
      put(dx, i, accumulateInput ? f(dx, i) + v : v);
    }
  }
}
