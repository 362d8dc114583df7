// The reference executor's kernels (src/engine/reference/) against the WebAssembly kernels: every
// export, odd sizes that hit the SIMD tails, every flag combination, on identical copies of the buffers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getEngine, type KernelExports } from '../../src/engine/kernels.js';
import { arena, type Buf } from '../../src/engine/memory.js';
import { Random } from '../../src/engine/random.js';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { randomArray } from '../helpers/engine.js';

const engine = getEngine();
const wasm = engine.kernels;
const ref = createReferenceKernels(engine.memory);

// Tolerance. The reference accumulates in float64 and uses libm's exp/log/tanh; the wasm kernels
// accumulate in float32 (error ~ sqrt(terms) * 2^-24 of the terms' size) and use polynomial
// exp/sigmoid (a few ulp). rtol 1e-5 (~170 ulp of f32) covers the relative part; atol, a fraction
// of the largest |value| in the buffer, covers cancellation (elu and gelu' near 0, batch-norm
// backward, p - t in BCE), scaled by sqrt(k) for dot products of length k. A wrong index, flag
// or formula moves values by their own size, orders of magnitude beyond both.
const RTOL = 1e-5;
const F32_MAX = 3.4028234663852886e38;
const ATOL = 2e-6;
// Floats around every buffer that no kernel may touch (checked bit for bit on both sides).
const GUARD = 8;
const GUARD_BITS = 0x4b1d5eed;

type Data = Float32Array | Int32Array;
type Pointers = Record<string, number>;
type Name = Exclude<keyof KernelExports, '__heap_base'>;
const exercised = new Set<string>();

function readWords(buf: Buf, n: number): Int32Array {
  return new Int32Array(engine.memory.buffer, buf.ptr, n).slice();
}

/** Runs one kernel call on the wasm kernels and on the reference, each on fresh copies of `data`. */
function side(
  k: KernelExports,
  data: Record<string, Data>,
  call: (k: KernelExports, p: Pointers) => number | void,
): { ret: number | void; out: Record<string, Int32Array> } {
  const bufs: Array<[string, Buf, number]> = [];
  const p: Pointers = {};
  for (const [key, init] of Object.entries(data)) {
    const total = init.length + 2 * GUARD;
    const buf = arena.alloc(total);
    const words = new Int32Array(engine.memory.buffer, buf.ptr, total);
    words.fill(GUARD_BITS);
    if (init instanceof Int32Array) words.set(init, GUARD);
    else new Float32Array(engine.memory.buffer, buf.ptr, total).set(init, GUARD);
    p[key] = buf.ptr + GUARD * 4;
    bufs.push([key, buf, total]);
  }
  const ret = call(k, p);
  const out: Record<string, Int32Array> = {};
  for (const [key, buf, total] of bufs) {
    out[key] = readWords(buf, total);
    arena.release(buf);
  }
  return { ret, out };
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= rtol * Math.abs(b) + atol;
}

/** Compares every buffer (guards exactly, i32 data exactly, f32 data with tolerance) and the return value. */
function compare(
  name: Name,
  what: string,
  data: Record<string, Data>,
  call: (k: KernelExports, p: Pointers) => number | void,
  tol: { rtol?: number; atol?: number } = {},
): void {
  exercised.add(name);
  const rtol = tol.rtol ?? RTOL,
    atol = tol.atol ?? ATOL;
  const w = side(wasm, data, call),
    r = side(ref, data, call);
  const label = `${name} ${what}`;
  if (typeof r.ret === 'number' || typeof w.ret === 'number') {
    assert.ok(
      typeof w.ret === 'number' && typeof r.ret === 'number' && close(w.ret, r.ret, rtol, 1e-9 * (1 + Math.abs(r.ret))),
      `${label}: returned ${String(w.ret)} (wasm) vs ${String(r.ret)} (reference)`,
    );
  }
  for (const [key, init] of Object.entries(data)) {
    const ww = w.out[key]!,
      rw = r.out[key]!,
      n = init.length;
    for (let i = 0; i < GUARD; i++) {
      for (const [who, words] of [
        ['wasm', ww],
        ['reference', rw],
      ] as const) {
        assert.ok(
          words[i] === GUARD_BITS && words[GUARD + n + i] === GUARD_BITS,
          `${label}: ${who} wrote outside '${key}'`,
        );
      }
    }
    if (init instanceof Int32Array) {
      for (let i = 0; i < n; i++) assert.equal(rw[GUARD + i], ww[GUARD + i], `${label}: '${key}'[${i}] (i32)`);
      continue;
    }
    const wf = new Float32Array(ww.buffer, GUARD * 4, n),
      rf = new Float32Array(rw.buffer, GUARD * 4, n);
    let scale = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(rf[i]!)) scale = Math.max(scale, Math.abs(rf[i]!));
    for (let i = 0; i < n; i++) {
      if (!close(wf[i]!, rf[i]!, rtol, atol * scale)) {
        assert.fail(
          `${label}: '${key}'[${i}] is ${wf[i]} (wasm) vs ${rf[i]} (reference), rtol ${rtol}, atol ${atol * scale}`,
        );
      }
    }
  }
}

