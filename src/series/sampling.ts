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
  return mostCommonStep(counts);
}

/** usualStep from a count of each difference (what a streamed first pass keeps). */
export function mostCommonStep(counts: Map<number, number>): number {
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
export function wholeSteps(dt: number, step: number): number {
  const k = Math.round(dt / step);
  return k >= 1 && Math.abs(dt - k * step) <= 1e-9 * step ? k : 0;
}

/** Two consecutive input steps, for the gap rule's messages. */
export interface StepPair {
  dt: number;
  lines: [number, number];
  times: [string, string];
}

/**
 * The gap rule on one difference between steps: the steps to insert before the later one (0 for
 * none), or the rule's error. The streamed reader (series_stream.ts) applies it step by step.
 */
export function gapSteps(pair: StepPair, step: number, kind: TimeKind, rule: GapRule, file: string): number {
  const { dt } = pair;
  const k = wholeSteps(dt, step);
  if (k === 1) return 0;
  const what =
    `rows ${pair.lines[0]} and ${pair.lines[1]} ('${pair.times[0]}', '${pair.times[1]}') are ${formatDuration(dt, kind)} apart, ` +
    `but the usual step is ${formatDuration(step, kind)}`;
  if (rule === 'error')
    throw new HourglassError(
      k > 1
        ? `${file}: ${what} (a gap): fill gaps with gaps: 'interpolate' or 'previous', or keep the irregular steps with gaps: 'keep'`
        : `${file}: ${what}: keep the irregular steps with gaps: 'keep'`,
    );
  if (rule === 'keep') return 0;
  if (k === 0)
    throw new HourglassError(
      `${file}: ${what}, not a whole number of steps, so the gap cannot be filled: keep the irregular steps with gaps: 'keep'`,
    );
  return k - 1;
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
    if (wholeSteps(dt, step) === 1) continue;
    irregular++;
    inserted += gapSteps({ dt, lines: [line(i - 1), line(i)], times: [time(i - 1), time(i)] }, step, kind, rule, file);
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
