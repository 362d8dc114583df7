// Flagged steps as anomaly intervals: runs of consecutive flagged steps (runs separated by at most
// `mergeGap` unflagged steps join into one), each with its highest-scoring step.

import { HourglassError } from '../engine/errors.js';
import { stepTime, type Series } from './series.js';

export interface SeriesInterval {
  /** First and last flagged step (inclusive), as indices into the series. */
  start: number;
  end: number;
  startTime: string;
  endTime: string;
  /** The step with the highest score inside the interval, and that score. */
  peak: number;
  peakScore: number;
  peakTime: string;
  /** end - start + 1. */
  steps: number;
}

export interface IntervalOptions {
  /** Join intervals separated by at most this many unflagged steps (default 0: only adjacent steps). */
  mergeGap?: number;
}

export function seriesIntervals(
  series: Pick<Series, 'times' | 'timeKind'>,
  scores: ArrayLike<number>,
  flags: ArrayLike<number>,
  options: IntervalOptions = {},
): SeriesInterval[] {
  const n = series.times.length;
  if (scores.length !== n || flags.length !== n)
    throw new HourglassError(
      `the series has ${n} steps but there are ${scores.length} scores and ${flags.length} flags`,
    );
  const mergeGap = options.mergeGap ?? 0;
  if (!(Number.isInteger(mergeGap) && mergeGap >= 0))
    throw new HourglassError(`mergeGap must be a whole number of steps (0 or more), got ${mergeGap}`);
  const runs: [number, number][] = [];
  for (let t = 0; t < n; t++) {
    if (!flags[t]) continue;
    const last = runs[runs.length - 1];
    if (last && t - last[1] - 1 <= mergeGap) last[1] = t;
    else runs.push([t, t]);
  }
  return runs.map(([start, end]) => {
    let peak = start;
    for (let t = start + 1; t <= end; t++) if (scores[t]! > scores[peak]!) peak = t;
    return {
      start,
      end,
      startTime: stepTime(series, start),
      endTime: stepTime(series, end),
      peak,
      peakScore: scores[peak]!,
      peakTime: stepTime(series, peak),
      steps: end - start + 1,
    };
  });
}
