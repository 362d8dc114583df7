// Vector (4 x f32) exp, log1p, sigmoid and elu for the hot element-wise paths: the output sigmoid and
// binary cross-entropy run on every pixel of every step, where scalar libm calls dominated.
//
// Constants come from a table in memory, not v128.const: V8 re-materializes each SIMD constant
// inside the loop with three instructions, while a table load is one (and often folds).

// Each constant is stored four times (one v128); indices below are v128 slots.
const TABLE: usize = memory.data<f32>([
  -87.0, -87.0, -87.0, -87.0,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  0.693359375, 0.693359375, 0.693359375, 0.693359375,
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4,
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1.0, 1.0, 1.0, 1.0,
  2.0, 2.0, 2.0, 2.0,
  0.0769230769, 0.0769230769, 0.0769230769, 0.0769230769,
  0.0909090909, 0.0909090909, 0.0909090909, 0.0909090909,
  0.1111111111, 0.1111111111, 0.1111111111, 0.1111111111,
  0.1428571429, 0.1428571429, 0.1428571429, 0.1428571429,
  0.2, 0.2, 0.2, 0.2,
  0.3333333333, 0.3333333333, 0.3333333333, 0.3333333333,
  0.0, 0.0, 0.0, 0.0,
  -0.0, -0.0, -0.0, -0.0,
], 16);

@inline export function K(slot: i32): v128 { return v128.load(TABLE + (<usize>slot << 4)); }
// Exported for kernels that interleave two evaluations by hand (loss.ts).
export const EXP_LO = 0, MAGIC = 1, LOG2E = 2, LN2_HI = 3, LN2_LO = 4, P0 = 5, P1 = 6, P2 = 7, P3 = 8, P4 = 9, P5 = 10;
export const ONE = 11, TWO = 12, S13 = 13, S11 = 14, S9 = 15, S7 = 16, S5 = 17, S3 = 18, ZERO = 19, SIGN = 20;

@inline export function vOne(): v128 { return K(ONE); }
@inline export function vZero(): v128 { return K(ZERO); }

/** -|x|: the sign bit set with one OR (negating the absolute value costs two constant ops). */
@inline export function negAbs(x: v128): v128 { return v128.or(x, K(SIGN)); }

/** exp(x) for x <= 0 (what sigmoid and BCE need), relative error ~2 ulp; 0 below -87. */
@inline export function expNonPositive(x: v128): v128 {
  const lo = K(EXP_LO);
  const below = f32x4.lt(x, lo);
  // A blend, not f32x4.max: wasm's max has NaN/zero-sign rules that cost ~8 x86 instructions.
  const xc = v128.bitselect(lo, x, below);
  // n = round(x / ln2) by the 1.5*2^23 trick: adding it rounds, and its low bits hold n as an integer.
  const magic = K(MAGIC);
  const shifted = f32x4.add(f32x4.mul(xc, K(LOG2E)), magic);
  const n = f32x4.sub(shifted, magic);
  // r = x - n ln2, with ln2 split in two so r stays exact.
  let r = f32x4.sub(xc, f32x4.mul(n, K(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, K(LN2_LO)));
  // Cephes expf polynomial on [-ln2/2, ln2/2], evaluated by Estrin's scheme: half the dependent
  // steps of Horner's, and these kernels are bound by the chain's latency, not by instruction count.
  const r2 = f32x4.mul(r, r), r4 = f32x4.mul(r2, r2);
  const c01 = f32x4.add(f32x4.mul(K(P0), r), K(P1));
  const c23 = f32x4.add(f32x4.mul(K(P2), r), K(P3));
  const c45 = f32x4.add(f32x4.mul(K(P4), r), K(P5));
  let p = f32x4.add(f32x4.mul(c01, r4), f32x4.add(f32x4.mul(c23, r2), c45));
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), K(ONE));
  // Scale by 2^n through the exponent bits (127 << 23 is the bit pattern of 1.0f). The shifted
  // value's bits are MAGIC's plus n, and MAGIC's low nine bits are zero: shifted left by 23 they
  // leave exactly n << 23, so n needs no integer subtraction first.
  const pow2 = i32x4.add(i32x4.shl(shifted, 23), K(ONE));
  // Underflow to 0 below -87; NaN passes through so diverging training is still detected.
  return v128.andnot(f32x4.mul(p, pow2), below);
}

/** log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3, series to s^13. */
@inline export function log1pUnit(e: v128): v128 {
  return log1pAtanh(f32x4.div(e, f32x4.add(e, K(TWO))));
}

/** log(1 + e) = 2 atanh(s) given s = e / (2 + e) in [0, 1/3] (callers that share a division pass s). */
@inline export function log1pAtanh(s: v128): v128 {
  const two = K(TWO);
  // 1 + S3 u + S5 u^2 + ... + S13 u^6 in u = s^2, by Estrin's scheme (see expNonPositive).
  const u = f32x4.mul(s, s), u2 = f32x4.mul(u, u), u4 = f32x4.mul(u2, u2);
  const a = f32x4.add(f32x4.mul(K(S3), u), K(ONE));
  const b = f32x4.add(f32x4.mul(K(S7), u), K(S5));
  const c = f32x4.add(f32x4.mul(K(S11), u), K(S9));
  const p = f32x4.add(f32x4.add(a, f32x4.mul(u2, b)), f32x4.mul(u4, f32x4.add(c, f32x4.mul(u2, K(S13)))));
  return f32x4.mul(f32x4.mul(p, s), two);
}

/** elu(x) = x for x > 0, alpha (e^x - 1) below (alpha splatted by the caller). */
@inline export function eluVec(x: v128, alpha: v128): v128 {
  const positive = f32x4.gt(x, K(ZERO));
  const e = expNonPositive(v128.andnot(x, positive));
  return v128.bitselect(x, f32x4.mul(alpha, f32x4.sub(e, K(ONE))), positive);
}

/** elu'(z) from y = elu(z): 1 where y > 0, y + alpha below. */
@inline export function eluDerivativeVec(y: v128, alpha: v128): v128 {
  return v128.bitselect(K(ONE), f32x4.add(y, alpha), f32x4.gt(y, K(ZERO)));
}

/** sigmoid(x) = 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below, from one exp(-|x|). */
@inline export function sigmoidVec(x: v128): v128 {
  const e = expNonPositive(f32x4.neg(f32x4.abs(x)));
  const one = K(ONE);
  const inv = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(x, K(ZERO)));
}
