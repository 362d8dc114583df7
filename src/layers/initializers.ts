// Weight initializers: Keras defaults (Glorot uniform kernels, zero biases), He, and explicit values.
// All draw from the seeded generator passed in, so the same seed gives the same weights.

import { HourglassError } from '../engine/errors.js';
import type { Random } from '../engine/random.js';

export type Initializer =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'zeros'
  | 'ones'
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
      default:
        throw new HourglassError(`${where}: unknown initializer '${String(init)}'`);
    }
  }
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
  if ('uniform' in init) {
    const { min, max } = init.uniform;
    for (let i = 0; i < n; i++) out[i] = min + (max - min) * rng.uniform();
    return;
  }
  throw new HourglassError(`${where}: unknown initializer ${JSON.stringify(init)}`);
}

/** Explicit values are not worth saving in model.json (the weights file has them). */
export function serializableInitializer(init: Initializer): Initializer {
  return typeof init === 'object' && 'values' in init ? 'zeros' : init;
}
