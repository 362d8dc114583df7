// Quality on the labelled NAB series (data/nab/): every step scored by the default sequence model
// (autoencoders.sequence's Conv1D layout, through trainOnSeries and detectInSeries as
// `hourglass train --kind sequence` and `hourglass detect` run it), point ROC-AUC and average
// precision against NAB's labelled windows, with the two baselines computed in the same run:
// rolling z-score and Sub-PCA (PCA reconstruction error of the same windows). Printed as a table.
//
// The same settings for every series (none tuned to one): windows of 64 steps; one model per
// series fitted on the series itself (unsupervised, as NAB scores), 3 epochs of Adam 0.001 on
// every second window, batch 64, seed 42; each window scored by its mean absolute error (Keras's
// example), steps by the mean over the windows covering them (the mapping Sub-PCA uses too).
// The model must beat Sub-PCA on the mean ROC-AUC.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../src/index.js';
import { detectInSeries, trainOnSeries } from '../../src/apps/series_model.js';
import { evaluateStepScores } from '../../src/series/labels.js';
import { loadNabSeries, nabSeriesNames } from '../../src/series/nab.js';
import { rollingZScores } from '../../src/series/rolling_zscore.js';
import { subPcaScores } from '../../src/series/sub_pca.js';

const WINDOW = 64;

test('the default sequence model beats Sub-PCA on the mean point ROC-AUC of the labelled NAB series', async () => {
  const rows: { name: string; steps: number; z: number[]; pca: number[]; model: number[] }[] = [];
  for (const name of nabSeriesNames()) {
    const { series, labels } = loadNabSeries(name);
    if (!labels.includes(1)) continue; // the two series without anomalies have nothing to rank
    const z = evaluateStepScores(rollingZScores(series, { window: WINDOW }), labels);
    const pca = evaluateStepScores(subPcaScores(series, { window: WINDOW }).scores, labels);
    const t = await trainOnSeries(series, { window: WINDOW, stride: 2, epochs: 3, batchSize: 64, seed: 42 });
    const m = evaluateStepScores(detectInSeries(t.ae, series).scores, labels);
    t.ae.dispose();
    const pair = (p: { rocAuc: number; averagePrecision: number }) => [p.rocAuc, p.averagePrecision];
    rows.push({ name, steps: series.steps, z: pair(z), pca: pair(pca), model: pair(m) });
  }
  assert.equal(rows.length, 16);
  const mean = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + pick(r), 0) / rows.length;
  const f = (v: number) => v.toFixed(3).padStart(6);
  const lines = [
    `${'series'.padEnd(52)} ${'steps'.padStart(5)}   ROC-AUC: z    PCA  model     AP: z    PCA  model`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(52)} ${String(r.steps).padStart(5)}          ${f(r.z[0]!)} ${f(r.pca[0]!)} ${f(r.model[0]!)}     ${f(r.z[1]!)} ${f(r.pca[1]!)} ${f(r.model[1]!)}`,
    ),
    `${'mean'.padEnd(58)}          ${f(mean((r) => r.z[0]!))} ${f(mean((r) => r.pca[0]!))} ${f(mean((r) => r.model[0]!))}     ${f(mean((r) => r.z[1]!))} ${f(mean((r) => r.pca[1]!))} ${f(mean((r) => r.model[1]!))}`,
  ];
  console.log(lines.join('\n'));
  for (const r of rows) for (const v of [...r.z, ...r.pca, ...r.model]) assert.ok(v >= 0 && v <= 1, `${r.name}: ${v}`);
  const model = mean((r) => r.model[0]!),
    pca = mean((r) => r.pca[0]!);
  assert.ok(model > pca, `mean ROC-AUC: sequence model ${model.toFixed(4)}, Sub-PCA ${pca.toFixed(4)}`);
});