function bools(): readonly number[] {
  return [0, 1];
}
const ACTS = [0, 1, 2, 3, 4, 5, 6, 7];
const ALPHA = 0.3;

test('the reference has every kernel export, with the same arity, and the same gemm scratch sizes', () => {
  for (const name of Object.keys(wasm)) {
    const f: unknown = Reflect.get(wasm, name),
      g: unknown = Reflect.get(ref, name);
    if (typeof f !== 'function') continue;
    assert.ok(typeof g === 'function', `reference lacks ${name}`);
    assert.equal(g.length, f.length, `${name} arity`);
  }
  exercised.add('gemmScratchA');
  exercised.add('gemmScratchB');
  assert.equal(ref.gemmScratchA(), wasm.gemmScratchA());
  for (const n of [0, 1, 7, 8, 9, 37, 256, 1000])
    assert.equal(ref.gemmScratchB(n), wasm.gemmScratchB(n), `gemmScratchB(${n})`);
});

test('gemm: transposes, leading dimensions, accumulate, bias, every activation, row ranges', () => {
  const rng = new Random(1);
  const scratchA = arena.alloc(wasm.gemmScratchA()),
    scratchB = arena.alloc(wasm.gemmScratchB(64));
  // Edge tiles, several K (256) and M (64) blocks, the matrix-vector paths (n = 1), k = 0, the
  // direct (unpacked A, n <= 16) path and one exact tile.
  const shapes = [
    [5, 37, 3],
    [70, 9, 300],
    [7, 1, 33],
    [6, 1, 5],
    [3, 17, 0],
    [9, 16, 7],
    [4, 8, 1],
  ] as const;
  for (const [m, n, k] of shapes)
    for (const pad of [0, 3])
      for (const tA of bools())
        for (const tB of bools()) {
          const lda = (tA ? m : k) + pad,
            ldb = (tB ? k : n) + pad,
            ldc = n + pad;
          for (const acc of bools())
            for (const withBias of bools())
              for (const act of ACTS)
                for (const part of bools()) {
                  const [r0, r1] = part && m >= 3 ? [1, m - 1] : [0, m];
                  const data = {
                    a: randomArray(tA ? k * lda : m * lda, rng),
                    b: randomArray(tB ? n * ldb : k * ldb, rng),
                    c: randomArray(m * ldc, rng),
                    bias: randomArray(n, rng),
                  };
                  compare(
                    'gemm',
                    `m${m} n${n} k${k} pad${pad} tA${tA} tB${tB} acc${acc} bias${withBias} act${act} rows${r0}-${r1}`,
                    data,
                    (K, p) =>
                      K.gemm(
                        m,
                        n,
                        k,
                        p.a!,
                        lda,
                        tA,
                        p.b!,
                        ldb,
                        tB,
                        p.c!,
                        ldc,
                        acc,
                        withBias ? p.bias! : 0,
                        act,
                        ALPHA,
                        scratchA.ptr,
                        scratchB.ptr,
                        r0,
                        r1,
                      ),
                    { atol: ATOL * Math.sqrt(Math.max(k, 1)) },
                  );
                }
        }
  arena.release(scratchA);
  arena.release(scratchB);
});

test('activations forward and backward (GELU from z), every code, accumulate, in place', () => {
  const rng = new Random(2);
  for (const n of [1, 3, 37])
    for (const act of [...ACTS, 9]) {
      compare('activationForward', `n${n} act${act}`, { x: randomArray(n, rng, 4), y: randomArray(n, rng) }, (K, p) =>
        K.activationForward(n, p.x!, p.y!, act, ALPHA),
      );
      compare('activationForward', `in place n${n} act${act}`, { x: randomArray(n, rng, 4) }, (K, p) =>
        K.activationForward(n, p.x!, p.x!, act, ALPHA),
      );
      for (const acc of bools()) {
        compare(
          'activationBackward',
          `n${n} act${act} acc${acc}`,
          { y: randomArray(n, rng, 2), dy: randomArray(n, rng), dz: randomArray(n, rng) },
          (K, p) => K.activationBackward(n, p.y!, p.dy!, p.dz!, act, ALPHA, acc),
        );
      }
    }
});

