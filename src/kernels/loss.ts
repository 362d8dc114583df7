// Loss kernels: each returns the summed loss and writes d(mean loss)/d(prediction) scaled by 1/count.
// Binary cross-entropy has a fused variant that works on logits, stable for saturated outputs.

import { expNonPositive, K, log1pAtanh, negAbs, vOne, vZero, EXP_LO, MAGIC, LOG2E, LN2_HI, LN2_LO, P0, P1, P2, P3, P4, P5, S13, S11, S9, S7, S5, S3, TWO } from './simd_math';

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
  // Two vectors per pass, their steps interleaved by hand: each value's exp -> division -> log
  // series is one long dependency chain, and neither V8 nor the CPU's out-of-order window
  // overlaps two consecutive values far enough on its own (measured: the single-chain loop ran at
  // about a third of its instruction throughput).
  for (; i + 8 <= n; i += 8) {
    const off = <usize>i << 2;
    acc = sumLanes(acc, bceLogitsPair(z + off, y + off, t + off, grad ? grad + off : 0, inv));
  }
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    acc = sumLanes(acc, bceLogitsVec(z + off, y + off, t + off, grad ? grad + off : 0, inv));
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

// Four values of the fused loss: stores sigmoid(z) and the gradient, returns the four losses.
// One division serves both 1/(1+e) (the sigmoid) and e/(2+e) (the log1p series):
// q = 1/((1+e)(2+e)), so 1/(1+e) = (2+e) q and e/(2+e) = e (1+e) q.
@inline function bceLogitsVec(z: usize, y: usize, t: usize, grad: usize, inv: v128): v128 {
  const one = vOne(), zero = vZero();
  const x = v128.load(z), tt = v128.load(t);
  const e = expNonPositive(negAbs(x));
  const onePlus = f32x4.add(one, e), twoPlus = f32x4.add(onePlus, one);
  const q = f32x4.div(one, f32x4.mul(onePlus, twoPlus));
  const r = f32x4.mul(twoPlus, q);
  // loss = max(x, 0) - x t + log(1 + e^-|x|)
  const loss = f32x4.add(f32x4.sub(f32x4.pmax(x, zero), f32x4.mul(x, tt)), log1pAtanh(f32x4.mul(f32x4.mul(e, onePlus), q)));
  const p = v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, zero));
  v128.store(y, p);
  if (grad) v128.store(grad, f32x4.mul(f32x4.sub(p, tt), inv));
  return loss;
}

