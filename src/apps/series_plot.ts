// A picture of a series with its flagged steps, as the Keras time-series example draws it (the
// series as a line, the anomalous steps in red on top), plus the labelled anomaly windows shaded
// when they are known: an RGB image in [0, 1], [height, width, 3], that encodePng writes out.

import { HourglassError } from '../engine/errors.js';

export interface SeriesPlotOptions {
  width?: number;
  height?: number;
  /** 1 for steps to shade (labelled anomaly windows), drawn under the line. */
  labels?: ArrayLike<number>;
}

type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [1, 1, 1],
  SHADE: Rgb = [0.85, 0.93, 0.85],
  LINE: Rgb = [0.12, 0.31, 0.63],
  FLAGGED: Rgb = [0.86, 0.1, 0.1],
  AXIS: Rgb = [0.6, 0.6, 0.6];

/** The series (one column) drawn left to right; flagged steps redrawn in red. */
export function plotSeries(
  values: ArrayLike<number>,
  flags: ArrayLike<number>,
  o: SeriesPlotOptions = {},
): Float32Array {
  const width = o.width ?? 1200,
    height = o.height ?? 300,
    n = values.length;
  if (n < 2) throw new HourglassError(`a plot needs at least two steps, got ${n}`);
  if (flags.length !== n || (o.labels && o.labels.length !== n))
    throw new HourglassError(
      `the plot has ${n} values but ${flags.length} flags${o.labels ? ` and ${o.labels.length} labels` : ''}`,
    );
  const img = new Float32Array(width * height * 3);
  const put = (x: number, y: number, c: Rgb) => {
    if (x < 0 || x >= width || y < 0 || y >= height) return;
    img.set(c, (y * width + x) * 3);
  };
  for (let p = 0; p < width * height; p++) img.set(BACKGROUND, p * 3);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) [lo, hi] = [Math.min(lo, values[i]!), Math.max(hi, values[i]!)];
  const span = hi > lo ? hi - lo : 1;
  const margin = 8;
  const xOf = (i: number) => Math.round((i / (n - 1)) * (width - 1));
  const yOf = (v: number) => Math.round(height - 1 - margin - ((v - lo) / span) * (height - 1 - 2 * margin));
  if (o.labels)
    for (let i = 0; i < n; i++)
      if (o.labels[i])
        for (let x = xOf(i); x <= xOf(Math.min(i + 1, n - 1)); x++) for (let y = 0; y < height; y++) put(x, y, SHADE);
  for (let x = 0; x < width; x++) put(x, height - 1, AXIS);
  // Consecutive steps joined by vertical runs: one pixel column may hold many steps.
  const segment = (i: number, c: Rgb, thick: number) => {
    const [x0, x1] = [xOf(i), xOf(i + 1)];
    const [y0, y1] = [yOf(values[i]!), yOf(values[i + 1]!)];
    for (let x = x0; x <= x1; x++) {
      const t = x1 === x0 ? 1 : (x - x0) / (x1 - x0);
      const ya = Math.round(y0 + (y1 - y0) * Math.max(0, t - 1 / (x1 - x0 + 1)));
      const yb = Math.round(y0 + (y1 - y0) * t);
      for (let y = Math.min(ya, yb) - thick; y <= Math.max(ya, yb) + thick; y++) put(x, y, c);
    }
  };
  for (let i = 0; i + 1 < n; i++) segment(i, LINE, 0);
  for (let i = 0; i + 1 < n; i++) if (flags[i] && flags[i + 1]) segment(i, FLAGGED, 1);
  for (let i = 0; i < n; i++)
    if (flags[i])
      for (let d = -1; d <= 1; d++) for (let e = -1; e <= 1; e++) put(xOf(i) + d, yOf(values[i]!) + e, FLAGGED);
  return img;
}