test('column sums, copies (overlapping too), fill, addTo, multiply, addScaled, scale, clip', () => {
  const rng = new Random(3);
  for (const cols of [1, 5, 6, 37])
    for (const acc of bools()) {
      compare(
        'columnSum',
        `cols${cols} acc${acc}`,
        { d: randomArray(3 * cols, rng), out: randomArray(cols, rng) },
        (K, p) => K.columnSum(3, cols, p.d!, p.out!, acc),
      );
    }
  for (const n of [1, 37]) {
    compare('copy', `n${n}`, { src: randomArray(n, rng), dst: randomArray(n, rng) }, (K, p) =>
      K.copy(n, p.src!, p.dst!),
    );
    compare('fill', `n${n}`, { dst: randomArray(n, rng) }, (K, p) => K.fill(n, p.dst!, 0.7));
    compare('scale', `n${n}`, { x: randomArray(n, rng) }, (K, p) => K.scale(n, p.x!, -1.3));
    compare('clip', `n${n}`, { x: randomArray(n, rng) }, (K, p) => K.clip(n, p.x!, -0.3, 0.5));
    compare(
      'addScaled',
      `n${n}`,
      { x: randomArray(n, rng), noise: randomArray(n, rng), y: randomArray(n, rng) },
      (K, p) => K.addScaled(n, p.x!, p.noise!, 0.37, p.y!),
    );
    for (const acc of bools()) {
      compare('addTo', `n${n} acc${acc}`, { x: randomArray(n, rng), y: randomArray(n, rng) }, (K, p) =>
        K.addTo(n, p.x!, p.y!, acc),
      );
      compare(
        'multiply',
        `n${n} acc${acc}`,
        { x: randomArray(n, rng), m: randomArray(n, rng), y: randomArray(n, rng) },
        (K, p) => K.multiply(n, p.x!, p.m!, p.y!, acc),
      );
    }
  }
  // memory.copy is a memmove: both directions of an overlap.
  compare('copy', 'overlap forward', { buf: randomArray(45, rng) }, (K, p) => K.copy(37, p.buf!, p.buf! + 12));
  compare('copy', 'overlap backward', { buf: randomArray(45, rng) }, (K, p) => K.copy(37, p.buf! + 12, p.buf!));
});

test('reductions, the regularizer, allWithin and gatherRows', () => {
  const rng = new Random(4);
  for (const n of [1, 37, 1000]) {
    const x = randomArray(n, rng, 3);
    compare('sumSquares', `n${n}`, { x }, (K, p) => K.sumSquares(n, p.x!));
    compare('sumAbs', `n${n}`, { x }, (K, p) => K.sumAbs(n, p.x!));
    for (const [l1, l2] of [
      [0, 1e-2],
      [1e-3, 0],
      [1e-3, 2e-2],
    ] as const) {
      const w = randomArray(n, rng);
      for (let i = 0; i < n; i += 5) w[i] = 0; // sign(0) = 0
      compare('regularize', `n${n} l1 ${l1} l2 ${l2}`, { w, g: randomArray(n, rng) }, (K, p) =>
        K.regularize(n, p.w!, p.g!, l1, l2),
      );
    }
  }
  for (const [at, v] of [
    [-1, 0],
    [36, NaN],
    [0, Infinity],
    [17, -Infinity],
  ] as const) {
    const x = randomArray(37, rng);
    if (at >= 0) x[at] = v;
    compare('allWithin', `finite, bad at ${at}`, { x }, (K, p) => K.allWithin(37, p.x!, -F32_MAX, F32_MAX));
  }
  // [0, 1]: the SIMD body (values 0..35) and the tail (36), each end of the range itself inside.
  for (const [at, v] of [
    [-1, 0],
    [3, 1.0000001],
    [36, -1e-7],
    [20, 1],
    [35, 0],
  ] as const) {
    const x = Float32Array.from(randomArray(37, rng), (r) => Math.abs(r) % 1);
    if (at >= 0) x[at] = v;
    const want = x.every((e) => e >= 0 && e <= 1) ? 1 : 0;
    compare('allWithin', `[0, 1], ${v} at ${at}`, { x }, (K, p) => {
      const r = K.allWithin(37, p.x!, 0, 1);
      assert.equal(r, want, `${v} at ${at}`);
      return r;
    });
  }
  const order = Int32Array.from([3, 9, 0, 4, 7, 1, 8, 2, 6, 5]);
  for (const rowFloats of [1, 7]) {
    compare(
      'gatherRows',
      `rowFloats${rowFloats}`,
      { src: randomArray(10 * rowFloats, rng), order, dst: randomArray(5 * rowFloats, rng) },
      (K, p) => K.gatherRows(5, rowFloats, p.src!, p.order!, 2, p.dst!),
    );
  }
});