// bceLogitsVec on two vectors (z..z+32) with every step written for a then b, so the two chains
// overlap; returns the eight losses summed to four lanes. Same operations, same results.
@inline function bceLogitsPair(z: usize, y: usize, t: usize, grad: usize, inv: v128): v128 {
  const one = vOne(), zero = vZero();
  const xa = v128.load(z), xb = v128.load(z, 16);
  // exp(-|x|), as expNonPositive.
  const lo = K(EXP_LO), magic = K(MAGIC), log2e = K(LOG2E);
  // Clamped at -87 by one max (NaN passes, as pmax keeps its first operand), without
  // expNonPositive's flush to 0 below: there e is exp(-87) ~ 1.6e-38 instead of 0, which changes
  // neither a loss term nor a probability by more than that.
  const ua = f32x4.pmax(negAbs(xa), lo), ub = f32x4.pmax(negAbs(xb), lo);
  const shA = f32x4.add(f32x4.mul(ua, log2e), magic), shB = f32x4.add(f32x4.mul(ub, log2e), magic);
  const nA = f32x4.sub(shA, magic), nB = f32x4.sub(shB, magic);
  const hi = K(LN2_HI), low = K(LN2_LO);
  let ra = f32x4.sub(ua, f32x4.mul(nA, hi)), rb = f32x4.sub(ub, f32x4.mul(nB, hi));
  ra = f32x4.sub(ra, f32x4.mul(nA, low)); rb = f32x4.sub(rb, f32x4.mul(nB, low));
  // The polynomial by Estrin's scheme, as expNonPositive.
  const ra2 = f32x4.mul(ra, ra), rb2 = f32x4.mul(rb, rb);
  const ra4 = f32x4.mul(ra2, ra2), rb4 = f32x4.mul(rb2, rb2);
  let c = K(P0), d = K(P1);
  const a01 = f32x4.add(f32x4.mul(c, ra), d), b01 = f32x4.add(f32x4.mul(c, rb), d);
  c = K(P2); d = K(P3);
  const a23 = f32x4.add(f32x4.mul(c, ra), d), b23 = f32x4.add(f32x4.mul(c, rb), d);
  c = K(P4); d = K(P5);
  const a45 = f32x4.add(f32x4.mul(c, ra), d), b45 = f32x4.add(f32x4.mul(c, rb), d);
  let pa = f32x4.add(f32x4.mul(a01, ra4), f32x4.add(f32x4.mul(a23, ra2), a45));
  let pb = f32x4.add(f32x4.mul(b01, rb4), f32x4.add(f32x4.mul(b23, rb2), b45));
  pa = f32x4.add(f32x4.add(f32x4.mul(pa, ra2), ra), one);
  pb = f32x4.add(f32x4.add(f32x4.mul(pb, rb2), rb), one);
  // 2^n from the shifted value's bits, as expNonPositive.
  const powA = i32x4.add(i32x4.shl(shA, 23), one), powB = i32x4.add(i32x4.shl(shB, 23), one);
  const ea = f32x4.mul(pa, powA), eb = f32x4.mul(pb, powB);
  // One division each for the sigmoid and the log1p series (see bceLogitsVec).
  const opA = f32x4.add(one, ea), opB = f32x4.add(one, eb);
  const tpA = f32x4.add(opA, one), tpB = f32x4.add(opB, one);
  const qa = f32x4.div(one, f32x4.mul(opA, tpA)), qb = f32x4.div(one, f32x4.mul(opB, tpB));
  const sa = f32x4.mul(f32x4.mul(ea, opA), qa), sb = f32x4.mul(f32x4.mul(eb, opB), qb);
  // log(1 + e) = 2 atanh(s), as log1pAtanh (Estrin's scheme in s^2).
  const wa = f32x4.mul(sa, sa), wb = f32x4.mul(sb, sb);
  const wa2 = f32x4.mul(wa, wa), wb2 = f32x4.mul(wb, wb);
  const wa4 = f32x4.mul(wa2, wa2), wb4 = f32x4.mul(wb2, wb2);
  c = K(S3);
  const a1 = f32x4.add(f32x4.mul(c, wa), one), b1 = f32x4.add(f32x4.mul(c, wb), one);
  c = K(S7); d = K(S5);
  const a2 = f32x4.add(f32x4.mul(c, wa), d), b2 = f32x4.add(f32x4.mul(c, wb), d);
  c = K(S11); d = K(S9);
  const a3 = f32x4.add(f32x4.mul(c, wa), d), b3 = f32x4.add(f32x4.mul(c, wb), d);
  c = K(S13);
  let la = f32x4.add(f32x4.add(a1, f32x4.mul(wa2, a2)), f32x4.mul(wa4, f32x4.add(a3, f32x4.mul(wa2, c))));
  let lb = f32x4.add(f32x4.add(b1, f32x4.mul(wb2, b2)), f32x4.mul(wb4, f32x4.add(b3, f32x4.mul(wb2, c))));
  const two = K(TWO);
  la = f32x4.mul(f32x4.mul(la, sa), two); lb = f32x4.mul(f32x4.mul(lb, sb), two);
  const ta = v128.load(t), tb = v128.load(t, 16);
  const lossA = f32x4.add(f32x4.sub(f32x4.pmax(xa, zero), f32x4.mul(xa, ta)), la);
  const lossB = f32x4.add(f32x4.sub(f32x4.pmax(xb, zero), f32x4.mul(xb, tb)), lb);
  const rA = f32x4.mul(tpA, qa), rB = f32x4.mul(tpB, qb);
  const yA = v128.bitselect(rA, f32x4.mul(ea, rA), f32x4.ge(xa, zero));
  const yB = v128.bitselect(rB, f32x4.mul(eb, rB), f32x4.ge(xb, zero));
  v128.store(y, yA); v128.store(y, yB, 16);
  if (grad) { v128.store(grad, f32x4.mul(f32x4.sub(yA, ta), inv)); v128.store(grad, f32x4.mul(f32x4.sub(yB, tb), inv), 16); }
  return f32x4.add(lossA, lossB);
}
