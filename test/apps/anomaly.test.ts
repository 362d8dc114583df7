// Anomaly detection pieces: ROC-AUC and average precision against scikit-learn
// (tools/make_metric_fixtures.py), PCA against scikit-learn's PCA on MNIST
// (tools/pca_baseline.py), and thresholds and feature attribution on data with known anomalies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, model, setSeed, tensor } from '../../src/index.js';
import { averagePrecision, rocAuc } from '../../src/apps/metrics.js';
import { fitPca, pcaErrors } from '../../src/apps/pca.js';
import { anomalyScores, detectAnomalies, quantile } from '../../src/apps/anomaly.js';
import { loadMnist } from '../../src/data/mnist.js';
import { Random } from '../../src/engine/random.js';
import { fixture } from '../helpers/fixtures.js';

const metrics = fixture<{ cases: { scores: number[]; labels: number[]; rocAuc: number; averagePrecision: number }[] }>(
  'metrics.json',
);

test('ROC-AUC and average precision match scikit-learn, ties included', () => {
  for (const c of metrics.cases) {
    assert.ok(
      Math.abs(rocAuc(c.scores, c.labels) - c.rocAuc) < 1e-12,
      `roc ${rocAuc(c.scores, c.labels)} vs ${c.rocAuc}`,
    );
    assert.ok(
      Math.abs(averagePrecision(c.scores, c.labels) - c.averagePrecision) < 1e-12,
      `ap ${averagePrecision(c.scores, c.labels)} vs ${c.averagePrecision}`,
    );
  }
  assert.throws(() => rocAuc([1, 2], [0, 0]), /both normal/);
  assert.throws(() => rocAuc([1, 2], [0, 2]), /0 \(normal\) or 1/);
});

test('PCA reconstruction error on MNIST matches scikit-learn', () => {
  const sk = fixture<{ testMse: Record<string, number> }>('pca_mnist.json').testMse;
  const train = loadMnist('train').images,
    testSet = loadMnist('test').images;
  for (const k of [16, 32]) {
    const e = pcaErrors(fitPca(train, k), testSet);
    const mse = e.reduce((a, b) => a + b, 0) / e.length;
    assert.ok(
      Math.abs(mse - sk[String(k)]!) / sk[String(k)]! < 1e-4,
      `k=${k}: ${mse} vs scikit-learn ${sk[String(k)]}`,
    );
  }
});

test('thresholds flag the expected rows and name the corrupted features', async () => {
  // Rows on a 2-d manifold in 8 features; every 10th test row has feature 5 pushed off it.
  const rng = new Random(12);
  const make = (n: number, corrupt: boolean) => {
    const d = new Float32Array(n * 8);
    for (let i = 0; i < n; i++) {
      const a = rng.uniform(),
        b = rng.uniform();
      const row = [a, b, (a + b) / 2, a * b, 1 - a, (1 - b) / 2, a * a, b * b];
      if (corrupt && i % 10 === 0) row[5] = row[5]! + 0.9;
      d.set(row, i * 8);
    }
    return tensor(d, [n, 8]);
  };
  setSeed(1);
  const x = input([8]);
  const ae = model({
    inputs: x,
    outputs: layers
      .dense(8, { activation: 'sigmoid' })
      .apply(
        layers
          .dense(16, { activation: 'tanh' })
          .apply(layers.dense(2, { activation: 'tanh' }).apply(layers.dense(16, { activation: 'tanh' }).apply(x))),
      ),
  });
  ae.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse', seed: 2 });
  const train = make(2000, false);
  await ae.fit(train, train, { epochs: 60, batchSize: 64, verbose: false });
  const testSet = make(200, true);
  const truth = Int32Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const byRate = detectAnomalies(ae, testSet, { contamination: 0.1 });
  assert.equal(
    byRate.flagged.reduce((a, b) => a + b, 0),
    20,
  );
  assert.ok(rocAuc(byRate.scores, truth) > 0.95, `ROC-AUC ${rocAuc(byRate.scores, truth)}`);
  // Every truly corrupted row that is flagged names feature 5 as its worst.
  for (const [row, top] of byRate.topFeatures) if (truth[row]) assert.equal(top[0], 5, `row ${row}: ${top.join(',')}`);
  const trainScores = anomalyScores(ae, train);
  const byQuantile = detectAnomalies(ae, testSet, { quantile: 0.99, trainingScores: trainScores });
  assert.equal(byQuantile.threshold, quantile(trainScores, 0.99));
  const fixed = detectAnomalies(ae, testSet, { threshold: byQuantile.threshold });
  assert.deepEqual(Array.from(fixed.flagged), Array.from(byQuantile.flagged));
  assert.throws(() => detectAnomalies(ae, testSet, { contamination: 0.7 }), /contamination must be between 0 and 0.5/);
});
