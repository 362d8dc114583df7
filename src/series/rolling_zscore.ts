// Baseline detector: how many standard deviations each value lies from the mean of the `window`
// values before it (population deviation). With several columns a step scores its largest |z|.
// The first steps use the fewer values they have (a step with under two past values scores 0).
// A flat past window would divide by zero: its deviation is floored at 1e-6 of the column's
// deviation over the whole series, so a jump after a flat stretch scores high but finite.

import { HourglassError } from '../engine/errors.js';
import type { Series } from './series.js';

export interface RollingZScoreOptions {
  /** Past values the mean and deviation are taken over (default 64). */
  window?: number;
}

export function rollingZScores(
  series: Pick<Series, 'values' | 'steps' | 'features'>,
  options: RollingZScoreOptions = {},
): Float64Array {
  const window = options.window ?? 64;
  if (!(Number.isInteger(window) && window >= 2))
    throw new HourglassError(`the rolling z-score window must be a whole number of steps, at least 2; got ${window}`);
  const { values, steps, features } = series;
  const scores = new Float64Array(steps);
  for (let f = 0; f < features; f++) {
    const x = (i: number) => values[i * features + f]!;
    let mean = 0;
    for (let i = 0; i < steps; i++) mean += x(i) / steps;
    let ss = 0;
    for (let i = 0; i < steps; i++) ss += (x(i) - mean) ** 2;
    // A constant column has no scale of its own: 1 keeps its (rounding-sized) z at about 0.
    const sd = Math.sqrt(ss / steps);
    const floor = sd > 0 ? 1e-6 * sd : 1;
    for (let t = 2; t < steps; t++) {
      const from = Math.max(0, t - window),
        n = t - from;
      let m = 0;
      for (let i = from; i < t; i++) m += x(i);
      m /= n;
      let v = 0;
      for (let i = from; i < t; i++) v += (x(i) - m) ** 2;
      const z = Math.abs(x(t) - m) / Math.max(Math.sqrt(v / n), floor);
      if (z > scores[t]!) scores[t] = z;
    }
  }
  return scores;
}
