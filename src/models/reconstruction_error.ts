// Reconstruction errors of rows: the squared error of every value and each row's mean over its
// observed values (a mask leaves missing cells out, so a row with gaps is not scored on the
// column means it was filled with).

import { HourglassError } from '../engine/errors.js';

export interface RowErrors {
  errors: Float32Array;
  scores: Float32Array;
  rows: number;
  features: number;
}

function checkSizes(x: Float32Array, out: Float32Array, mask: Float32Array | null): void {
  if (out.length !== x.length)
    throw new HourglassError('reconstruction errors need an autoencoder: its output must have the shape of its input');
  if (mask && mask.length !== x.length)
    throw new HourglassError(`the mask has ${mask.length} values, the rows ${x.length}`);
}

export function rowErrors(
  x: Float32Array,
  out: Float32Array,
  rows: number,
  mask: Float32Array | null = null,
): RowErrors {
  checkSizes(x, out, mask);
  const features = x.length / rows;
  const errors = new Float32Array(x.length);
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0,
      n = 0;
    for (let j = r * features; j < (r + 1) * features; j++) {
      if (mask && mask[j] === 0) continue;
      const d = out[j]! - x[j]!;
      errors[j] = d * d;
      s += d * d;
      n++;
    }
    scores[r] = n ? s / n : 0;
  }
  return { errors, scores, rows, features };
}

/**
 * rowErrors' scores alone, the same values: what score() and the scoring server need. Without
 * the per-value errors and with the mask's test out of the unmasked loop it runs 2-3 times as
 * fast, and on the server it was a twentieth of the main thread.
 */
export function rowScores(
  x: Float32Array,
  out: Float32Array,
  rows: number,
  mask: Float32Array | null = null,
): Float32Array {
  checkSizes(x, out, mask);
  const features = x.length / rows;
  const scores = new Float32Array(rows);
  for (let r = 0, j = 0; r < rows; r++) {
    const end = j + features;
    let s = 0,
      n = features;
    if (mask === null)
      for (; j < end; j++) {
        const d = out[j]! - x[j]!;
        s += d * d;
      }
    else {
      n = 0;
      for (; j < end; j++) {
        if (mask[j] === 0) continue;
        const d = out[j]! - x[j]!;
        s += d * d;
        n++;
      }
    }
    scores[r] = n ? s / n : 0;
  }
  return scores;
}
