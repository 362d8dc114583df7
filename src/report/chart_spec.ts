// What a report's charts are, as plain data: the page draws them with uPlot (page/report_page.ts)
// and `hourglass report --png` rasterizes the same specs (raster.ts), so both show the same thing.

/** Lines over one shared, ascending x (loss per epoch, ROC and PR curves). */
export interface LineChart {
  kind: 'line';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** x counts whole things (epochs, steps): ticks at whole numbers only. */
  integerX?: boolean;
  /** x is a time in seconds since 1970 (dates on the axis). */
  timeX?: boolean;
  x: number[];
  series: { label: string; y: (number | null)[]; dash?: boolean; points?: boolean }[];
  /** A diagonal from (0, 0) to (1, 1): the ROC curve of a random ranking. */
  diagonal?: boolean;
}

/** Points, one series per group (a label), each with its own coordinates. */
export interface ScatterChart {
  kind: 'scatter';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: { label: string; x: number[]; y: number[] }[];
}

/** Counts per bin (edges ascending, one more edge than counts), with an optional marked value. */
export interface HistogramChart {
  kind: 'histogram';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  edges: number[];
  counts: number[];
  marker?: { x: number; label: string };
}

export type ChartSpec = LineChart | ScatterChart | HistogramChart;

/** How many marks a chart draws: points of a scatter, bars of a histogram, x positions of lines. */
export function markCount(c: ChartSpec): number {
  if (c.kind === 'scatter') return c.series.reduce((s, g) => s + g.x.length, 0);
  if (c.kind === 'histogram') return c.counts.length;
  return c.x.length;
}

/** Counts of values in `bins` equal-width bins over [lo, hi] (values outside go to the end bins). */
export function histogram(
  values: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number,
): { edges: number[]; counts: number[] } {
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i]! - lo) / width);
    counts[Math.min(bins - 1, Math.max(0, b))]!++;
  }
  return { edges, counts };
}
