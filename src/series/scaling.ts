// Scaling a series' value columns with parameters fitted on training data and kept as plain JSON
// (saved in the model folder, applied again to the series scored later). 'standard' subtracts the
// mean and divides by the standard deviation, with pandas' n - 1 divisor as Keras's time-series
// example computes it; 'minmax' maps the training range onto [0, 1]. A column that is constant in
// the training data has no scale: that is an error, not a silent division by a stand-in.

import { HourglassError } from '../engine/errors.js';
import type { Series } from './series.js';

export type SeriesScalingMethod = 'standard' | 'minmax';

export interface SeriesScaling {
  format: 'hourglass-series-scaling';
  version: 1;
  method: SeriesScalingMethod;
  /** scaled = (value - center) / scale, per value column. */
  columns: { name: string; center: number; scale: number }[];
}

export function fitSeriesScaling(series: Series, method: SeriesScalingMethod = 'standard'): SeriesScaling {
  if (method !== 'standard' && method !== 'minmax')
    throw new HourglassError(`series scaling must be 'standard' or 'minmax', got '${String(method)}'`);
  const { values, steps, features } = series;
  if (steps < 2) throw new HourglassError(`${series.file} has ${steps} step: scaling needs at least two`);
  const columns = series.columns.map((name, f) => {
    let sum = 0,
      lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < steps; i++) {
      const v = values[i * features + f]!;
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo))
      throw new HourglassError(
        `${series.file}: column '${name}' is constant (${lo}) over all ${steps} steps, so it cannot be scaled: leave it out of the value columns`,
      );
    if (method === 'minmax') return { name, center: lo, scale: hi - lo };
    const mean = sum / steps;
    let ss = 0;
    for (let i = 0; i < steps; i++) ss += (values[i * features + f]! - mean) ** 2;
    return { name, center: mean, scale: Math.sqrt(ss / (steps - 1)) };
  });
  return { format: 'hourglass-series-scaling', version: 1, method, columns };
}

/** The scaled copy of a series; its columns must be the ones the scaling was fitted on (by name). */
export function scaleSeries(scaling: SeriesScaling, series: Series): Series {
  const want = scaling.columns.map((c) => c.name);
  const absent = want.filter((c) => !series.columns.includes(c));
  if (absent.length)
    throw new HourglassError(
      `${series.file}: the scaling was fitted on column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `'${c}'`).join(', ')}, which ${absent.length > 1 ? 'are' : 'is'} not in this series (columns: ${series.columns.map((c) => `'${c}'`).join(', ')})`,
    );
  // The scaled series has the scaling's columns in the scaling's order (the model's input order).
  const at = want.map((c) => series.columns.indexOf(c));
  const d = want.length,
    values = new Float64Array(series.steps * d);
  for (let i = 0; i < series.steps; i++)
    for (let f = 0; f < d; f++) {
      const c = scaling.columns[f]!;
      values[i * d + f] = (series.values[i * series.features + at[f]!]! - c.center) / c.scale;
    }
  return { ...series, columns: want, values, features: d };
}

/** Scaled values back to the original units: any row-major buffer whose last axis is the columns. */
export function unscaleValues<T extends Float32Array | Float64Array>(scaling: SeriesScaling, scaled: T): T {
  const d = scaling.columns.length;
  if (scaled.length % d !== 0)
    throw new HourglassError(`${scaled.length} values are not a whole number of rows of ${d} columns`);
  const out = scaled.slice() as T;
  for (let i = 0; i < out.length; i++) {
    const c = scaling.columns[i % d]!;
    out[i] = scaled[i]! * c.scale + c.center;
  }
  return out;
}

/** Validates scaling read back from a model folder. */
export function checkSeriesScaling(v: unknown, file: string): SeriesScaling {
  const s = v as Partial<SeriesScaling> | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.format === 'hourglass-series-scaling' &&
    s.version === 1 &&
    (s.method === 'standard' || s.method === 'minmax') &&
    Array.isArray(s.columns) &&
    s.columns.length > 0 &&
    s.columns.every(
      (c) => c && typeof c.name === 'string' && Number.isFinite(c.center) && Number.isFinite(c.scale) && c.scale > 0,
    );
  if (!ok) throw new HourglassError(`${file}: the saved series scaling is damaged`);
  return s as SeriesScaling;
}
