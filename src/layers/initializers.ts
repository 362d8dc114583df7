// Weight initializers: Keras defaults (Glorot uniform kernels, zero biases), He, and explicit values.
// All draw from the seeded generator passed in, so the same seed gives the same weights.

import { jsonPreview } from '../engine/json_preview.js';
import { HourglassError } from '../engine/errors.js';
import type { Random } from '../engine/random.js';

export type Initializer =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'zeros'
  | 'ones'
  | 'orthogonal'
  | { orthogonal: { gain?: number } }
  | { constant: number }
  | { values: ArrayLike<number> }
  | { normal: { mean?: number; stddev: number } }
  | { uniform: { min: number; max: number } };

/** fanIn/fanOut of a weight shape: [in, out] for dense, [kh, kw, in, out] for convolutions. */
export function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

// Keras draws "normal" variance-scaling initializers from a normal truncated at 2 stddev,
// rescaled so the truncated distribution keeps the intended variance.
function truncatedNormal(rng: Random, stddev: number): number {
  const s = stddev / 0.8796256610342398;
  for (;;) {
    const v = rng.normal();
    if (Math.abs(v) <= 2) return v * s;
  }
}

export function initialize(init: Initializer, shape: number[], out: Float32Array, rng: Random, where: string): void {
  const { fanIn, fanOut } = fans(shape);
  const n = out.length;
  if (typeof init === 'string') {
    switch (init) {
      case 'zeros':
        out.fill(0);
        return;
      case 'ones':
        out.fill(1);
        return;
      case 'glorotUniform': {
        const l = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < n; i++) out[i] = (rng.uniform() * 2 - 1) * l;
        return;
      }
      case 'heUniform': {
        const l = Math.sqrt(6 / fanIn);
        for (let i = 0; i < n; i++) out[i] = (rng.uniform() * 2 - 1) * l;
        return;
      }
      case 'glorotNormal': {
        const s = Math.sqrt(2 / (fanIn + fanOut));
        for (let i = 0; i < n; i++) out[i] = truncatedNormal(rng, s);
        return;
      }
      case 'heNormal': {
        const s = Math.sqrt(2 / fanIn);
        for (let i = 0; i < n; i++) out[i] = truncatedNormal(rng, s);
        return;
      }
      case 'orthogonal':
        orthogonal(shape, out, rng, 1);
        return;
      default:
        throw new HourglassError(`${where}: unknown initializer '${String(init)}'`);
    }
  }
  // A saved model.json may hold anything here: only objects name an initializer.
  if (typeof init !== 'object' || init === null || Array.isArray(init))
    throw new HourglassError(`${where}: an initializer is a name or an object, got ${jsonPreview(init)}`);
  if ('constant' in init) {
    out.fill(init.constant);
    return;
  }
  if ('values' in init) {
    if (init.values.length !== n)
      throw new HourglassError(
        `${where}: explicit initializer has ${init.values.length} values, shape [${shape.join(', ')}] needs ${n}`,
      );
    out.set(init.values);
    return;
  }
  if ('normal' in init) {
    const { mean = 0, stddev } = init.normal;
    for (let i = 0; i < n; i++) out[i] = mean + stddev * rng.normal();
    return;
  }
  if ('orthogonal' in init) {
    orthogonal(shape, out, rng, init.orthogonal.gain ?? 1);
    return;
  }
  if ('uniform' in init) {
    const { min, max } = init.uniform;
    for (let i = 0; i < n; i++) out[i] = min + (max - min) * rng.uniform();
    return;
  }
  throw new HourglassError(`${where}: unknown initializer ${jsonPreview(init)}`);
}

/**
 * Keras's Orthogonal: the weight seen as [rows = all but the last axis, cols = last axis] gets
 * orthonormal rows (rows <= cols) or columns. Keras takes Q of the QR decomposition of a normal
 * [max, min] matrix with R's diagonal made positive, transposed when rows < cols; modified
 * Gram-Schmidt on the columns gives that same Q (in float64).
 */
function orthogonal(shape: number[], out: Float32Array, rng: Random, gain: number): void {
  const cols = shape[shape.length - 1] ?? 1;
  const rows = out.length / cols;
  const big = Math.max(rows, cols),
    small = Math.min(rows, cols);
  const a = new Float64Array(big * small);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  for (let j = 0; j < small; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < big; i++) dot += a[i * small + j]! * a[i * small + k]!;
      for (let i = 0; i < big; i++) a[i * small + j]! -= dot * a[i * small + k]!;
    }
    let norm = 0;
    for (let i = 0; i < big; i++) norm += a[i * small + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < big; i++) a[i * small + j]! /= norm;
  }
  // a is Q, [big, small]: the weight is Q itself when rows >= cols, else Q transposed.
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? a[r * small + c]! : a[c * small + r]!);
}

/** Explicit values are not worth saving in model.json (the weights file has them). */
export function serializableInitializer(init: Initializer): Initializer {
  return typeof init === 'object' && 'values' in init ? 'zeros' : init;
}
