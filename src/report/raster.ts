// Charts drawn into RGBA pixels without a browser (for `hourglass report --png`): the same chart
// specs the page draws with uPlot, as plain line, scatter and histogram plots with axes, ticks,
// a title and a legend in a small pixel font.

import type { ChartSpec } from './chart_spec.js';
import { drawText, GLYPH_HEIGHT, textWidth } from './font.js';
import { PALETTE } from './palette.js';
import type { Rgba } from './png_bytes.js';

type Colour = [number, number, number];
const hex = (h: string): Colour => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Colour;
const INK: Colour = [40, 44, 52],
  GRID: Colour = [228, 231, 235],
  RED: Colour = [214, 39, 40],
  GREY: Colour = [150, 150, 150];

class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4).fill(255);
  }
  dot(x: number, y: number, c: Colour): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const at = (y * this.width + x) * 4;
    this.data[at] = c[0];
    this.data[at + 1] = c[1];
    this.data[at + 2] = c[2];
  }
  rect(x0: number, y0: number, x1: number, y1: number, c: Colour): void {
    for (let y = Math.round(Math.min(y0, y1)); y < Math.round(Math.max(y0, y1)); y++)
      for (let x = Math.round(Math.min(x0, x1)); x < Math.round(Math.max(x0, x1)); x++) this.dot(x, y, c);
  }
  /** A line `width` pixels thick; `dash` draws on/off runs of that many pixels. */
  line(x0: number, y0: number, x1: number, y1: number, c: Colour, width = 2, dash = 0): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let s = 0; s <= steps; s++) {
      if (dash && Math.floor(s / dash) % 2 === 1) continue;
      const x = x0 + ((x1 - x0) * s) / steps,
        y = y0 + ((y1 - y0) * s) / steps;
      for (let d = 0; d < width; d++) for (let e = 0; e < width; e++) this.dot(x + d - width / 2, y + e - width / 2, c);
    }
  }
  text(t: string, x: number, y: number, c: Colour, scale = 2): void {
    drawText(t, x, y, scale, (px, py) => this.dot(px, py, c));
  }
}

/** About `count` round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6, minStep = 0): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    minStep,
    [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!,
  );
  const ticks: number[] = [];
  // Whole multiples of the step (no running sum, whose rounding would print 0.6000000000000001).
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Round steps of time, in seconds: a minute to a year. */
const TIME_STEPS = [
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  2 * 86400,
  7 * 86400,
  30 * 86400,
  365 * 86400,
];

