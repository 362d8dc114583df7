// Vector (4 x f32) exp, log1p and sigmoid for the hot element-wise paths: the output sigmoid and
// binary cross-entropy run on every pixel of every step, where scalar libm calls dominated.

/** exp(x) for x <= 0 (what sigmoid and BCE need), relative error ~2 ulp; 0 below -87. */
@inline export function expNonPositive(x: v128): v128 {
  const lo = f32x4.splat(-87.0);
  const xc = f32x4.max(x, lo);
  // n = round(x / ln2), r = x - n ln2 (ln2 split in two so r stays exact).
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  // Cephes expf polynomial on [-ln2/2, ln2/2].
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // Scale by 2^n through the exponent bits.
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const result = f32x4.mul(p, pow2);
  // Underflow to 0 below -87; NaN passes through so diverging training is still detected.
  return v128.andnot(result, f32x4.lt(x, lo));
}

/** log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3, series to s^13. */
@inline export function log1pUnit(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(e, f32x4.splat(2.0)));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.splat(1.0 / 13.0);
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 11.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 9.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 7.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 5.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 3.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0));
  return f32x4.mul(f32x4.mul(p, s), f32x4.splat(2.0));
}

/** sigmoid(x) = 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below, from one exp(-|x|). */
@inline export function sigmoidVec(x: v128): v128 {
  const e = expNonPositive(f32x4.neg(f32x4.abs(x)));
  const inv = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(x, f32x4.splat(0)));
}
