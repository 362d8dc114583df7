// The density of the training codes as one Gaussian: a row whose code lies far from where the
// training codes gather is unusual even when the decoder rebuilds it well (an extreme value along
// a direction the code keeps, which reconstruction error alone cannot see). The distance is the
// squared Mahalanobis distance to the codes' mean.

import { HourglassError } from '../engine/errors.js';

export interface CodeDensity {
  mean: number[];
  /** The inverse of the (slightly shrunk) covariance, row-major [dim, dim]. */
  precision: number[];
}

/** Inverts a symmetric positive-definite matrix (row-major, dim x dim) by Gauss-Jordan with pivoting. */
function invert(matrix: Float64Array, dim: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) inv[i * dim + i] = 1;
  for (let c = 0; c < dim; c++) {
    let pivot = c;
    for (let r = c + 1; r < dim; r++) if (Math.abs(a[r * dim + c]!) > Math.abs(a[pivot * dim + c]!)) pivot = r;
    if (pivot !== c)
      for (let j = 0; j < dim; j++) {
        [a[c * dim + j], a[pivot * dim + j]] = [a[pivot * dim + j]!, a[c * dim + j]!];
        [inv[c * dim + j], inv[pivot * dim + j]] = [inv[pivot * dim + j]!, inv[c * dim + j]!];
      }
    const d = a[c * dim + c]!;
    if (!(Math.abs(d) > 0)) throw new HourglassError('the code covariance is singular');
    for (let j = 0; j < dim; j++) {
      a[c * dim + j] = a[c * dim + j]! / d;
      inv[c * dim + j] = inv[c * dim + j]! / d;
    }
    for (let r = 0; r < dim; r++) {
      if (r === c) continue;
      const f = a[r * dim + c]!;
      if (f === 0) continue;
      for (let j = 0; j < dim; j++) {
        a[r * dim + j] = a[r * dim + j]! - f * a[c * dim + j]!;
        inv[r * dim + j] = inv[r * dim + j]! - f * inv[c * dim + j]!;
      }
    }
  }
  return inv;
}

/** Fits the Gaussian to codes [rows, dim] (row-major). */
export function fitCodeDensity(codes: ArrayLike<number>, dim: number): CodeDensity {
  const rows = codes.length / dim;
  if (!(rows >= 2)) throw new HourglassError('fitting the code density needs at least 2 rows');
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) mean[j] = mean[j]! + codes[i * dim + j]! / rows;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) centred[j] = codes[i * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++) cov[a * dim + b] = cov[a * dim + b]! + (centred[a]! * centred[b]!) / rows;
  }
  // Codes of a small table can be nearly collinear (a unit that never fires, two that move
  // together): a small ridge keeps the inverse finite without changing well-spread directions.
  let trace = 0;
  for (let j = 0; j < dim; j++) trace += cov[j * dim + j]!;
  const ridge = 1e-3 * (trace / dim) + 1e-9;
  for (let j = 0; j < dim; j++) cov[j * dim + j] = cov[j * dim + j]! + ridge;
  return { mean: Array.from(mean), precision: Array.from(invert(cov, dim)) };
}

/** Squared Mahalanobis distance of every code [rows, dim] to the density's mean. */
export function codeDistances(density: CodeDensity, codes: ArrayLike<number>): Float64Array {
  const dim = density.mean.length;
  const rows = codes.length / dim;
  const out = new Float64Array(rows);
  const centred = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) centred[j] = codes[i * dim + j]! - density.mean[j]!;
    let s = 0;
    for (let a = 0; a < dim; a++) {
      let row = 0;
      for (let b = 0; b < dim; b++) row += density.precision[a * dim + b]! * centred[b]!;
      s += centred[a]! * row;
    }
    out[i] = s;
  }
  return out;
}
