// k-nearest-neighbour classification of codes: how much label information an encoder keeps.
// Distances come from the GEMM (|a|^2 + |b|^2 - 2 a.b), a block of query rows at a time.

import { HourglassError } from '../engine/errors.js';
import { arena, bufFrom } from '../engine/memory.js';
import { gemm } from '../engine/ops.js';
import type { Tensor } from '../engine/tensor.js';

const BLOCK = 256;

/** Predicted labels of the query rows: majority vote of their k nearest reference rows (ties: nearest). */
export function knnPredict(reference: Tensor, labels: ArrayLike<number>, query: Tensor, k = 5): Int32Array {
  const n = reference.shape[0]!,
    q = query.shape[0]!,
    d = reference.data.length / n;
  if (labels.length !== n) throw new HourglassError(`k-NN: ${n} reference rows but ${labels.length} labels`);
  if (query.data.length / q !== d)
    throw new HourglassError(`k-NN: reference rows have ${d} values, query rows ${query.data.length / q}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= n))
    throw new HourglassError(`k-NN: k must be between 1 and ${n}, got ${k}`);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += reference.data[i * d + j]! ** 2;
    norms[i] = s;
  }
  const ref = bufFrom(reference.data),
    qb = arena.alloc(BLOCK * d),
    dots = arena.alloc(BLOCK * n);
  const out = new Int32Array(q);
  const bestD = new Float64Array(k),
    bestI = new Int32Array(k);
  for (let start = 0; start < q; start += BLOCK) {
    const rows = Math.min(BLOCK, q - start);
    qb.view().set(query.data.subarray(start * d, (start + rows) * d));
    gemm({ m: rows, n, k: d, a: qb, lda: d, b: ref, ldb: d, transB: true, c: dots, ldc: n });
    const dv = dots.view();
    for (let r = 0; r < rows; r++) {
      bestD.fill(Infinity);
      bestI.fill(-1);
      for (let i = 0; i < n; i++) {
        // |q|^2 is the same for every candidate, so it is left out of the ranking.
        const dist = norms[i]! - 2 * dv[r * n + i]!;
        if (dist >= bestD[k - 1]!) continue;
        let p = k - 1;
        while (p > 0 && bestD[p - 1]! > dist) {
          bestD[p] = bestD[p - 1]!;
          bestI[p] = bestI[p - 1]!;
          p--;
        }
        bestD[p] = dist;
        bestI[p] = i;
      }
      const votes = new Map<number, number>();
      let winner = labels[bestI[0]!]!,
        most = 0;
      for (let p = 0; p < k; p++) {
        const l = labels[bestI[p]!]!;
        const v = (votes.get(l) ?? 0) + 1;
        votes.set(l, v);
        // Strictly more votes wins; on a tie the label reached first (nearer) stays.
        if (v > most) {
          most = v;
          winner = l;
        }
      }
      out[start + r] = winner;
    }
  }
  for (const b of [ref, qb, dots]) arena.release(b);
  return out;
}

/** Share of query rows whose k-NN label matches their true label. */
export function knnAccuracy(
  reference: Tensor,
  labels: ArrayLike<number>,
  query: Tensor,
  queryLabels: ArrayLike<number>,
  k = 5,
): number {
  const predicted = knnPredict(reference, labels, query, k);
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === queryLabels[i]) right++;
  return right / predicted.length;
}
