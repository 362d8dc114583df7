// GEMM C = op(A) op(B) (+ C) (+ bias, activation): packed panels and a 4x8 SIMD micro-kernel.
// Transposes are absorbed by the packing routines, so one micro-kernel serves all four cases.

import { activate, ACT_ELU, ACT_LINEAR, ACT_RELU, ACT_LEAKY_RELU, ACT_SIGMOID } from './activation';
import { eluVec, sigmoidVec } from './simd_math';

const MR: i32 = 4;
const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 64;

// Each thread passes its own scratch; after the packed A block it holds a 4x8 edge tile and an
// 8-wide bias edge (for M or N not multiples of the tile), so threads never share a buffer.
const EDGE_FLOATS: i32 = MR * NR + NR;

/** Floats of scratch the caller must provide per thread: packed A block + edge tiles, and B panels. */
export function gemmScratchA(): i32 { return MC * KC * 4 + EDGE_FLOATS; }
export function gemmScratchB(n: i32): i32 { return KC * (((n + NR - 1) / NR) * NR); }

// Transposes a 4x4 block held in four vectors; used where packing turns rows into columns.
@inline function transposeStore(r0: v128, r1: v128, r2: v128, r3: v128, out: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(out + stride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(out + 2 * stride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(out + 3 * stride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

// Pack rows [i0, i0+mc) x cols [p0, p0+kc) of op(A) into 4-row panels laid out [k][4][4]: each
// value already splatted across a vector. The micro-kernel then reads A with plain vector loads,
// whose offsets V8 folds into the address; load-splats with offsets cost an address add each, and
// the kernel is bound by instruction count (4 fewer per k step: 35.7 -> see the commit).
function packA(a: usize, lda: i32, transA: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const panel = dst + (<usize>(ip * kc * 4) << 2);
    let k = 0;
    if (rows == MR) {
      const i = i0 + ip;
      if (transA) {
        // op(A) columns are A rows: four consecutive values per k.
        for (; k < kc; k++) splatStore(v128.load(a + (<usize>((p0 + k) * lda + i) << 2)), panel + (<usize>(k * 16) << 2));
      } else {
        const row0 = a + (<usize>(i * lda + p0) << 2), step = <usize>lda << 2;
        for (; k + 4 <= kc; k += 4) {
          const src = row0 + (<usize>k << 2);
          const r0 = v128.load(src), r1 = v128.load(src + step), r2 = v128.load(src + 2 * step), r3 = v128.load(src + 3 * step);
          // Column j of the 4x4 block is (r0[j], r1[j], r2[j], r3[j]): the four rows at k + j.
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const out = panel + (<usize>(k * 16) << 2);
          splatStore(i32x4.shuffle(t0, t2, 0, 1, 4, 5), out);
          splatStore(i32x4.shuffle(t0, t2, 2, 3, 6, 7), out + 64);
          splatStore(i32x4.shuffle(t1, t3, 0, 1, 4, 5), out + 128);
          splatStore(i32x4.shuffle(t1, t3, 2, 3, 6, 7), out + 192);
        }
      }
    }
    for (; k < kc; k++) {
      const out = panel + (<usize>(k * 16) << 2);
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = i0 + ip + r, kk = p0 + k;
          v = transA ? load<f32>(a + (<usize>(kk * lda + i) << 2)) : load<f32>(a + (<usize>(i * lda + kk) << 2));
        }
        v128.store(out + (<usize>(r * 4) << 2), f32x4.splat(v));
      }
    }
  }
}

// Stores the four lanes of v as four splatted vectors.
@inline function splatStore(v: v128, out: usize): void {
  v128.store(out, i32x4.shuffle(v, v, 0, 0, 0, 0));
  v128.store(out, i32x4.shuffle(v, v, 1, 1, 1, 1), 16);
  v128.store(out, i32x4.shuffle(v, v, 2, 2, 2, 2), 32);
  v128.store(out, i32x4.shuffle(v, v, 3, 3, 3, 3), 48);
}

// Pack rows [p0, p0+kc) x all n columns of op(B) into 8-column panels laid out [k][8].
function packB(b: usize, ldb: i32, transB: i32, n: i32, p0: i32, kc: i32, dst: usize): void {
  for (let jp = 0; jp < n; jp += NR) {
    const cols = min(NR, n - jp);
    const panel = dst + (<usize>(jp * kc) << 2);
    let k = 0;
    if (cols == NR) {
      if (!transB) {
        for (; k < kc; k++) {
          const src = b + (<usize>((p0 + k) * ldb + jp) << 2);
          const out = panel + (<usize>(k * NR) << 2);
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        }
      } else {
        // op(B) rows are B columns: transpose 4x4 blocks, two per 8-wide panel.
        const step = <usize>ldb << 2;
        for (; k + 4 <= kc; k += 4) {
          for (let h = 0; h < 2; h++) {
            const src = b + (<usize>((jp + 4 * h) * ldb + p0 + k) << 2);
            transposeStore(v128.load(src), v128.load(src + step), v128.load(src + 2 * step), v128.load(src + 3 * step),
              panel + (<usize>(k * NR + 4 * h) << 2), 32);
          }
        }
      }
    }
    for (; k < kc; k++) {
      const out = panel + (<usize>(k * NR) << 2);
      const kk = p0 + k;
      for (let c = 0; c < NR; c++) {
        let v: f32 = 0;
        if (c < cols) {
          const j = jp + c;
          v = transB ? load<f32>(b + (<usize>(j * ldb + kk) << 2)) : load<f32>(b + (<usize>(kk * ldb + j) << 2));
        }
        store<f32>(out + (<usize>c << 2), v);
      }
    }
  }
}

// a * b + c: one fused multiply-add where the build has relaxed SIMD, else a multiply and an add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function epilogueVec(c: v128, bias: v128, act: i32, alpha: f32): v128 {
  c = f32x4.add(c, bias);
  // pmax(c, 0) is one maxps and keeps NaN (c < 0 is false for NaN).
  if (act == ACT_RELU) return f32x4.pmax(c, f32x4.splat(0));
  if (act == ACT_LEAKY_RELU) {
    return v128.bitselect(c, f32x4.mul(c, f32x4.splat(alpha)), f32x4.gt(c, f32x4.splat(0)));
  }
  if (act == ACT_SIGMOID) return sigmoidVec(c);
  if (act == ACT_ELU) return eluVec(c, f32x4.splat(alpha));
  return c;
}

