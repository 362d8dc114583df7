// Sliding windows and the way back from window errors to steps, each against a naive independent
// computation on random data: windows by index arithmetic, scores by listing the windows that
// cover each step; thresholds against hand values; intervals from hand-made flags; the whole
// detection on a sine with a bump the windows have never seen.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../src/index.js';
import { assertClose } from '../helpers/engine.js';
import { Random } from '../../src/engine/random.js';
import { detectSeriesAnomalies } from '../../src/series/detect.js';
import { seriesIntervals } from '../../src/series/intervals.js';
import { readSeries } from '../../src/series/read_series.js';
import { stepFlags, stepScores } from '../../src/series/step_scores.js';
import { subPcaScores } from '../../src/series/sub_pca.js';
import { seriesThreshold } from '../../src/series/threshold.js';
import { windowErrors } from '../../src/series/window_errors.js';
import { slidingWindows, windowSteps } from '../../src/series/windows.js';

function randomSeries(steps: number, features: number, rng: Random) {
  return { values: Float64Array.from({ length: steps * features }, () => rng.normal()), steps, features };
}

const CASES = [
  { steps: 20, features: 1, window: 5, stride: 1 },
  { steps: 23, features: 3, window: 6, stride: 4 }, // the stride misses the end
  { steps: 16, features: 2, window: 4, stride: 4 }, // the stride lands on the end
  { steps: 7, features: 2, window: 7, stride: 3 }, // one window
];

test('windows hold the steps they say, row-major [count, window, features], and cover the end', () => {
  const rng = new Random(3);
  for (const c of CASES) {
    const s = randomSeries(c.steps, c.features, rng);
    for (const coverEnd of [true, false]) {
      const w = slidingWindows(s, { window: c.window, stride: c.stride, coverEnd });
      const starts: number[] = [];
      for (let st = 0; st <= c.steps - c.window; st += c.stride) starts.push(st);
      if (coverEnd && starts.at(-1)! !== c.steps - c.window) starts.push(c.steps - c.window);
      assert.deepEqual(Array.from(w.starts), starts, JSON.stringify({ ...c, coverEnd }));
      assert.deepEqual(w.shape, [starts.length, c.window, c.features]);
      for (let i = 0; i < w.count; i++)
        for (let j = 0; j < c.window; j++)
          for (let f = 0; f < c.features; f++)
            assert.equal(
              w.data[(i * c.window + j) * c.features + f],
              Math.fround(s.values[(starts[i]! + j) * c.features + f]!),
            );
      assert.deepEqual(windowSteps(w, w.count - 1), [starts.at(-1)!, starts.at(-1)! + c.window - 1]);
    }
  }
  assert.throws(
    () => slidingWindows({ ...randomSeries(5, 1, rng), file: 'short.csv' }, { window: 6 }),
    /short.csv has 5 steps, fewer than the window of 6/,
  );
  assert.throws(() => slidingWindows(randomSeries(5, 1, rng), { window: 2, stride: 0 }), /stride must be/);
  assert.throws(() => slidingWindows(randomSeries(5, 1, rng), { window: 1.5 }), /window must be/);
});

test('step scores are the mean over covering windows; flags follow the all-windows and mean rules', () => {
  const rng = new Random(5);
  for (const c of CASES) {
    for (const coverEnd of [true, false]) {
      const w = slidingWindows(randomSeries(c.steps, c.features, rng), {
        window: c.window,
        stride: c.stride,
        coverEnd,
      });
      const perWindow = Float64Array.from({ length: w.count }, () => rng.uniform());
      const perStep = Float64Array.from({ length: w.count * w.window }, () => rng.uniform());
      for (const [errors, at] of [
        [perWindow, (i: number) => perWindow[i]!],
        [perStep, (i: number, j: number) => perStep[i * w.window + j]!],
      ] as const) {
        // For each step, the errors of the windows covering it, found by scanning all windows.
        const covering = Array.from({ length: c.steps }, (_, t) => {
          const out: number[] = [];
          for (let i = 0; i < w.count; i++) {
            const s = w.starts[i]!;
            if (s <= t && t < s + c.window) out.push(at(i, t - s));
          }
          return out;
        });
        const scores = stepScores(w, errors);
        covering.forEach((es, t) => {
          if (es.length === 0) assert.ok(Number.isNaN(scores[t]), `step ${t} is covered by no window`);
          else assert.ok(Math.abs(scores[t]! - es.reduce((a, b) => a + b, 0) / es.length) < 1e-12, `score ${t}`);
        });
        const threshold = 0.4;
        const all = stepFlags(w, errors, threshold, 'all-windows');
        const mean = stepFlags(w, errors, threshold, 'mean');
        covering.forEach((es, t) => {
          assert.equal(all[t], es.length > 0 && es.every((e) => e > threshold) ? 1 : 0, `all-windows ${t}`);
          assert.equal(
            mean[t],
            es.length > 0 && es.reduce((a, b) => a + b, 0) / es.length > threshold ? 1 : 0,
            `mean ${t}`,
          );
        });
      }
      assert.throws(() => stepScores(w, new Float64Array(w.count + 1)), /give one per window/);
    }
  }
});