/** About `count` ticks at round times (seconds since 1970, UTC) over [lo, hi], with their labels. */
export function timeTicks(lo: number, hi: number, count = 6): { at: number; text: string }[] {
  if (!(hi > lo)) return [];
  const raw = (hi - lo) / count;
  const step = TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / TIME_STEPS.at(-1)!) * TIME_STEPS.at(-1)!;
  const ticks: { at: number; text: string }[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) {
    const iso = new Date(k * step * 1000).toISOString();
    // Dates for steps of a day or more, else the day and the time of day.
    ticks.push({ at: k * step, text: step >= 86400 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}` });
  }
  return ticks;
}

const label = (v: number): string => {
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1).replace('e', 'E');
  return String(Number(v.toPrecision(4)));
};

function extent(values: number[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

/** The chart as pixels, `width` x `height`. */
export function renderChart(spec: ChartSpec, width = 900, height = 520): Rgba {
  const cv = new Canvas(width, height);
  const left = 80,
    right = width - 24,
    top = 48,
    bottom = height - 60;
  const logY = spec.kind === 'line' && spec.logY === true;
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  // Extents of the data on each axis.
  let xs: number[], ys: number[];
  if (spec.kind === 'line') {
    xs = spec.x;
    ys = spec.series.flatMap((s) => s.y.filter((v): v is number => v !== null).map(ty));
  } else if (spec.kind === 'scatter') {
    xs = spec.series.flatMap((s) => s.x);
    ys = spec.series.flatMap((s) => s.y);
  } else {
    xs = [spec.edges[0]!, spec.edges.at(-1)!];
    ys = [0, Math.max(1, ...spec.counts) * 1.05];
  }
  const [x0, x1] = spec.kind === 'histogram' ? [xs[0]!, xs[1]!] : extent(xs);
  const [y0, y1] = spec.kind === 'histogram' ? [0, ys[1]!] : extent(ys);
  const px = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (right - left);
  const py = (v: number) => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);

  const xTicks =
    spec.kind === 'line' && spec.timeX
      ? timeTicks(x0, x1, 5)
      : niceTicks(x0, x1, 6, spec.kind === 'line' && spec.integerX ? 1 : 0).map((t) => ({ at: t, text: label(t) }));
  for (const { at, text } of xTicks) {
    cv.line(px(at), top, px(at), bottom, GRID, 1);
    cv.text(text, px(at) - textWidth(text, 2) / 2, bottom + 8, INK);
  }
  for (const t of niceTicks(y0, y1, 5)) {
    cv.line(left, py(t), right, py(t), GRID, 1);
    const s = logY ? `1E${label(t)}` : label(t);
    cv.text(s, left - 8 - textWidth(s, 2), py(t) - GLYPH_HEIGHT, INK);
  }

  if (spec.kind === 'line') {
    if (spec.diagonal) cv.line(px(0), py(0), px(1), py(1), GREY, 1, 5);
    spec.series.forEach((s, k) => {
      const c = hex(PALETTE[k % PALETTE.length]!);
      for (let i = 1; i < spec.x.length; i++) {
        const a = s.y[i - 1],
          b = s.y[i];
        if (a === null || a === undefined || b === null || b === undefined) continue;
        cv.line(px(spec.x[i - 1]!), py(ty(a)), px(spec.x[i]!), py(ty(b)), c, 2, s.dash ? 6 : 0);
      }
      if (s.points)
        s.y.forEach((v, i) => {
          if (v !== null) cv.rect(px(spec.x[i]!) - 3, py(ty(v)) - 3, px(spec.x[i]!) + 3, py(ty(v)) + 3, c);
        });
    });
  } else if (spec.kind === 'scatter') {
    spec.series.forEach((s, k) => {
      const c = hex(PALETTE[k % PALETTE.length]!);
      s.x.forEach((x, i) => cv.rect(px(x) - 1, py(s.y[i]!) - 1, px(x) + 2, py(s.y[i]!) + 2, c));
    });
  } else {
    const c = hex(PALETTE[0]!);
    spec.counts.forEach((n, i) => {
      if (n > 0) cv.rect(px(spec.edges[i]!) + 1, py(n), px(spec.edges[i + 1]!) - 1, bottom, c);
    });
    if (spec.marker) cv.line(px(spec.marker.x), top, px(spec.marker.x), bottom, RED, 2, 6);
  }

  cv.line(left, bottom, right, bottom, INK, 1);
  cv.line(left, top, left, bottom, INK, 1);
  cv.text(spec.title, left, 14, INK);
  cv.text(spec.xLabel, (left + right) / 2 - textWidth(spec.xLabel, 2) / 2, bottom + 32, INK);
  cv.text(spec.yLabel, 8, top - 20, INK);
  // A legend of the series, top right, when there are several.
  const names = spec.kind === 'histogram' ? [] : spec.series.map((s) => s.label);
  if (names.length > 1) {
    let y = top + 8;
    for (const [k, name] of names.entries()) {
      const w = textWidth(name, 2);
      cv.rect(right - w - 26, y, right - w - 14, y + 10, hex(PALETTE[k % PALETTE.length]!));
      cv.text(name, right - w - 6, y, INK);
      y += 16;
    }
  }
  return { width, height, data: cv.data };
}