// One 4x8 tile: c (+)= pa * pb over kc; on the last K block add bias and apply the activation.
// lda == 0: pa is a packed panel [k][4]. lda > 0: pa is row 0 of four rows of a row-major A,
// lda floats apart, read in place (for narrow products, where packing A would cost as much as
// the arithmetic it feeds).
@inline function microKernel(kc: i32, pa: usize, lda: i32, pb: usize, c: usize, ldc: i32, rows: i32, cols: i32,
  accumulate: bool, last: bool, bias: usize, act: i32, alpha: f32, EDGE: usize): void {
  const BIAS_EDGE = EDGE + (<usize>(MR * NR) << 2);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (lda == 0) {
    // The packed panel's end bounds the loop: one induction variable fewer than counting k.
    const end = pa + (<usize>kc << 6);
    for (; pa < end;) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let a = v128.load(pa);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load(pa, 16);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load(pa, 32);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load(pa, 48);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      pa += 64; pb += 32;
    }
  } else {
    const step = <usize>lda << 2;
    let r0 = pa, r1 = pa + step, r2 = pa + 2 * step, r3 = pa + 3 * step;
    const end = pa + (<usize>kc << 2);
    for (; r0 < end;) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let a = v128.load32_splat(r0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(r1);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(r2);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(r3);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      r0 += 4; r1 += 4; r2 += 4; r3 += 4; pb += 32;
    }
  }
  const full = rows == MR && cols == NR;
  // Edge tiles go through EDGE so the vector code below never touches memory outside C.
  let dst = c, ld = ldc;
  if (!full) {
    dst = EDGE; ld = NR;
    for (let r = 0; r < MR; r++) for (let j = 0; j < NR; j++) {
      store<f32>(EDGE + (<usize>(r * NR + j) << 2), accumulate && r < rows && j < cols ? load<f32>(c + (<usize>(r * ldc + j) << 2)) : 0);
    }
  }
  const row1 = dst + (<usize>ld << 2), row2 = dst + (<usize>(2 * ld) << 2), row3 = dst + (<usize>(3 * ld) << 2);
  if (accumulate || !full) {
    c00 = f32x4.add(c00, v128.load(dst)); c01 = f32x4.add(c01, v128.load(dst, 16));
    c10 = f32x4.add(c10, v128.load(row1)); c11 = f32x4.add(c11, v128.load(row1, 16));
    c20 = f32x4.add(c20, v128.load(row2)); c21 = f32x4.add(c21, v128.load(row2, 16));
    c30 = f32x4.add(c30, v128.load(row3)); c31 = f32x4.add(c31, v128.load(row3, 16));
  }
  if (last) {
    let bv0 = f32x4.splat(0), bv1 = f32x4.splat(0);
    if (bias) {
      if (cols == NR) { bv0 = v128.load(bias); bv1 = v128.load(bias, 16); }
      else {
        for (let j = 0; j < NR; j++) store<f32>(BIAS_EDGE + (<usize>j << 2), j < cols ? load<f32>(bias + (<usize>j << 2)) : 0);
        bv0 = v128.load(BIAS_EDGE); bv1 = v128.load(BIAS_EDGE, 16);
      }
    }
    c00 = epilogueVec(c00, bv0, act, alpha); c01 = epilogueVec(c01, bv1, act, alpha);
    c10 = epilogueVec(c10, bv0, act, alpha); c11 = epilogueVec(c11, bv1, act, alpha);
    c20 = epilogueVec(c20, bv0, act, alpha); c21 = epilogueVec(c21, bv1, act, alpha);
    c30 = epilogueVec(c30, bv0, act, alpha); c31 = epilogueVec(c31, bv1, act, alpha);
  }
  v128.store(dst, c00); v128.store(dst, c01, 16);
  if (full || rows > 1) { v128.store(row1, c10); v128.store(row1, c11, 16); }
  if (full || rows > 2) { v128.store(row2, c20); v128.store(row2, c21, 16); }
  if (full || rows > 3) { v128.store(row3, c30); v128.store(row3, c31, 16); }
  const scalarAct = last && act != ACT_LINEAR && act != ACT_RELU && act != ACT_LEAKY_RELU && act != ACT_SIGMOID && act != ACT_ELU;
  if (scalarAct) {
    // Transcendental activations run on the tile while it is still in L1.
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      const p = dst + (<usize>(r * ld + j) << 2);
      store<f32>(p, activate(load<f32>(p), act, alpha));
    }
  }
  if (!full) {
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
      store<f32>(c + (<usize>(r * ldc + j) << 2), load<f32>(EDGE + (<usize>(r * NR + j) << 2)));
    }
  }
}

