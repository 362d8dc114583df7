// The playground's charts, drawn by uPlot: the live loss curve (train and validation per epoch)
// and the 2-D code map (one point series per label, coloured by label).

import uPlot from 'uplot';

// The colours the report uses too, so a label looks the same on the page and in a report.
import { PALETTE } from '../src/report/palette.js';

const widthOf = (el: HTMLElement): number => Math.max(240, Math.floor(el.clientWidth || 600));

/** Keeps a chart as wide as its box when the window changes size. */
function fitWidth(chart: uPlot, el: HTMLElement, height: number): void {
  new ResizeObserver(() => chart.setSize({ width: widthOf(el), height })).observe(el);
}

export interface LossChart {
  /** Adds one epoch's losses (validation may be missing). */
  add(epoch: number, loss: number, valLoss: number | undefined): void;
  /** Forgets all points (a new training run). */
  reset(): void;
}

export function lossChart(el: HTMLElement): LossChart {
  const epochs: number[] = [],
    train: number[] = [],
    val: (number | null)[] = [];
  const height = 260;
  const chart = new uPlot(
    {
      width: widthOf(el),
      height,
      scales: { x: { time: false } },
      legend: { live: false },
      axes: [
        { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100] },
        { label: 'loss', size: 70 },
      ],
      series: [
        { label: 'epoch' },
        { label: 'training', stroke: PALETTE[0], width: 2, points: { show: true } },
        { label: 'validation', stroke: PALETTE[1], width: 2, dash: [6, 4], points: { show: true } },
      ],
    },
    [[], [], []],
    el,
  );
  fitWidth(chart, el, height);
  const draw = () => chart.setData([epochs, train, val]);
  return {
    add(epoch, loss, valLoss) {
      epochs.push(epoch + 1);
      train.push(loss);
      val.push(valLoss ?? null);
      draw();
    },
    reset() {
      epochs.length = train.length = val.length = 0;
      draw();
    },
  };
}

export interface CodeMap {
  /** Draws points (x, y) with a label each; null labels draw one series. */
  draw(xs: Float32Array, ys: Float32Array, labels: string[] | null): void;
}

export function codeMap(el: HTMLElement): CodeMap {
  let chart: uPlot | null = null;
  const height = 340;
  new ResizeObserver(() => chart?.setSize({ width: widthOf(el), height })).observe(el);
  return {
    draw(xs, ys, labels) {
      const names = labels ? [...new Set(labels)].sort() : ['rows'];
      // uPlot's x values ascend: sort the points by x; each label's series is null off its points.
      const order = Array.from(xs, (_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
      const x = order.map((i) => xs[i]!);
      const series = names.map((name) => order.map((i) => ((labels ? labels[i] : 'rows') === name ? ys[i]! : null)));
      chart?.destroy();
      el.replaceChildren();
      chart = new uPlot(
        {
          width: widthOf(el),
          height,
          scales: { x: { time: false } },
          cursor: { show: false },
          legend: { live: false },
          axes: [{ label: 'component 1' }, { label: 'component 2', size: 60 }],
          series: [
            { label: 'component 1' },
            ...names.map((name, k) => ({
              label: name,
              stroke: PALETTE[k % PALETTE.length],
              fill: PALETTE[k % PALETTE.length],
              paths: () => null,
              points: { show: true, size: 4, width: 0, fill: PALETTE[k % PALETTE.length] },
            })),
          ],
        },
        [x, ...series],
        el,
      );
    },
  };
}
