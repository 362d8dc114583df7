// The training windows' errors as a sequence model keeps them: their quantiles at 0, 1/1000, ...,
// 1 (the thresholds read any quantile, the default one the last, the maximum). In memory every
// error is at hand; a streamed run adds them a batch at a time to an ErrorSample, which keeps
// them all up to its capacity (the quantiles are then exact, the in-memory ones) and above it a
// seeded uniform sample (reservoir sampling, algorithm R) with the exact minimum and maximum, so
// memory stays at the capacity's 8 bytes an error whatever the number of windows.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';

/** Training errors are kept as this many quantiles (0, 0.001, ..., 1): exact maximum, any quantile. */
export const QUANTILE_STEPS = 1000;

/** Errors an ErrorSample keeps before it samples (8 MB). */
export const ERROR_SAMPLE_CAPACITY = 1_000_000;

/**
 * The quantiles 0, 1/steps, ..., 1 of the values, with anomaly.ts quantile()'s interpolation
 * (linear between the two nearest sorted values), sorting once rather than once a quantile.
 */
export function errorQuantiles(values: ArrayLike<number>, steps = QUANTILE_STEPS): number[] {
  if (values.length === 0) throw new HourglassError('no values to take a quantile of');
  const sorted = Float64Array.from(values).sort();
  return Array.from({ length: steps + 1 }, (_, i) => {
    const pos = (i / steps) * (sorted.length - 1),
      lo = Math.floor(pos),
      hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  });
}

export class ErrorSample {
  private kept: Float64Array;
  private readonly random: Random;
  private seen = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(
    readonly capacity = ERROR_SAMPLE_CAPACITY,
    seed = 42,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new HourglassError(`error sample: capacity must be a positive integer, got ${capacity}`);
    // Grown as errors come (a short series does not hold the full capacity).
    this.kept = new Float64Array(Math.min(capacity, 1 << 16));
    this.random = new Random(seed);
  }

  add(errors: ArrayLike<number>): void {
    for (let i = 0; i < errors.length; i++) {
      const e = errors[i]!;
      this.min = Math.min(this.min, e);
      this.max = Math.max(this.max, e);
      if (this.seen < this.capacity) {
        if (this.seen === this.kept.length) {
          const grown = new Float64Array(Math.min(this.capacity, 2 * this.kept.length));
          grown.set(this.kept);
          this.kept = grown;
        }
        this.kept[this.seen] = e;
      } else {
        const j = this.random.int(this.seen + 1);
        if (j < this.capacity) this.kept[j] = e;
      }
      this.seen++;
    }
  }

  /** Errors added so far. */
  get count(): number {
    return this.seen;
  }

  /** Whether every error is kept (the quantiles are then the exact ones). */
  get exact(): boolean {
    return this.seen <= this.capacity;
  }

  /** The quantiles of the errors: exact, or the sample's with the exact minimum and maximum. */
  quantiles(steps = QUANTILE_STEPS): number[] {
    const q = errorQuantiles(this.kept.subarray(0, Math.min(this.seen, this.capacity)), steps);
    q[0] = this.min;
    q[steps] = this.max;
    return q;
  }
}
