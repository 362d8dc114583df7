// A UMAP map of the codes (umap-js, the JavaScript port by the PAIR team), beside the PCA map:
// PCA shows the codes' largest directions, UMAP their neighbourhoods (clusters PCA piles up).
// UMAP costs far more than PCA, so it draws at most `maxRows` rows, picked at random with a seed
// beyond that; the layout is seeded too, so the same model and rows give the same map.

import { UMAP } from 'umap-js';
import { HourglassError } from '../engine/errors.js';
import { arena, bufFrom } from '../engine/memory.js';
import { gemm } from '../engine/ops.js';
import { Random } from '../engine/random.js';

export const UMAP_SETTINGS = {
  /**
   * Rows drawn at most (a random sample beyond): the layout's time grows with the rows (2,000 take
   * about as long as the rest of an MNIST report), and a few thousand points already show clusters.
   */
  maxRows: 2000,
  /** umap-learn's and umap-js's default neighbourhood. */
  neighbours: 15,
  /** umap-learn's choice for large data; 500 (its small-data choice) takes 2.5 times longer. */
  epochs: 200,
  seed: 42,
} as const;

export interface UmapMap {
  /** The rows drawn, ascending. */
  rows: Int32Array;
  xs: Float32Array;
  ys: Float32Array;
  /** Rows given (more than `rows.length` when sampled). */
  of: number;
  neighbours: number;
  epochs: number;
  seed: number;
}

/** `count` of `n` indices at random (a partial Fisher-Yates shuffle), ascending. */
export function sampleRows(n: number, count: number, rng: Random): Int32Array {
  if (count >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.subarray(0, count).sort();
}

/**
 * The exact `k` nearest neighbours of every row (itself first, at distance 0), as umap-js takes
 * them: faster than its approximate search for a few thousand rows, and the same on every run.
 */
export function exactNeighbours(x: Float32Array, n: number, k: number): { indices: number[][]; distances: number[][] } {
  const d = x.length / n;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j]! ** 2;
    norms[i] = s;
  }
  const BLOCK = 256;
  const all = bufFrom(x),
    dots = arena.alloc(BLOCK * n);
  const indices: number[][] = [],
    distances: number[][] = [];
  const bestD = new Float64Array(k),
    bestI = new Int32Array(k);
  try {
    for (let start = 0; start < n; start += BLOCK) {
      const rows = Math.min(BLOCK, n - start);
      const block = bufFrom(x.subarray(start * d, (start + rows) * d));
      gemm({ m: rows, n, k: d, a: block, lda: d, b: all, ldb: d, transB: true, c: dots, ldc: n });
      arena.release(block);
      const dv = dots.view();
      for (let r = 0; r < rows; r++) {
        const q = start + r;
        bestD.fill(Infinity);
        bestI.fill(-1);
        // The row itself comes first whatever rounding does to its distance (UMAP expects it).
        bestD[0] = -1;
        bestI[0] = q;
        for (let i = 0; i < n; i++) {
          if (i === q) continue;
          const dist = Math.max(0, norms[q]! + norms[i]! - 2 * dv[r * n + i]!);
          if (dist >= bestD[k - 1]!) continue;
          let p = k - 1;
          while (p > 1 && bestD[p - 1]! > dist) {
            bestD[p] = bestD[p - 1]!;
            bestI[p] = bestI[p - 1]!;
            p--;
          }
          bestD[p] = dist;
          bestI[p] = i;
        }
        indices.push(Array.from(bestI));
        distances.push(Array.from(bestD, (v, p) => (p === 0 ? 0 : Math.sqrt(v))));
      }
    }
  } finally {
    arena.release(all);
    arena.release(dots);
  }
  return { indices, distances };
}

/** The UMAP map of `rows` codes (flat, row after row), or null when there are too few rows for it. */
export function umapMap(
  codes: Float32Array,
  rows: number,
  o: { maxRows?: number | undefined; seed?: number | undefined } = {},
): UmapMap | null {
  const maxRows = o.maxRows ?? UMAP_SETTINGS.maxRows,
    seed = o.seed ?? UMAP_SETTINGS.seed;
  if (!(Number.isInteger(maxRows) && maxRows >= 0))
    throw new HourglassError(`report: umapRows must be a whole number of rows (0 for no UMAP map), got ${maxRows}`);
  const { neighbours, epochs } = UMAP_SETTINGS;
  if (maxRows === 0 || rows <= 2 * neighbours) return null;
  const d = codes.length / rows;
  const rng = new Random(seed);
  const picked = sampleRows(rows, maxRows, rng);
  const n = picked.length;
  const x = new Float32Array(n * d);
  picked.forEach((r, i) => x.set(codes.subarray(r * d, (r + 1) * d), i * d));
  const knn = exactNeighbours(x, n, neighbours);
  const umap = new UMAP({ nComponents: 2, nNeighbors: neighbours, nEpochs: epochs, random: () => rng.uniform() });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  // umap-js reads the rows only to count them once the neighbours are given.
  const vectors = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const total = umap.initializeFit(vectors);
  for (let e = 0; e < total; e++) umap.step();
  const y = umap.getEmbedding();
  return {
    rows: picked,
    xs: Float32Array.from(y, (p) => p[0]!),
    ys: Float32Array.from(y, (p) => p[1]!),
    of: rows,
    neighbours,
    epochs: total,
    seed,
  };
}
