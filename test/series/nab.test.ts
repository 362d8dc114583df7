// NAB series and the baselines the neural sequence models are measured against: the rolling
// z-score against a naive computation, NAB labels against a comparison of the timestamp texts,
// and the point ROC-AUC of both baselines on every labelled NAB series in data/nab/ (printed as a
// table; asserted only to be valid numbers, with Sub-PCA above chance on the mean).
//
// Baseline settings, the same for every series (none is tuned to the data): windows of 64 steps
// with stride 1 for both; Sub-PCA on standard-scaled values keeps the fewest components holding
// 90% of the windows' variance (at most 32), fitted on the scored series itself (unsupervised, as
// NAB scores); the window errors map back to steps as the mean over covering windows.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { evaluateStepScores } from '../../src/series/labels.js';
import { loadNabSeries, nabSeriesNames, readNabWindows } from '../../src/series/nab.js';
import { rollingZScores } from '../../src/series/rolling_zscore.js';
import { subPcaScores } from '../../src/series/sub_pca.js';
import { assertClose } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

test('the rolling z-score matches a naive computation over the past window', () => {
  const rng = new Random(8);
  const steps = 50,
    features = 2,
    window = 7;
  const values = Float64Array.from({ length: steps * features }, () => rng.normal());
  // A flat stretch in column 0 then a jump: a floored, large but finite score.
  for (let i = 20; i < 30; i++) values[i * features] = 1;
  values[30 * features] = 2;
  const got = rollingZScores({ values, steps, features }, { window });
  const column = (f: number) => Array.from({ length: steps }, (_, i) => values[i * features + f]!);
  const sdAll = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  };
  for (let t = 0; t < steps; t++) {
    const zs = [0, 1].map((f) => {
      const xs = column(f);
      const past = xs.slice(Math.max(0, t - window), t);
      if (past.length < 2) return 0;
      const m = past.reduce((a, b) => a + b) / past.length;
      return Math.abs(xs[t]! - m) / Math.max(sdAll(past), 1e-6 * sdAll(xs));
    });
    const want = Math.max(...zs);
    assert.ok(Math.abs(got[t]! - want) <= 1e-9 * Math.max(1, want), `step ${t}: ${got[t]} vs ${want}`);
  }
  assert.ok(got[30]! > 1e5 && Number.isFinite(got[30]!), `jump after a flat stretch: ${got[30]}`);
});

