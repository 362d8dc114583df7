// PCA by subspace iteration on the covariance (computed with the engine's GEMM): the
// baseline the autoencoder jobs are measured against (reconstruction error, compression).

import { HourglassError } from '../engine/errors.js';
import { arena, bufFrom } from '../engine/memory.js';
import { gemm } from '../engine/ops.js';
import { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';

export interface Pca {
  mean: Float64Array;
  components: Float64Array[]; /* k unit vectors of length d */
}

function orthonormalize(vs: Float64Array[]): void {
  // Modified Gram-Schmidt, twice for stability.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      for (let j = 0; j < i; j++) {
        const u = vs[j]!;
        let dot = 0;
        for (let t = 0; t < v.length; t++) dot += v[t]! * u[t]!;
        for (let t = 0; t < v.length; t++) v[t]! -= dot * u[t]!;
      }
      let norm = 0;
      for (let t = 0; t < v.length; t++) norm += v[t]! * v[t]!;
      norm = Math.sqrt(norm) || 1;
      for (let t = 0; t < v.length; t++) v[t]! /= norm;
    }
  }
}

// Eigenvectors of a small symmetric matrix (cyclic Jacobi), for the Rayleigh-Ritz step.
function jacobiEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1),
          sn = t * cs;
        for (let r = 0; r < m; r++) {
          const arp = a[r * m + p]!,
            arq = a[r * m + q]!;
          a[r * m + p] = cs * arp - sn * arq;
          a[r * m + q] = sn * arp + cs * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = a[p * m + r]!,
            aqr = a[q * m + r]!;
          a[p * m + r] = cs * apr - sn * aqr;
          a[q * m + r] = sn * apr + cs * aqr;
        }
        for (let r = 0; r < m; r++) {
          const vrp = v[r * m + p]!,
            vrq = v[r * m + q]!;
          v[r * m + p] = cs * vrp - sn * vrq;
          v[r * m + q] = sn * vrp + cs * vrq;
        }
      }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]!), vectors: v };
}

/**
 * The top-k principal directions of the rows of x: covariance on the GEMM, then subspace
 * iteration on k + 16 vectors and a Rayleigh-Ritz step (so convergence depends on the gap to
 * the 17th eigenvalue beyond k, not the next one).
 */
export function fitPca(x: Tensor, k: number, iterations = 40): Pca {
  const [n, d] = [x.shape[0]!, x.data.length / x.shape[0]!];
  if (!(Number.isInteger(k) && k > 0 && k <= d))
    throw new HourglassError(`pca: k must be between 1 and ${d}, got ${k}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const centered = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centered[i * d + j] = x.data[i * d + j]! - mean[j]!;
  const m = Math.min(d, k + 16);
  const xs = bufFrom(centered),
    cov = arena.alloc(d * d),
    q = arena.alloc(d * m),
    z = arena.alloc(d * m);
  // Covariance (unnormalised) X^T X.
  gemm({ m: d, n: d, k: n, a: xs, lda: d, transA: true, b: xs, ldb: d, c: cov, ldc: d });
  arena.release(xs);
  const rng = new Random(17);
  // Columns of q are the vectors; orthonormalised in float64 between products.
  const cols = Array.from({ length: m }, () => Float64Array.from({ length: d }, () => rng.normal()));
  const load = () => {
    const qv = q.view();
    for (let j = 0; j < m; j++) for (let r = 0; r < d; r++) qv[r * m + j] = cols[j]![r]!;
  };
  const store = () => {
    const zv = z.view();
    for (let j = 0; j < m; j++) for (let r = 0; r < d; r++) cols[j]![r] = zv[r * m + j]!;
  };
  orthonormalize(cols);
  for (let it = 0; it < iterations; it++) {
    load();
    gemm({ m: d, n: m, k: d, a: cov, lda: d, b: q, ldb: m, c: z, ldc: m });
    store();
    orthonormalize(cols);
  }
  // Rayleigh-Ritz: eigen-decompose Q^T C Q and rotate Q into the eigenvectors.
  load();
  gemm({ m: d, n: m, k: d, a: cov, lda: d, b: q, ldb: m, c: z, ldc: m });
  const zv = z.view();
  const small = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += cols[i]![r]! * zv[r * m + j]!;
      small[i * m + j] = s;
    }
  for (const b of [cov, q, z]) arena.release(b);
  const { values, vectors } = jacobiEigen(small, m);
  const order = Array.from({ length: m }, (_, i) => i)
    .sort((a, b) => values[b]! - values[a]!)
    .slice(0, k);
  const components = order.map((e) => {
    const u = new Float64Array(d);
    for (let i = 0; i < m; i++) {
      const w = vectors[i * m + e]!;
      for (let r = 0; r < d; r++) u[r]! += w * cols[i]![r]!;
    }
    return u;
  });
  orthonormalize(components);
  return { mean, components };
}

/** Mean squared reconstruction error per row after projecting onto the components. */
export function pcaErrors(p: Pca, x: Tensor): Float64Array {
  const d = p.mean.length,
    n = x.shape[0]!;
  const out = new Float64Array(n);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) r[j] = x.data[i * d + j]! - p.mean[j]!;
    let total = 0;
    for (let j = 0; j < d; j++) total += r[j]! * r[j]!;
    // ||r - Q Q^T r||^2 = ||r||^2 - ||Q^T r||^2 for orthonormal Q.
    for (const u of p.components) {
      let s = 0;
      for (let j = 0; j < d; j++) s += u[j]! * r[j]!;
      total -= s * s;
    }
    out[i] = Math.max(total, 0) / d;
  }
  return out;
}

/** Coefficients of each row on the components, [rows, k]. */
export function pcaTransform(p: Pca, x: Tensor): Float32Array {
  const d = p.mean.length,
    n = x.shape[0]!,
    k = p.components.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      const u = p.components[c]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += u[j]! * (x.data[i * d + j]! - p.mean[j]!);
      out[i * k + c] = s;
    }
  return out;
}

/** Rows rebuilt from coefficients [rows, k]. */
export function pcaInverse(p: Pca, coefficients: Float32Array, rows: number): Float32Array {
  const d = p.mean.length,
    k = p.components.length;
  const out = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < d; j++) {
      let s = p.mean[j]!;
      for (let c = 0; c < k; c++) s += coefficients[i * k + c]! * p.components[c]![j]!;
      out[i * d + j] = s;
    }
  return out;
}
