// The WASM GEMM against the plain-TS reference (src/engine/reference.ts) on odd shapes,
// all transpose combinations, accumulation, bias and every fused activation.

import { test } from 'node:test';
import { gemm } from '../../src/engine/ops.js';
import { arena, bufFrom } from '../../src/engine/memory.js';
import { Random } from '../../src/engine/random.js';
import { gemmRef } from '../../src/engine/reference.js';
import { assertClose, randomArray } from '../helpers/engine.js';

const SIZES = [1, 3, 7, 33, 257];

function check(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
  withBias: boolean,
  act: number,
  rng: Random,
): void {
  const a = randomArray(m * k, rng),
    b = randomArray(k * n, rng),
    c0 = randomArray(m * n, rng),
    bias = randomArray(n, rng);
  const lda = transA ? m : k,
    ldb = transB ? k : n;
  const expected = c0.slice();
  gemmRef({
    m,
    n,
    k,
    a,
    lda,
    transA,
    b,
    ldb,
    transB,
    c: expected,
    ldc: n,
    accumulate,
    bias: withBias ? bias : null,
    act,
    alpha: 0.2,
  });
  const A = bufFrom(a),
    B = bufFrom(b),
    C = bufFrom(c0),
    BIAS = bufFrom(bias);
  gemm({
    m,
    n,
    k,
    a: A,
    lda,
    transA,
    b: B,
    ldb,
    transB,
    c: C,
    ldc: n,
    accumulate,
    bias: withBias ? BIAS : null,
    act,
    alpha: 0.2,
  });
  assertClose(
    C.view(),
    expected,
    1e-4,
    1e-4 * Math.sqrt(k),
    `gemm m=${m} n=${n} k=${k} tA=${transA} tB=${transB} acc=${accumulate} bias=${withBias} act=${act}`,
  );
  for (const x of [A, B, C, BIAS]) arena.release(x);
}

test('gemm matches the reference on odd shapes and all transposes', () => {
  const rng = new Random(7);
  for (const m of SIZES)
    for (const n of SIZES)
      for (const k of SIZES) {
        for (const transA of [false, true])
          for (const transB of [false, true]) {
            // Large shapes only in a few combinations to keep the reference loop fast.
            if (m * n * k > 300000 && (transA || transB)) continue;
            check(m, n, k, transA, transB, false, false, 0, rng);
          }
      }
});

test('gemm transposes at a size that spans several K and M blocks', () => {
  const rng = new Random(8);
  for (const transA of [false, true])
    for (const transB of [false, true]) check(257, 33, 300, transA, transB, true, true, 1, rng);
});

test('gemm epilogue: accumulate, bias and every activation on edge tiles', () => {
  const rng = new Random(9);
  for (let act = 0; act < 8; act++) {
    for (const [m, n, k] of [
      [7, 33, 3],
      [33, 7, 257],
      [5, 9, 1],
    ] as const) {
      check(m, n, k, false, false, true, true, act, rng);
      check(m, n, k, true, true, false, true, act, rng);
    }
  }
});

test('gemm with one output column (matrix-vector paths) matches the reference', () => {
  const rng = new Random(10);
  for (const [m, k] of [
    [1, 1],
    [7, 33],
    [257, 144],
    [33, 1],
  ] as const) {
    for (const transA of [false, true])
      for (const transB of [false, true])
        for (const acc of [false, true]) {
          check(m, 1, k, transA, transB, acc, true, 4, rng);
          check(m, 1, k, transA, transB, acc, false, 0, rng);
        }
  }
});

test('gemm reads A in place up to 128 columns: odd shapes either side of the switch, across K blocks', () => {
  const rng = new Random(11);
  // n = 127 and 128 take the in-place path (with edge rows of m = 71 packed), 129 packs A; k = 259
  // crosses the 256-deep K block, so partial sums accumulate between blocks.
  for (const n of [17, 127, 128, 129])
    for (const transB of [false, true]) {
      check(71, n, 259, false, transB, true, true, 1, rng);
      check(71, n, 259, false, transB, false, false, 0, rng);
    }
});