test('NAB series load by name, with labels on the steps inside the labelled windows', () => {
  const windows = JSON.parse(fs.readFileSync('data/nab/windows.json', 'utf8')) as Record<string, [string, string][]>;
  assert.deepEqual(readNabWindows(), windows);
  assert.equal(nabSeriesNames().length, 18);
  for (const name of ['realTraffic/speed_7578.csv', 'exchange-2_cpc_results']) {
    const nab = loadNabSeries(name);
    const full = name.includes('/') ? name : `realAdExchange/${name}.csv`;
    assert.equal(nab.name, full);
    // NAB writes times as 'YYYY-MM-DD HH:MM:SS', which sort as text: label by comparing the text.
    const rows = fs
      .readFileSync(`data/nab/${full}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    const distinct = [...new Set(rows)];
    assert.equal(nab.series.steps, distinct.length);
    const want = distinct.map((t) =>
      windows[full]!.some(([a, b]) => a.slice(0, 19) <= t && t <= b.slice(0, 19)) ? 1 : 0,
    );
    assert.deepEqual(Array.from(nab.labels), want);
    assert.ok(want.includes(1) && want.includes(0));
  }
  assert.throws(() => loadNabSeries('nonexistent'), /no NAB series 'nonexistent'/);
});

interface BaselineCase {
  name: string;
  components: number;
  subPca: number[];
  zScore: number[];
  subPcaRocAuc: number;
  zRocAuc: number;
  subPcaAp: number;
  zAp: number;
}

test('both baselines match numpy and scikit-learn on two NAB series (tools/make_series_fixtures.py)', () => {
  for (const c of fixture<{ cases: BaselineCase[] }>('series_baselines.json').cases) {
    const { series, labels } = loadNabSeries(c.name);
    const z = rollingZScores(series, { window: 64 });
    assertClose(z, c.zScore, 1e-9, 1e-12, `${c.name} rolling z-score`);
    const pca = subPcaScores(series, { window: 64 });
    assert.equal(pca.components, c.components, `${c.name}: components kept`);
    // The engine's PCA (subspace iteration, float32 GEMM) against a full SVD.
    assertClose(pca.scores, c.subPca, 1e-4, 1e-9, `${c.name} Sub-PCA`);
    const mz = evaluateStepScores(z, labels),
      mp = evaluateStepScores(pca.scores, labels);
    assert.ok(
      Math.abs(mz.rocAuc - c.zRocAuc) < 1e-9 && Math.abs(mz.averagePrecision - c.zAp) < 1e-9,
      `${c.name} z metrics`,
    );
    assert.ok(
      Math.abs(mp.rocAuc - c.subPcaRocAuc) < 1e-4 && Math.abs(mp.averagePrecision - c.subPcaAp) < 1e-4,
      `${c.name} Sub-PCA metrics ${mp.rocAuc} vs ${c.subPcaRocAuc}`,
    );
  }
});

test('baselines on the labelled NAB series: rolling z-score and Sub-PCA point ROC-AUC', () => {
  const rows: { name: string; steps: number; z: number; pca: number; zAp: number; pcaAp: number; k: number }[] = [];
  for (const name of nabSeriesNames()) {
    const { series, labels } = loadNabSeries(name);
    if (!labels.includes(1)) continue; // the two series without anomalies have nothing to rank
    const z = evaluateStepScores(rollingZScores(series, { window: 64 }), labels);
    const pca = subPcaScores(series, { window: 64 });
    const p = evaluateStepScores(pca.scores, labels);
    rows.push({
      name,
      steps: series.steps,
      z: z.rocAuc,
      pca: p.rocAuc,
      zAp: z.averagePrecision,
      pcaAp: p.averagePrecision,
      k: pca.components,
    });
  }
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const fmt = (v: number) => v.toFixed(3);
  const lines = [
    `${'series'.padEnd(50)} ${'steps'.padStart(5)}  z AUC  PCA AUC  z AP  PCA AP  PCA k`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(50)} ${String(r.steps).padStart(5)}  ${fmt(r.z)}  ${fmt(r.pca)}    ${fmt(r.zAp)} ${fmt(r.pcaAp)}  ${String(r.k).padStart(4)}`,
    ),
    `${`mean of ${rows.length}`.padEnd(50)} ${''.padStart(5)}  ${fmt(mean((r) => r.z))}  ${fmt(mean((r) => r.pca))}    ${fmt(mean((r) => r.zAp))} ${fmt(mean((r) => r.pcaAp))}`,
  ];
  console.log(lines.join('\n'));
  assert.equal(rows.length, 16);
  for (const r of rows)
    for (const v of [r.z, r.pca, r.zAp, r.pcaAp]) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `${r.name}: ${v}`);
  assert.ok(mean((r) => r.pca) > 0.5, `Sub-PCA mean ROC-AUC ${mean((r) => r.pca)} is not above chance`);
});

test("Keras's pair: Sub-PCA fitted on art_daily_small_noise scores art_daily_jumpsup", () => {
  const train = loadNabSeries('art_daily_small_noise').series;
  const { series, labels } = loadNabSeries('art_daily_jumpsup');
  // 64 as everywhere here, and 288 (one day of 5-minute steps) as Keras's example.
  for (const window of [64, 288]) {
    const result = subPcaScores(series, { window, train });
    const m = evaluateStepScores(result.scores, labels);
    console.log(
      `Sub-PCA (window ${window}, ${result.components} components) fitted on small_noise, scoring jumpsup: ROC-AUC ${m.rocAuc.toFixed(3)}, AP ${m.averagePrecision.toFixed(3)}`,
    );
    assert.ok(Number.isFinite(m.rocAuc) && m.rocAuc >= 0 && m.rocAuc <= 1);
  }
});