test('losses with and without gradients: MSE, MAE, Huber, BCE (clamped), BCE from logits', () => {
  const rng = new Random(5);
  for (const n of [1, 3, 37, 1001])
    for (const withGrad of bools()) {
      const inv = 1 / n,
        g = (p: Pointers): number => (withGrad ? p.grad! : 0);
      const y = randomArray(n, rng),
        t = randomArray(n, rng);
      if (n > 2) t[2] = y[2]!; // d = 0: MAE's zero subgradient
      const base = (): Record<string, Data> => ({ y: y.slice(), t: t.slice(), grad: randomArray(n, rng) });
      compare('mse', `n${n} grad${withGrad}`, base(), (K, p) => K.mse(n, p.y!, p.t!, g(p), inv));
      compare('mae', `n${n} grad${withGrad}`, base(), (K, p) => K.mae(n, p.y!, p.t!, g(p), inv));
      compare('huber', `n${n} grad${withGrad}`, base(), (K, p) => K.huber(n, p.y!, p.t!, g(p), inv, 0.5));
      // Probabilities, some exactly 0 or 1 or beyond the 1e-7 clamp on either side.
      const prob = Float32Array.from(randomArray(n, rng), (v) => (v + 1) / 2);
      const edges = [0, 1, 1e-8, 1 - 1e-8, 5e-7];
      for (let i = 0; i < Math.min(n, edges.length); i++) prob[(i * 7) % n] = edges[i]!;
      const target = Float32Array.from(randomArray(n, rng), (v) => (v + 1) / 2);
      compare(
        'binaryCrossentropy',
        `n${n} grad${withGrad}`,
        { y: prob, t: target, grad: randomArray(n, rng) },
        (K, p) => K.binaryCrossentropy(n, p.y!, p.t!, g(p), inv),
      );
      const z = randomArray(n, rng, 6);
      if (n > 3) {
        z[1] = 30;
        z[3] = -30;
      }
      compare(
        'binaryCrossentropyLogits',
        `n${n} grad${withGrad}`,
        { z, y: randomArray(n, rng), t: target, grad: randomArray(n, rng) },
        (K, p) => K.binaryCrossentropyLogits(n, p.z!, p.y!, p.t!, g(p), inv),
      );
    }
});

test('optimizers: Adam/AdamW, SGD with (Nesterov) momentum, RMSprop with and without momentum', () => {
  const rng = new Random(6);
  const positive = (n: number): Float32Array =>
    Float32Array.from(randomArray(n, rng), (v) => Math.abs(v) * 0.01 + 1e-4);
  for (const n of [1, 3, 37]) {
    // A large lr * wd, so that decoupled decay moves w well beyond the tolerance.
    for (const wd of [0, 0.1]) {
      compare(
        'adam',
        `n${n} wd${wd}`,
        { w: randomArray(n, rng), g: randomArray(n, rng), m: randomArray(n, rng, 0.1), v: positive(n) },
        (K, p) => K.adam(n, p.w!, p.g!, p.m!, p.v!, 0.05, 0.9, 0.999, 1e-7, 1 - 0.9 ** 3, 1 - 0.999 ** 3, wd),
      );
    }
    for (const [momentum, nesterov] of [
      [0, 0],
      [0.9, 0],
      [0.9, 1],
    ] as const) {
      compare(
        'sgd',
        `n${n} mu${momentum} nesterov${nesterov}`,
        { w: randomArray(n, rng), g: randomArray(n, rng), buf: randomArray(n, rng) },
        (K, p) => K.sgd(n, p.w!, p.g!, p.buf!, 0.05, momentum, nesterov),
      );
    }
    for (const momentum of [0, 0.9]) {
      compare(
        'rmsprop',
        `n${n} mu${momentum}`,
        { w: randomArray(n, rng), g: randomArray(n, rng), sq: positive(n), buf: randomArray(n, rng) },
        (K, p) => K.rmsprop(n, p.w!, p.g!, p.sq!, p.buf!, 1e-3, 0.9, 1e-7, momentum),
      );
    }
  }
});

