// The report page's script (bundled with uPlot into the report by tools/build_report_page.ts):
// reads the chart specs inlined in the page and draws each into its box. Nothing is fetched.

import uPlot from 'uplot';
import type { ChartSpec, HistogramChart, LineChart, ScatterChart } from '../chart_spec.js';
import { PALETTE } from '../palette.js';

const HEIGHT = 280;
const colour = (k: number) => PALETTE[k % PALETTE.length]!;
const widthOf = (el: HTMLElement) => Math.max(260, Math.floor(el.clientWidth || 640));

/** A vertical line at x (a threshold) or the diagonal, drawn over the plot after the series. */
function overlay(draw: (u: uPlot, ctx: CanvasRenderingContext2D) => void): uPlot.Hooks.Arrays {
  return {
    draw: [
      (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.beginPath();
        ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
        ctx.clip();
        // A fresh path: the clip rectangle must not be stroked with the line.
        ctx.beginPath();
        draw(u, ctx);
        ctx.restore();
      },
    ],
  };
}

function lineChart(spec: LineChart, el: HTMLElement): uPlot {
  return new uPlot(
    {
      width: widthOf(el),
      height: HEIGHT,
      scales: { x: { time: spec.timeX ?? false }, ...(spec.logY ? { y: { distr: 3 } } : {}) },
      legend: { live: false, show: spec.series.length > 1 },
      axes: [
        { label: spec.xLabel, ...(spec.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) },
        { label: spec.yLabel, size: 70 },
      ],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s, k) => ({
          label: s.label,
          stroke: colour(k),
          width: 2,
          ...(s.dash ? { dash: [6, 4] } : {}),
          points: { show: s.points ?? false },
        })),
      ],
      ...(spec.diagonal
        ? {
            hooks: overlay((u, ctx) => {
              ctx.strokeStyle = '#999';
              ctx.setLineDash([4, 4]);
              ctx.moveTo(u.valToPos(0, 'x', true), u.valToPos(0, 'y', true));
              ctx.lineTo(u.valToPos(1, 'x', true), u.valToPos(1, 'y', true));
              ctx.stroke();
            }),
          }
        : {}),
    },
    [spec.x, ...spec.series.map((s) => s.y)] as uPlot.AlignedData,
    el,
  );
}

function scatterChart(spec: ScatterChart, el: HTMLElement): uPlot {
  // uPlot's x values ascend: all points sorted by x, each group's series null off its own points.
  const points: [number, number, number][] = [];
  spec.series.forEach((s, g) => s.x.forEach((x, i) => points.push([x, s.y[i]!, g])));
  points.sort((a, b) => a[0] - b[0]);
  const x = points.map((p) => p[0]);
  const ys = spec.series.map((_, g) => points.map((p) => (p[2] === g ? p[1] : null)));
  return new uPlot(
    {
      width: widthOf(el),
      height: HEIGHT + 80,
      scales: { x: { time: false } },
      cursor: { show: false },
      legend: { live: false },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s, k) => ({
          label: s.label,
          stroke: colour(k),
          fill: colour(k),
          paths: () => null,
          points: { show: true, size: 3, width: 0, fill: colour(k) },
        })),
      ],
    },
    [x, ...ys] as uPlot.AlignedData,
    el,
  );
}

function histogramChart(spec: HistogramChart, el: HTMLElement): uPlot {
  const centres = spec.counts.map((_, i) => (spec.edges[i]! + spec.edges[i + 1]!) / 2);
  const marker = spec.marker;
  return new uPlot(
    {
      width: widthOf(el),
      height: HEIGHT,
      scales: {
        x: { time: false, range: [spec.edges[0]!, spec.edges.at(-1)!] },
        y: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.05)] },
      },
      legend: { show: false },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      series: [
        { label: spec.xLabel },
        {
          label: 'rows',
          stroke: colour(0),
          fill: colour(0) + 'aa',
          paths: uPlot.paths.bars!({ size: [0.92, Infinity], align: 0 }),
          points: { show: false },
        },
      ],
      ...(marker
        ? {
            hooks: overlay((u, ctx) => {
              const px = u.valToPos(marker.x, 'x', true);
              ctx.strokeStyle = '#d62728';
              ctx.lineWidth = 2;
              ctx.setLineDash([6, 4]);
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }),
          }
        : {}),
    },
    [centres, spec.counts],
    el,
  );
}

interface Drawn {
  spec: ChartSpec;
  chart: uPlot;
}
declare global {
  interface Window {
    hourglassReport?: { charts: Record<string, Drawn>; errors: string[] };
  }
}

function drawAll(): void {
  const state: { charts: Record<string, Drawn>; errors: string[] } = { charts: {}, errors: [] };
  window.hourglassReport = state;
  const data = document.getElementById('hourglass-report-data');
  const specs = JSON.parse(data?.textContent ?? '{"charts":[]}') as { charts: ChartSpec[] };
  for (const spec of specs.charts) {
    const el = document.querySelector<HTMLElement>(`[data-chart="${spec.id}"]`);
    if (!el) {
      state.errors.push(`no box for chart ${spec.id}`);
      continue;
    }
    const chart =
      spec.kind === 'line'
        ? lineChart(spec, el)
        : spec.kind === 'scatter'
          ? scatterChart(spec, el)
          : histogramChart(spec, el);
    state.charts[spec.id] = { spec, chart };
  }
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const { chart, spec } of Object.values(state.charts)) {
        const el = document.querySelector<HTMLElement>(`[data-chart="${spec.id}"]`)!;
        chart.setSize({ width: widthOf(el), height: chart.height });
      }
    });
  });
}

drawAll();
