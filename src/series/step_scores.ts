// From errors of windows back to time steps. Errors come one per window ([count]) or one per step
// of each window ([count * window], window i's error at its j-th step at i * window + j). A step's
// score is the mean over the windows covering it. Flags follow one of two rules:
//   'all-windows'  Keras's example: a step is anomalous only if every window covering it is
//                  (its error at that step above the threshold). Keras's loop checks windows
//                  i - window + 1 .. i - 1 and only steps window - 1 .. n - window; this is the rule
//                  its comment states, over all covering windows, for every step.
//   'mean'         the step's score is above the threshold.

import { HourglassError } from '../engine/errors.js';
import type { SeriesWindows } from './windows.js';

export type StepFlagRule = 'all-windows' | 'mean';

type Windows = Pick<SeriesWindows, 'count' | 'window' | 'steps' | 'starts'>;

/** Calls visit(step, error) for every step of every window. */
function eachCovered(w: Windows, errors: ArrayLike<number>, visit: (step: number, error: number) => void): void {
  const perStep = errors.length === w.count * w.window;
  if (!perStep && errors.length !== w.count)
    throw new HourglassError(
      `${errors.length} errors for ${w.count} windows of ${w.window} steps: give one per window (${w.count}) or one per step of each window (${w.count * w.window})`,
    );
  for (let i = 0; i < w.count; i++) {
    const s = w.starts[i]!;
    for (let j = 0; j < w.window; j++) visit(s + j, errors[perStep ? i * w.window + j : i]!);
  }
}

/** One score per step: the mean error of the windows covering it (NaN for a step none covers). */
export function stepScores(w: Windows, errors: ArrayLike<number>): Float64Array {
  const sum = new Float64Array(w.steps),
    n = new Float64Array(w.steps);
  eachCovered(w, errors, (t, e) => {
    sum[t]! += e;
    n[t]!++;
  });
  for (let t = 0; t < w.steps; t++) sum[t] = n[t]! > 0 ? sum[t]! / n[t]! : NaN;
  return sum;
}

/** One flag per step (1 anomalous), by the rule against the threshold (errors above it count). */
export function stepFlags(
  w: Windows,
  errors: ArrayLike<number>,
  threshold: number,
  rule: StepFlagRule = 'all-windows',
): Uint8Array {
  if (!Number.isFinite(threshold)) throw new HourglassError(`threshold must be a number, got ${threshold}`);
  const flags = new Uint8Array(w.steps);
  if (rule === 'mean') {
    const scores = stepScores(w, errors);
    for (let t = 0; t < w.steps; t++) flags[t] = scores[t]! > threshold ? 1 : 0;
    return flags;
  }
  if (rule !== 'all-windows')
    throw new HourglassError(`the step flag rule must be 'all-windows' or 'mean', got '${String(rule)}'`);
  // 0 never covered, 1 every covering window above, 2 some covering window not above.
  const state = new Uint8Array(w.steps);
  eachCovered(w, errors, (t, e) => {
    if (e > threshold) {
      if (state[t] === 0) state[t] = 1;
    } else state[t] = 2;
  });
  for (let t = 0; t < w.steps; t++) flags[t] = state[t] === 1 ? 1 : 0;
  return flags;
}
