// Reconstruction errors of windows, in the forms the step mapping takes: one per window (Keras's
// example: the mean absolute error over the window) or one per step of each window (the mean over
// the features at that step), as mean squared or mean absolute error.

import { HourglassError } from '../engine/errors.js';
import type { SeriesWindows } from './windows.js';

export interface WindowErrorOptions {
  /** Default 'mse'. */
  metric?: 'mse' | 'mae';
  /** One error per step of each window ([count * window]) instead of one per window (default false). */
  perStep?: boolean;
}

export function windowErrors(
  windows: Pick<SeriesWindows, 'data' | 'count' | 'window' | 'features'>,
  reconstruction: ArrayLike<number>,
  options: WindowErrorOptions = {},
): Float64Array {
  const { data, count, window, features } = windows;
  const metric = options.metric ?? 'mse';
  if (metric !== 'mse' && metric !== 'mae')
    throw new HourglassError(`the window error must be 'mse' or 'mae', got '${String(metric)}'`);
  if (reconstruction.length !== data.length)
    throw new HourglassError(
      `the reconstruction has ${reconstruction.length} values but the ${count} windows of ${window} x ${features} have ${data.length}`,
    );
  const per = options.perStep ? features : window * features;
  const out = new Float64Array(data.length / per);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = i * per; j < (i + 1) * per; j++) {
      const d = reconstruction[j]! - data[j]!;
      s += metric === 'mse' ? d * d : Math.abs(d);
    }
    out[i] = s / per;
  }
  return out;
}
