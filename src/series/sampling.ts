// Regular sampling: the usual step is the most common difference between timestamps. A longer
// difference that is a whole number of steps is a gap: an error by default (a model of windows
// assumes every window spans the same time), filled with inserted steps, or kept as it is
// (irregular recordings, such as NAB's traffic sensors, are then taken as plain sequences).

import { HourglassError } from '../engine/errors.js';
import { formatDuration, type TimeKind } from './timestamps.js';

export type GapRule = 'error' | 'keep' | 'interpolate' | 'previous';

/** The most common difference between consecutive times (the smallest of equally common ones). */
export function usualStep(times: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0,
    bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount || (n === bestCount && d < best)) [best, bestCount] = [d, n];
  return best;
}

export interface Resampled {
  times: Float64Array;
  /** For each output step, the input step it is, or -1 for a step inserted into a gap. */
  from: Int32Array;
  inserted: number;
  irregular: number;
}

/** Whole number of steps in dt, or 0 when dt is not (nearly: times may be fractional numbers) one. */
function wholeSteps(dt: number, step: number): number {
  const k = Math.round(dt / step);
  return k >= 1 && Math.abs(dt - k * step) <= 1e-9 * step ? k : 0;
}

/**
 * Applies the gap rule. `line(i)` names input step i's row in messages; `time(i)` its timestamp text.
 */
export function resample(
  times: Float64Array,
  kind: TimeKind,
  rule: GapRule,
  file: string,
  line: (i: number) => number,
  time: (i: number) => string,
): Resampled {
  const n = times.length;
  const identity = { times, from: Int32Array.from({ length: n }, (_, i) => i), inserted: 0, irregular: 0 };
  if (n < 3) return identity;
  const step = usualStep(times);
  let irregular = 0,
    inserted = 0;
  for (let i = 1; i < n; i++) {
    const dt = times[i]! - times[i - 1]!;
    const k = wholeSteps(dt, step);
    if (k === 1) continue;
    irregular++;
    const what =
      `rows ${line(i - 1)} and ${line(i)} ('${time(i - 1)}', '${time(i)}') are ${formatDuration(dt, kind)} apart, ` +
      `but the usual step is ${formatDuration(step, kind)}`;
    if (rule === 'error')
      throw new HourglassError(
        k > 1
          ? `${file}: ${what} (a gap): fill gaps with gaps: 'interpolate' or 'previous', or keep the irregular steps with gaps: 'keep'`
          : `${file}: ${what}: keep the irregular steps with gaps: 'keep'`,
      );
    if (rule === 'keep') continue;
    if (k === 0)
      throw new HourglassError(
        `${file}: ${what}, not a whole number of steps, so the gap cannot be filled: keep the irregular steps with gaps: 'keep'`,
      );
    inserted += k - 1;
  }
  if (rule === 'keep') return { ...identity, irregular };
  // Filling a long outage of a fast sensor could make the series many times longer than the file.
  if (inserted > 10 * n)
    throw new HourglassError(
      `${file}: filling its gaps would insert ${inserted} steps into ${n}: keep the irregular steps with gaps: 'keep'`,
    );
  const out = new Float64Array(n + inserted),
    from = new Int32Array(n + inserted);
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const k = wholeSteps(times[i]! - times[i - 1]!, step);
      for (let j = 1; j < k; j++) {
        out[o] = times[i - 1]! + j * step;
        from[o++] = -1;
      }
    }
    out[o] = times[i]!;
    from[o++] = i;
  }
  return { times: out, from, inserted, irregular };
}