test('batch normalization: training with moving averages, inference, backward with every accumulate flag', () => {
  const rng = new Random(7);
  for (const rows of [3, 37])
    for (const ch of [1, 5, 6]) {
      const n = rows * ch;
      const stats = (): Float32Array => Float32Array.from(randomArray(ch, rng), (v) => Math.abs(v) + 0.5);
      compare(
        'batchNormTrain',
        `rows${rows} ch${ch}`,
        {
          x: randomArray(n, rng, 3),
          y: randomArray(n, rng),
          xhat: randomArray(n, rng),
          gamma: randomArray(ch, rng),
          beta: randomArray(ch, rng),
          mean: randomArray(ch, rng),
          invStd: randomArray(ch, rng),
          movingMean: randomArray(ch, rng),
          movingVar: stats(),
        },
        (K, p) =>
          K.batchNormTrain(
            rows,
            ch,
            p.x!,
            p.y!,
            p.xhat!,
            p.gamma!,
            p.beta!,
            p.mean!,
            p.invStd!,
            p.movingMean!,
            p.movingVar!,
            0.99,
            1e-3,
          ),
      );
      compare(
        'batchNormInference',
        `rows${rows} ch${ch}`,
        {
          x: randomArray(n, rng, 3),
          y: randomArray(n, rng),
          gamma: randomArray(ch, rng),
          beta: randomArray(ch, rng),
          movingMean: randomArray(ch, rng),
          movingVar: stats(),
        },
        (K, p) => K.batchNormInference(rows, ch, p.x!, p.y!, p.gamma!, p.beta!, p.movingMean!, p.movingVar!, 1e-3),
      );
      for (const accIn of bools())
        for (const accParams of bools())
          for (const withDx of bools()) {
            compare(
              'batchNormBackward',
              `rows${rows} ch${ch} accIn${accIn} accParams${accParams} dx${withDx}`,
              {
                dy: randomArray(n, rng),
                xhat: randomArray(n, rng, 2),
                gamma: randomArray(ch, rng),
                invStd: stats(),
                dx: randomArray(n, rng),
                dgamma: randomArray(ch, rng),
                dbeta: randomArray(ch, rng),
              },
              (K, p) =>
                K.batchNormBackward(
                  rows,
                  ch,
                  p.dy!,
                  p.xhat!,
                  p.gamma!,
                  p.invStd!,
                  withDx ? p.dx! : 0,
                  p.dgamma!,
                  p.dbeta!,
                  accIn,
                  accParams,
                ),
            );
          }
    }
});

/** Output size of a window sweep: floor((size + padding - extent) / stride) + 1. */
function out(size: number, extent: number, stride: number, padding: number): number {
  return Math.floor((size + padding - extent) / stride) + 1;
}

