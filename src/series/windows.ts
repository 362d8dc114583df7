// Sliding windows over a series, as the tensor a sequence model trains on: [count, window,
// features], row-major (window i is steps starts[i] .. starts[i] + window - 1). Windows start every
// `stride` steps; when the stride does not land on the last step, one more window ends there
// (coverEnd, the default), so that every step is covered and gets a score.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Series } from './series.js';

export interface WindowOptions {
  window: number;
  /** Steps between window starts (default 1). */
  stride?: number;
  /** Add a last window ending at the last step when the stride skips it (default true). */
  coverEnd?: boolean;
}

export interface SeriesWindows extends Tensor {
  /** shape [count, window, features]. */
  count: number;
  window: number;
  features: number;
  /** The series' number of steps. */
  steps: number;
  /** The first step of each window. */
  starts: Int32Array;
}

type Values = Pick<Series, 'values' | 'steps' | 'features'> & { file?: string };

export function slidingWindows(series: Values, options: WindowOptions): SeriesWindows {
  const { window } = options;
  const stride = options.stride ?? 1;
  const name = series.file ?? 'the series';
  if (!(Number.isInteger(window) && window >= 1))
    throw new HourglassError(`window must be a whole number of steps, at least 1; got ${window}`);
  if (!(Number.isInteger(stride) && stride >= 1))
    throw new HourglassError(`stride must be a whole number of steps, at least 1; got ${stride}`);
  const { steps, features } = series;
  if (steps < window)
    throw new HourglassError(`${name} has ${steps} steps, fewer than the window of ${window}: use a shorter window`);
  const starts: number[] = [];
  for (let s = 0; s + window <= steps; s += stride) starts.push(s);
  if (options.coverEnd !== false && starts[starts.length - 1]! + window < steps) starts.push(steps - window);
  const count = starts.length,
    size = window * features;
  const data = new Float32Array(count * size);
  // Consecutive steps are contiguous in a row-major series: each window is one slice.
  starts.forEach((s, i) => data.set(series.values.subarray(s * features, s * features + size), i * size));
  return { data, shape: [count, window, features], count, window, features, steps, starts: Int32Array.from(starts) };
}

/** The steps window i covers, [first, last]. */
export function windowSteps(w: SeriesWindows, i: number): [number, number] {
  const s = w.starts[i]!;
  return [s, s + w.window - 1];
}