/**
 * C[m,n] = op(A)[m,k] op(B)[k,n] (+ C if accumulate), then + bias[n] and activation.
 * op(A) is A[k,m]^T when transA; op(B) is B[n,k]^T when transB. Row-major, leading dimensions given.
 * Rows [r0, r1) only, so callers can split one product across threads.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, lda: i32, transA: i32, b: usize, ldb: i32, transB: i32,
  c: usize, ldc: i32, accumulate: i32, bias: usize, act: i32, alpha: f32, scratchA: usize, scratchB: usize,
  r0: i32, r1: i32): void {
  // One output column (a one-channel output convolution, its weight gradient): an 8-wide tile
  // would waste 7/8 of its work, so these run as matrix-vector products.
  if (n == 1 && k > 0) {
    const bStride = transB ? 1 : ldb;
    if (!transA) { gemvRows(k, a, lda, b, bStride, c, ldc, accumulate, bias, act, alpha, r0, r1); return; }
    gemvColumns(k, a, lda, b, bStride, c, ldc, accumulate, bias, act, alpha, r0, r1); return;
  }
  if (k == 0) {
    // Degenerate product: only the epilogue applies.
    for (let i = r0; i < r1; i++) for (let j = 0; j < n; j++) {
      const p = c + (<usize>(i * ldc + j) << 2);
      let v: f32 = accumulate ? load<f32>(p) : 0;
      if (bias) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(p, activate(v, act, alpha));
    }
    return;
  }
  const edge = scratchA + (<usize>(MC * KC * 4) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const last = p0 + kc == k;
    const acc = accumulate != 0 || p0 > 0;
    packB(b, ldb, transB, n, p0, kc, scratchB);
    // Up to 16 column panels, reading A in place beats packing it (packing writes each value
    // four times, splatted, and is amortized over only n / 8 tiles): measured 1.15x at n = 32,
    // 1.10x at 48, 1.07x at 64, 1.02x at 128 (k = 784); at n = 256 and beyond packing wins.
    const direct = !transA && n <= 16 * NR;
    for (let i0 = r0; i0 < r1; i0 += MC) {
      const mc = min(MC, r1 - i0);
      const fullRows = direct ? mc & ~(MR - 1) : 0;
      // Edge rows (fewer than 4) still go through a packed panel.
      if (!direct) packA(a, lda, transA, i0, mc, p0, kc, scratchA);
      else if (fullRows < mc) packA(a, lda, transA, i0 + fullRows, mc - fullRows, p0, kc, scratchA);
      for (let jp = 0; jp < n; jp += NR) {
        const cols = min(NR, n - jp);
        const pb = scratchB + (<usize>(jp * kc) << 2);
        const biasPtr = bias ? bias + (<usize>jp << 2) : 0;
        for (let ip = 0; ip < mc; ip += MR) {
          const rows = min(MR, mc - ip);
          const cPtr = c + (<usize>((i0 + ip) * ldc + jp) << 2);
          if (ip < fullRows) {
            microKernel(kc, a + (<usize>((i0 + ip) * lda + p0) << 2), lda, pb, cPtr, ldc, rows, cols, acc, last, biasPtr, act, alpha, edge);
          } else {
            microKernel(kc, scratchA + (<usize>((ip - fullRows) * kc * 4) << 2), 0, pb, cPtr, ldc, rows, cols, acc, last, biasPtr, act, alpha, edge);
          }
        }
      }
    }
  }
}

// c[i] = act(sum_k A[i, k] b[k] (+ c[i]) + bias) for rows [r0, r1): dot products vectorized over k.
function gemvRows(k: i32, a: usize, lda: i32, b: usize, bStride: i32, c: usize, ldc: i32, accumulate: i32,
  bias: usize, act: i32, alpha: f32, r0: i32, r1: i32): void {
  const contiguous = bStride == 1;
  for (let i = r0; i < r1; i++) {
    const row = a + (<usize>(i * lda) << 2);
    let acc = f32x4.splat(0);
    let p = 0;
    if (contiguous) for (; p + 4 <= k; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(row + (<usize>p << 2)), v128.load(b + (<usize>p << 2))));
    let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; p < k; p++) s += load<f32>(row + (<usize>p << 2)) * load<f32>(b + (<usize>(p * bStride) << 2));
    const out = c + (<usize>(i * ldc) << 2);
    if (accumulate) s += load<f32>(out);
    if (bias) s += load<f32>(bias);
    store<f32>(out, activate(s, act, alpha));
  }
}

// c[i] = act(sum_k A[k, i] b[k] ...) for A stored [k, m] (transposed): rows of A scaled and added,
// vectorized over i.
function gemvColumns(k: i32, a: usize, lda: i32, b: usize, bStride: i32, c: usize, ldc: i32, accumulate: i32,
  bias: usize, act: i32, alpha: f32, r0: i32, r1: i32): void {
  if (ldc != 1) {
    // Strided output: fall back to one dot product per output.
    for (let i = r0; i < r1; i++) {
      let s: f32 = accumulate ? load<f32>(c + (<usize>(i * ldc) << 2)) : 0;
      for (let p = 0; p < k; p++) s += load<f32>(a + (<usize>(p * lda + i) << 2)) * load<f32>(b + (<usize>(p * bStride) << 2));
      if (bias) s += load<f32>(bias);
      store<f32>(c + (<usize>(i * ldc) << 2), activate(s, act, alpha));
    }
    return;
  }
  if (!accumulate) memory.fill(c + (<usize>r0 << 2), 0, <usize>(r1 - r0) << 2);
  for (let p = 0; p < k; p++) {
    const bv: f32 = load<f32>(b + (<usize>(p * bStride) << 2));
    const row = a + (<usize>(p * lda) << 2);
    const vb = f32x4.splat(bv);
    let i = r0;
    for (; i + 4 <= r1; i += 4) {
      const o = <usize>i << 2;
      v128.store(c + o, f32x4.add(v128.load(c + o), f32x4.mul(v128.load(row + o), vb)));
    }
    for (; i < r1; i++) store<f32>(c + (<usize>i << 2), load<f32>(c + (<usize>i << 2)) + load<f32>(row + (<usize>i << 2)) * bv);
  }
  for (let i = r0; i < r1; i++) {
    const o = c + (<usize>i << 2);
    store<f32>(o, activate(load<f32>(o) + (bias ? load<f32>(bias) : 0), act, alpha));
  }
}