test('im2col, col2im (accumulate), biasActivation and the one-channel direct convolution (three modes)', () => {
  const rng = new Random(8);
  const b = 3,
    h = 5,
    w = 6;
  // [kh, kw, sh, sw, dh, dw, pt, pl, total vertical padding, total horizontal padding]
  const geoms = [
    [3, 2, 1, 1, 1, 1, 1, 0, 2, 1],
    [3, 3, 2, 2, 1, 1, 1, 1, 2, 2],
    [2, 3, 1, 2, 2, 1, 0, 1, 1, 2],
    [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
  ] as const;
  // c 4 and 8: convSingle's blocked forward and per-tap kernel gradient (four output pixels fit in w = 6).
  for (const c of [1, 5, 6, 4, 8])
    for (const [kh, kw, sh, sw, dh, dw, pt, pl, ph, pw] of geoms) {
      const oh = out(h, dh * (kh - 1) + 1, sh, ph),
        ow = out(w, dw * (kw - 1) + 1, sw, pw);
      const cols = b * oh * ow * kh * kw * c,
        what = `c${c} k${kh}x${kw} s${sh}x${sw} d${dh}x${dw} p${pt},${pl}`;
      compare('im2col', what, { x: randomArray(b * h * w * c, rng), col: randomArray(cols, rng) }, (K, p) =>
        K.im2col(b, h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, p.x!, p.col!),
      );
      for (const acc of bools()) {
        compare(
          'col2im',
          `${what} acc${acc}`,
          { col: randomArray(cols, rng), x: randomArray(b * h * w * c, rng) },
          (K, p) => K.col2im(b, h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, p.col!, p.x!, acc),
        );
      }
      if (dh !== 1 || dw !== 1) continue; // convSingle has no dilation
      const taps = kh * kw * c,
        pix = b * oh * ow;
      for (const mode of [0, 1, 2])
        for (const acc of bools()) {
          compare(
            'convSingle',
            `${what} mode${mode} acc${acc}`,
            { x: randomArray(b * h * w * c, rng), wt: randomArray(b * taps, rng), y: randomArray(pix, rng) },
            (K, p) => K.convSingle(mode, b, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, p.x!, p.wt!, 0.25, p.y!, acc),
          );
        }
    }
  for (const ch of [1, 5, 6, 37])
    for (const withBias of bools())
      for (const act of ACTS) {
        compare(
          'biasActivation',
          `ch${ch} bias${withBias} act${act}`,
          { y: randomArray(3 * ch, rng, 3), bias: randomArray(ch, rng) },
          (K, p) => K.biasActivation(3, ch, p.y!, withBias ? p.bias! : 0, act, ALPHA),
        );
      }
});

test('the direct small-channel convolution (blocks of four pixels, borders, tails), its flipped kernel and kernel gradient', () => {
  const rng = new Random(81);
  const b = 2,
    h = 5,
    w = 11; // wide enough for blocks of four pixels between the borders, with a tail
  // [kh, kw, sh, sw, pt, pl, total vertical padding, total horizontal padding]
  const geoms = [
    [3, 3, 1, 1, 1, 1, 2, 2],
    [3, 2, 1, 1, 1, 0, 2, 1],
    [3, 3, 2, 2, 1, 1, 2, 2],
    [1, 1, 1, 1, 0, 0, 0, 0],
    [3, 3, 1, 1, 0, 0, 0, 0],
  ] as const;
  for (const c of [1, 3, 4, 8])
    for (const f of [4, 8, 12, 16])
      for (const [gi, [kh, kw, sh, sw, pt, pl, ph, pw]] of geoms.entries()) {
        const oh = out(h, kh, sh, ph),
          ow = out(w, kw, sw, pw);
        const what = `c${c} f${f} k${kh}x${kw} s${sh}x${sw} p${pt},${pl}`;
        const taps = kh * kw * c * f;
        // Every activation on the first geometry; relu (the common case) with and without bias elsewhere.
        // convDirect has stride 1 only.
        for (const act of sh !== 1 ? [] : gi === 0 && c === 4 ? ACTS : [1])
          for (const withBias of bools())
            for (const acc of bools())
              compare(
                'convDirect',
                `${what} act${act} bias${withBias} acc${acc}`,
                {
                  x: randomArray(b * h * w * c, rng),
                  wt: randomArray(taps, rng),
                  bias: randomArray(f, rng),
                  y: randomArray(b * oh * ow * f, rng),
                },
                (K, p) =>
                  K.convDirect(
                    b,
                    h,
                    w,
                    c,
                    oh,
                    ow,
                    f,
                    kh,
                    kw,
                    pt,
                    pl,
                    p.x!,
                    p.wt!,
                    withBias ? p.bias! : 0,
                    act,
                    ALPHA,
                    p.y!,
                    acc,
                  ),
              );
        compare('convFlipKernel', what, { w: randomArray(taps, rng), out: randomArray(taps, rng) }, (K, p) =>
          K.convFlipKernel(kh, kw, c, f, p.w!, p.out!),
        );
        for (const withBias of bools())
          compare(
            'convDirectKernelGrad',
            `${what} bias${withBias}`,
            {
              x: randomArray(b * h * w * c, rng),
              dy: randomArray(b * oh * ow * f, rng),
              dw: randomArray(b * taps, rng),
              db: randomArray(b * f, rng),
            },
            (K, p) =>
              K.convDirectKernelGrad(
                b,
                h,
                w,
                c,
                oh,
                ow,
                f,
                kh,
                kw,
                sh,
                sw,
                pt,
                pl,
                p.x!,
                p.dy!,
                p.dw!,
                withBias ? p.db! : 0,
              ),
          );
      }
});

test('activationBackwardSamples: activationBackward over b samples (every activation, both accumulate flags)', () => {
  const rng = new Random(82);
  const b = 3,
    values = 13;
  for (const act of ACTS)
    for (const acc of bools())
      compare(
        'activationBackwardSamples',
        `act${act} acc${acc}`,
        { y: randomArray(b * values, rng), dy: randomArray(b * values, rng), dz: randomArray(b * values, rng) },
        (K, p) => K.activationBackwardSamples(b, values, p.y!, p.dy!, p.dz!, act, ALPHA, acc),
      );
});

test('max pooling (argmax as i32, NaN wins, backward scatter) and average pooling, with padding', () => {
  const rng = new Random(9);
  const b = 3,
    h = 5,
    w = 6;
  // [ph, pw, sh, sw, pt, pl, total vertical padding, total horizontal padding]
  const geoms = [
    [2, 2, 2, 2, 0, 0, 0, 0],
    [3, 3, 2, 2, 1, 1, 2, 2],
    [3, 2, 1, 2, 1, 0, 1, 0],
  ] as const;
  for (const c of [1, 5, 6])
    for (const [ph, pw, sh, sw, pt, pl, tv, th] of geoms)
      for (const withNaN of bools()) {
        const oh = out(h, ph, sh, tv),
          ow = out(w, pw, sw, th),
          nIn = b * h * w * c,
          nOut = b * oh * ow * c;
        const what = `c${c} pool${ph}x${pw} s${sh}x${sw} p${pt},${pl} nan${withNaN}`;
        const x = randomArray(nIn, rng);
        if (withNaN) x[(7 * c + 1) % nIn] = NaN;
        const garbage = Int32Array.from(randomArray(nOut, rng), (v) => Math.floor(v * 1000));
        compare('maxPoolForward', what, { x, y: randomArray(nOut, rng), argmax: garbage }, (K, p) =>
          K.maxPoolForward(b, h, w, c, oh, ow, ph, pw, sh, sw, pt, pl, p.x!, p.y!, p.argmax!),
        );
        // Backward reads the winners the forward pass wrote (here: the reference's forward).
        const y = arena.alloc(nOut),
          am = arena.alloc(nOut),
          xb = arena.alloc(nIn);
        xb.view().set(x);
        ref.maxPoolForward(b, h, w, c, oh, ow, ph, pw, sh, sw, pt, pl, xb.ptr, y.ptr, am.ptr);
        const argmax = new Int32Array(engine.memory.buffer, am.ptr, nOut).slice();
        for (const buf of [y, am, xb]) arena.release(buf);
        for (const acc of bools()) {
          compare(
            'maxPoolBackward',
            `${what} acc${acc}`,
            { dy: randomArray(nOut, rng), argmax, dx: randomArray(nIn, rng) },
            (K, p) => K.maxPoolBackward(b, oh * ow * c, h * w * c, p.dy!, p.argmax!, p.dx!, acc),
          );
        }
        if (withNaN) continue;
        for (const backward of bools())
          for (const acc of bools()) {
            const data = backward
              ? { x: randomArray(nOut, rng), y: randomArray(nIn, rng) }
              : { x: randomArray(nIn, rng), y: randomArray(nOut, rng) };
            compare('avgPool', `${what} backward${backward} acc${acc}`, data, (K, p) =>
              K.avgPool(b, h, w, c, oh, ow, ph, pw, sh, sw, pt, pl, p.x!, p.y!, backward, acc),
            );
          }
      }
});

test('upsampling (nearest, bilinear half-pixel), window2d both ways, global average pooling', () => {
  const rng = new Random(10);
  const b = 3,
    h = 3,
    w = 4;
  for (const c of [1, 5, 6])
    for (const [fh, fw] of [
      [2, 2],
      [3, 1],
      [1, 2],
      [4, 3],
    ] as const) {
      for (const backward of bools())
        for (const acc of bools()) {
          const small = b * h * w * c,
            large = small * fh * fw;
          for (const name of ['upsampleNearest', 'upsampleBilinear'] as const) {
            compare(
              name,
              `c${c} f${fh}x${fw} backward${backward} acc${acc}`,
              { x: randomArray(small, rng), y: randomArray(large, rng) },
              (K, p) => K[name](b, h, w, c, fh, fw, p.x!, p.y!, backward, acc),
            );
          }
        }
    }
  for (const c of [1, 5])
    for (const [top, left] of [
      [0, 0],
      [1, 2],
      [3, 3],
    ] as const)
      for (const toLarge of bools())
        for (const acc of bools()) {
          compare(
            'window2d',
            `c${c} at ${top},${left} toLarge${toLarge} acc${acc}`,
            { small: randomArray(b * 3 * 4 * c, rng), large: randomArray(b * 6 * 7 * c, rng) },
            (K, p) => K.window2d(b, 3, 4, 6, 7, c, top, left, p.small!, p.large!, toLarge, acc),
          );
        }
  for (const c of [1, 5, 6, 37])
    for (const hw of [1, 7])
      for (const backward of bools())
        for (const acc of bools()) {
          compare(
            'globalAvgPool',
            `c${c} hw${hw} backward${backward} acc${acc}`,
            { x: randomArray(b * hw * c, rng), y: randomArray(b * c, rng) },
            (K, p) => K.globalAvgPool(b, hw, c, p.x!, p.y!, backward, acc),
          );
        }
});

test('the reference re-views the memory after it grows', () => {
  const buf = arena.alloc(4);
  ref.fill(4, buf.ptr, 1.5); // caches views of the current buffer
  const end = engine.memory.buffer.byteLength;
  engine.memory.grow(1);
  ref.fill(16, end, 2.5); // beyond the old buffer's end
  assert.deepEqual(Array.from(new Float32Array(engine.memory.buffer, end, 16)), new Array<number>(16).fill(2.5));
  assert.equal(ref.sumAbs(16, end), 40);
  ref.fill(16, end, 0);
  arena.release(buf);
});

test('recurrent steps: LSTM and both GRU forms forward and backward on strided rows, null states, activation pairs, fillRows', () => {
  const rng = new Random(12);
  const rows = 3;
  // [act, recAct]: the SIMD pair (tanh, sigmoid) and two that take the scalar path.
  const pairs = [
    [5, 4],
    [6, 5],
    [1, 4],
  ] as const;
  for (const units of [3, 6, 8])
    for (const [act, recAct] of pairs)
      for (const first of bools()) {
        const what = `u${units} act${act}/${recAct} first${first}`;
        const gs = 4 * units + 5,
          ss = units + 3,
          g3 = 3 * units + 2;
        const state = () => randomArray(rows * ss, rng);
        compare(
          'lstmForward',
          what,
          { gates: randomArray(rows * gs, rng, 2), cPrev: state(), c: state(), h: state(), h2: state() },
          (K, p) =>
            K.lstmForward(
              rows,
              units,
              p.gates!,
              gs,
              first ? 0 : p.cPrev!,
              ss,
              p.c!,
              ss,
              p.h!,
              ss,
              first ? 0 : p.h2!,
              ss,
              act,
              recAct,
            ),
        );
        for (const last of bools())
          compare(
            'lstmBackward',
            `${what} last${last}`,
            {
              gates: Float32Array.from(randomArray(rows * gs, rng), (v) => 0.5 + 0.45 * v),
              cPrev: state(),
              c: state(),
              dh: randomArray(rows * units, rng),
              dy: state(),
              dc: randomArray(rows * units, rng),
            },
            (K, p) =>
              K.lstmBackward(
                rows,
                units,
                p.gates!,
                gs,
                first ? 0 : p.cPrev!,
                ss,
                p.c!,
                ss,
                p.dh!,
                last ? p.dy! : 0,
                ss,
                p.dc!,
                last,
                act,
                recAct,
              ),
          );
        for (const withBias of bools()) {
          compare(
            'gruForward',
            `${what} bias${withBias}`,
            {
              gates: randomArray(rows * g3, rng, 2),
              rec: randomArray(rows * g3, rng),
              recBias: randomArray(3 * units, rng),
              hPrev: state(),
              h: state(),
              h2: state(),
            },
            (K, p) =>
              K.gruForward(
                rows,
                units,
                p.gates!,
                g3,
                first ? 0 : p.rec!,
                g3,
                withBias ? p.recBias! : 0,
                first ? 0 : p.hPrev!,
                ss,
                p.h!,
                ss,
                first ? 0 : p.h2!,
                ss,
                act,
                recAct,
              ),
          );
          // dRec aliases rec (as the layer plans it) or is its own buffer.
          for (const alias of bools())
            compare(
              'gruBackward',
              `${what} bias${withBias} alias${alias}`,
              {
                gates: Float32Array.from(randomArray(rows * g3, rng), (v) => 0.5 + 0.45 * v),
                rec: randomArray(rows * g3, rng),
                recBias: randomArray(3 * units, rng),
                hPrev: state(),
                dRec: randomArray(rows * g3, rng),
                dh: randomArray(rows * units, rng),
                dy: state(),
              },
              (K, p) =>
                K.gruBackward(
                  rows,
                  units,
                  p.gates!,
                  g3,
                  first ? 0 : p.rec!,
                  g3,
                  withBias ? p.recBias! : 0,
                  first ? 0 : p.hPrev!,
                  ss,
                  alias ? p.rec! : p.dRec!,
                  p.dh!,
                  alias ? p.dy! : 0,
                  ss,
                  first,
                  act,
                  recAct,
                ),
            );
        }
      }
  // GRU with the reset gate first: its four step kernels.
  for (const units of [3, 6, 8])
    for (const [act, recAct] of pairs)
      for (const first of bools()) {
        const what = `u${units} act${act}/${recAct} first${first}`;
        const gs = 3 * units + 2,
          ss = units + 3;
        const state = () => randomArray(rows * ss, rng);
        const gates = () => Float32Array.from(randomArray(rows * gs, rng), (v) => 0.5 + 0.45 * v);
        compare('gruResetGates', what, { gates: randomArray(rows * gs, rng, 2), hPrev: state(), rh: state() }, (K, p) =>
          K.gruResetGates(rows, units, p.gates!, gs, first ? 0 : p.hPrev!, ss, p.rh!, ss, recAct),
        );
        compare(
          'gruResetCandidate',
          what,
          { gates: randomArray(rows * gs, rng, 2), hPrev: state(), h: state(), h2: state() },
          (K, p) =>
            K.gruResetCandidate(
              rows,
              units,
              p.gates!,
              gs,
              first ? 0 : p.hPrev!,
              ss,
              p.h!,
              ss,
              first ? 0 : p.h2!,
              ss,
              act,
            ),
        );
        for (const last of bools())
          compare(
            'gruResetCandidateBackward',
            `${what} last${last}`,
            { gates: gates(), hPrev: state(), dh: randomArray(rows * units, rng), dy: state() },
            (K, p) =>
              K.gruResetCandidateBackward(
                rows,
                units,
                p.gates!,
                gs,
                first ? 0 : p.hPrev!,
                ss,
                p.dh!,
                last ? p.dy! : 0,
                ss,
                last,
                act,
                recAct,
              ),
          );
        compare(
          'gruResetGatesBackward',
          what,
          { gates: gates(), hPrev: state(), drh: randomArray(rows * units, rng), dh: randomArray(rows * units, rng) },
          (K, p) => K.gruResetGatesBackward(rows, units, p.gates!, gs, first ? 0 : p.hPrev!, ss, p.drh!, p.dh!, recAct),
        );
      }
  compare('fillRows', 'strided', { dst: randomArray(3 * 7, rng) }, (K, p) => K.fillRows(3, 5, p.dst! + 4, 7, 0));
});

test('every kernel export was compared', () => {
  const missing = Object.keys(wasm).filter((k) => typeof Reflect.get(wasm, k) === 'function' && !exercised.has(k));
  assert.deepEqual(missing, []);
});
