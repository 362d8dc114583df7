// Keras's time-series anomaly example (examples/timeseries.ts), shortened for CI: the same
// scaling, windows of 288, Conv1D layout, MAE per window, threshold = the largest training MAE and
// the all-windows rule, but 3 epochs on every second training window instead of up to 50 epochs on
// all. It must still find the jump in art_daily_jumpsup, and every flagged step must lie inside
// NAB's labelled anomaly window for that file. Also: the plot marks exactly the flagged steps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../src/index.js';
import { plotSeries } from '../../src/apps/series_plot.js';
import { autoencoders } from '../../src/models/index.js';
import { detectSeriesAnomalies } from '../../src/series/detect.js';
import { loadNabSeries } from '../../src/series/nab.js';
import { fitSeriesScaling, scaleSeries } from '../../src/series/scaling.js';
import { windowErrors } from '../../src/series/window_errors.js';
import { slidingWindows } from '../../src/series/windows.js';

test("Keras's Conv1D example finds the jump in art_daily_jumpsup inside NAB's labelled window", async () => {
  const train = loadNabSeries('art_daily_small_noise').series;
  const jumps = loadNabSeries('art_daily_jumpsup');
  const scaling = fitSeriesScaling(train, 'standard');
  const scaledTrain = scaleSeries(scaling, train);
  const fitWindows = slidingWindows(scaledTrain, { window: 288, stride: 2 });
  const ae = autoencoders.sequence({ window: 288, features: 1 });
  const h = await ae.fit(fitWindows, { epochs: 3, batchSize: 128, loss: 'mse', seed: 1, verbose: false });
  const loss = h.history['loss']!;
  assert.ok(loss.at(-1)! < 0.3 * loss[0]!, `training loss ${loss.map((v) => v.toFixed(4)).join(' -> ')}`);
  // The threshold over every training window, as Keras computes it.
  const xTrain = slidingWindows(scaledTrain, { window: 288 });
  const trainMae = windowErrors(xTrain, ae.reconstruct(xTrain).data, { metric: 'mae' });
  const xTest = slidingWindows(scaleSeries(scaling, jumps.series), { window: 288 });
  const testMae = windowErrors(xTest, ae.reconstruct(xTest).data, { metric: 'mae' });
  const d = detectSeriesAnomalies(jumps.series, xTest, testMae, { threshold: { trainingMaximum: trainMae } });
  assert.equal(d.threshold, Math.max(...trainMae));

  const flagged = [...d.flagged.keys()].filter((i) => d.flagged[i]);
  assert.ok(flagged.length >= 20, `only ${flagged.length} steps flagged`);
  const outside = flagged.filter((i) => !jumps.labels[i]);
  assert.deepEqual(outside, [], `flagged steps outside the labelled window ${jumps.windows[0]!.join(' .. ')}`);
  // The jump itself: the day whose values rise far above the training series' range.
  let top = 0;
  for (let i = 1; i < jumps.series.steps; i++) if (jumps.series.values[i]! > jumps.series.values[top]!) top = i;
  assert.ok(
    d.intervals.some((v) => v.start <= top + 288 && v.end >= top - 288),
    `no interval near the jump's peak at step ${top}: ${JSON.stringify(d.intervals.map((v) => [v.start, v.end]))}`,
  );
  ae.dispose();
});

test('the series plot draws red exactly at the flagged steps and shades the labelled ones', () => {
  const n = 100,
    width = 200,
    height = 50;
  const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 5));
  const flags = Uint8Array.from({ length: n }, (_, i) => (i >= 40 && i < 45 ? 1 : 0));
  const labels = Uint8Array.from({ length: n }, (_, i) => (i >= 30 && i < 60 ? 1 : 0));
  const img = plotSeries(values, flags, { width, height, labels });
  const xOf = (i: number) => Math.round((i / (n - 1)) * (width - 1));
  const columnsWith = (test: (r: number, g: number, b: number) => boolean) => {
    const xs = new Set<number>();
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 3;
        if (test(img[p]!, img[p + 1]!, img[p + 2]!)) xs.add(x);
      }
    return [...xs].sort((a, b) => a - b);
  };
  const red = columnsWith((r, g, b) => r > 0.8 && g < 0.2 && b < 0.2);
  assert.ok(red.length > 0);
  assert.ok(red[0]! >= xOf(40) - 1 && red.at(-1)! <= xOf(44) + 1, `red columns ${red[0]} .. ${red.at(-1)}`);
  const shaded = columnsWith(
    (r, g, b) => Math.abs(r - 0.85) < 0.01 && Math.abs(g - 0.93) < 0.01 && Math.abs(b - 0.85) < 0.01,
  );
  assert.ok(shaded[0]! >= xOf(30) && shaded.at(-1)! <= xOf(59) + 2, `shaded columns ${shaded[0]} .. ${shaded.at(-1)}`);
  assert.throws(() => plotSeries(values, flags.subarray(1)), /100 values but 99 flags/);
});
