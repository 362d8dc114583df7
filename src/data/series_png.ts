// Node: a series plot (src/apps/series_plot.ts) written as a PNG file.

import fs from 'node:fs';
import { plotSeries, type SeriesPlotOptions } from '../apps/series_plot.js';
import { encodePng } from './png.js';

/** Writes the series (one column) with its flagged steps in red, labelled windows shaded. */
export function writeSeriesPlot(
  file: string,
  values: ArrayLike<number>,
  flags: ArrayLike<number>,
  options: SeriesPlotOptions = {},
): void {
  const width = options.width ?? 1200,
    height = options.height ?? 300;
  fs.writeFileSync(file, encodePng(plotSeries(values, flags, { ...options, width, height }), height, width, 3));
}