test('window errors: mean squared or absolute, per window or per step of each window', () => {
  const rng = new Random(9);
  const w = slidingWindows(randomSeries(12, 3, rng), { window: 4, stride: 2 });
  const rebuilt = Float32Array.from(w.data, (v) => v + rng.normal() * 0.1);
  const diff = (i: number, j: number, f: number) => rebuilt[(i * 4 + j) * 3 + f]! - w.data[(i * 4 + j) * 3 + f]!;
  for (const metric of ['mse', 'mae'] as const) {
    const e = metric === 'mse' ? (d: number) => d * d : Math.abs;
    const perWindow = Array.from({ length: w.count }, (_, i) => {
      let s = 0;
      for (let j = 0; j < 4; j++) for (let f = 0; f < 3; f++) s += e(diff(i, j, f));
      return s / 12;
    });
    const perStep = Array.from({ length: w.count * 4 }, (_, k) => {
      const [i, j] = [Math.floor(k / 4), k % 4];
      return [0, 1, 2].reduce((s, f) => s + e(diff(i, j, f)), 0) / 3;
    });
    assertClose(windowErrors(w, rebuilt, { metric }), perWindow, 0, 1e-12, `${metric} per window`);
    assertClose(windowErrors(w, rebuilt, { metric, perStep: true }), perStep, 0, 1e-12, `${metric} per step`);
  }
  assert.throws(() => windowErrors(w, rebuilt.subarray(1)), /the reconstruction has/);
});

test('thresholds: the training maximum, a quantile, a contamination rate', () => {
  const train = [0.3, 0.1, 0.5, 0.2, 0.4];
  assert.equal(seriesThreshold({ trainingMaximum: train }), 0.5);
  // numpy.quantile([0.1 .. 0.5], 0.9) = 0.46 (linear between 0.4 and 0.5).
  assert.ok(Math.abs(seriesThreshold({ quantile: 0.9, trainingScores: train }) - 0.46) < 1e-12);
  const scored = Array.from({ length: 100 }, (_, i) => i + 1);
  const t = seriesThreshold({ contamination: 0.1 }, scored);
  assert.ok(Math.abs(t - 90.1) < 1e-9, `${t}`);
  assert.equal(scored.filter((v) => v > t).length, 10);
  // Steps no window covers (NaN) are not part of the scored values.
  assert.ok(Math.abs(seriesThreshold({ contamination: 0.1 }, [...scored, NaN, NaN]) - 90.1) < 1e-9);
  assert.equal(seriesThreshold({ threshold: 2 }), 2);
  assert.throws(() => seriesThreshold({ contamination: 0.6 }, scored), /contamination must be between 0 and 0.5/);
  assert.throws(() => seriesThreshold({ trainingMaximum: [] }), /no training errors/);
  assert.throws(() => seriesThreshold({ trainingMaximum: [1, NaN] }), /not a finite number/);
});

test('intervals join adjacent flagged steps and name their peak', () => {
  const s = readSeries(
    ['timestamp,v', ...Array.from({ length: 10 }, (_, i) => `2020-01-01 00:0${i}:00,${i}`)].join('\n'),
  );
  const flags = [0, 1, 1, 0, 0, 1, 0, 1, 1, 1];
  const scores = [0, 5, 7, 1, 0, 3, 9, 2, 8, 4];
  const got = seriesIntervals(s, scores, flags);
  assert.deepEqual(
    got.map((r) => [r.start, r.end, r.peak, r.peakScore, r.steps]),
    [
      [1, 2, 2, 7, 2],
      [5, 5, 5, 3, 1],
      [7, 9, 8, 8, 3],
    ],
  );
  assert.deepEqual(
    [got[2]!.startTime, got[2]!.endTime, got[2]!.peakTime],
    ['2020-01-01 00:07:00', '2020-01-01 00:09:00', '2020-01-01 00:08:00'],
  );
  // With one unflagged step allowed between them, the last two join (and the unflagged 9 is its peak).
  assert.deepEqual(
    seriesIntervals(s, scores, flags, { mergeGap: 1 }).map((r) => [r.start, r.end, r.peak]),
    [
      [1, 2, 2],
      [5, 9, 6],
    ],
  );
  assert.deepEqual(seriesIntervals(s, scores, new Array(10).fill(0)), []);
  assert.throws(() => seriesIntervals(s, scores.slice(1), flags), /10 steps but there are 9 scores/);
});

test('a bump in a sine is found: Sub-PCA trained on the clean sine, the training maximum, all-windows', () => {
  const csv = (bump: boolean) =>
    [
      't,v',
      ...Array.from(
        { length: 600 },
        (_, i) => `${i},${Math.sin((2 * Math.PI * i) / 50) + (bump && i >= 300 && i < 320 ? 1.5 : 0)}`,
      ),
    ].join('\n');
  const train = readSeries(csv(false), { timeColumn: 't' }),
    scored = readSeries(csv(true), { timeColumn: 't' });
  const window = 30;
  const fitted = subPcaScores(train, { window, train });
  const result = subPcaScores(scored, { window, train });
  const found = detectSeriesAnomalies(scored, result.windows, result.windowErrors, {
    threshold: { trainingMaximum: fitted.windowErrors },
  });
  assert.ok(found.threshold === Math.max(...fitted.windowErrors));
  // Every flagged step lies where windows see the bump; the bump's own steps are covered by
  // windows that all contain it, so they are flagged.
  assert.ok(found.intervals.length >= 1, 'nothing flagged');
  for (const r of found.intervals) assert.ok(r.start > 300 - window && r.end < 320 + window, JSON.stringify(r));
  for (let t = 300; t < 320; t++) assert.equal(found.flagged[t], 1, `step ${t}`);
});
