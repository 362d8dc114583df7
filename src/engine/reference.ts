// Plain-TypeScript reference kernels: the oracle the WebAssembly kernels are tested against.
// Written for clarity, not speed; never used on a product path.

const ACTS: Array<(x: number, alpha: number) => number> = [
  (x) => x,
  (x) => (x > 0 ? x : 0),
  (x, a) => (x > 0 ? x : a * x),
  (x, a) => (x > 0 ? x : a * (Math.exp(x) - 1)),
  (x) => 1 / (1 + Math.exp(-x)),
  (x) => Math.tanh(x),
  (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
  (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
];

/** erf by its Taylor series / continued fraction, accurate to ~1e-12 for our ranges. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let sum = ax,
      term = ax;
    for (let n = 1; n < 100; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  return Math.sign(x) * (1 - (Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI))) * (1 - 1 / (2 * ax * ax)));
}

export function activateRef(x: number, act: number, alpha: number): number {
  return ACTS[act]!(x, alpha);
}

export interface RefGemm {
  m: number;
  n: number;
  k: number;
  a: Float32Array;
  lda: number;
  transA: boolean;
  b: Float32Array;
  ldb: number;
  transB: boolean;
  c: Float32Array;
  ldc: number;
  accumulate: boolean;
  bias: Float32Array | null;
  act: number;
  alpha: number;
}

export function gemmRef(g: RefGemm): void {
  for (let i = 0; i < g.m; i++) {
    for (let j = 0; j < g.n; j++) {
      let s = 0;
      for (let p = 0; p < g.k; p++) {
        const av = g.transA ? g.a[p * g.lda + i]! : g.a[i * g.lda + p]!;
        const bv = g.transB ? g.b[j * g.ldb + p]! : g.b[p * g.ldb + j]!;
        s += av * bv;
      }
      if (g.accumulate) s += g.c[i * g.ldc + j]!;
      if (g.bias) s += g.bias[j]!;
      g.c[i * g.ldc + j] = activateRef(s, g.act, g.alpha);
    }
  }
}
