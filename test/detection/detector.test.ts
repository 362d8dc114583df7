// The default detector: its pieces against closed forms, and the whole on a real table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../src/index.js'; // starts the engine
import { AnomalyDetector } from '../../src/detection/detector.js';
import { codeDistances, fitCodeDensity } from '../../src/detection/code_density.js';
import { fitFeatureErrorScale, scaledRowErrors } from '../../src/detection/feature_errors.js';
import { memberShape } from '../../src/detection/member_shape.js';
import { applyRobustScale, fitRobustScale } from '../../src/detection/robust_scale.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { quantile } from '../../src/apps/anomaly.js';
import { trainingQuantile } from '../../src/apps/training_scores.js';
import { fitPca, pcaErrors } from '../../src/apps/pca.js';
import { tensor, type Tensor } from '../../src/engine/tensor.js';
import { parseTable } from '../../src/data/table.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { toLegacyFolder } from '../helpers/saved_folder.js';

test('robust scale: median and MAD, with fallbacks for ties', () => {
  const s = fitRobustScale([1, 2, 3, 4, 100]);
  assert.equal(s.median, 3);
  assert.equal(s.mad, 1); // deviations 2,1,0,1,97 -> median 1
  assert.deepEqual(Array.from(applyRobustScale(s, [3, 5])), [0, 2]);
  // More than half equal: MAD is 0, so the mean absolute deviation is used instead.
  const tied = fitRobustScale([5, 5, 5, 5, 10]);
  assert.equal(tied.mad, 1);
  assert.equal(fitRobustScale([7, 7, 7]).mad, 1);
});

test('code density: Mahalanobis distance equals the closed form of a 2-D Gaussian', () => {
  const rng = new Random(3);
  const rows = 4000;
  const codes = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const a = rng.normal(),
      b = rng.normal();
    codes[2 * i] = 1 + 2 * a;
    codes[2 * i + 1] = -1 + 0.5 * a + b;
  }
  const density = fitCodeDensity(codes, 2);
  // Independent: the sample covariance and the explicit 2x2 inverse.
  let mx = 0,
    my = 0;
  for (let i = 0; i < rows; i++) {
    mx += codes[2 * i]! / rows;
    my += codes[2 * i + 1]! / rows;
  }
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < rows; i++) {
    const dx = codes[2 * i]! - mx,
      dy = codes[2 * i + 1]! - my;
    sxx += (dx * dx) / rows;
    sxy += (dx * dy) / rows;
    syy += (dy * dy) / rows;
  }
  const ridge = 1e-3 * ((sxx + syy) / 2) + 1e-9;
  sxx += ridge;
  syy += ridge;
  const det = sxx * syy - sxy * sxy;
  const probe = [3, 0.5];
  const dx = probe[0]! - mx,
    dy = probe[1]! - my;
  const expected = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
  const got = codeDistances(density, probe)[0]!;
  assert.ok(Math.abs(got - expected) < 1e-9 * Math.max(1, expected), `${got} vs ${expected}`);
  // The mean squared distance of the training codes is the dimension (2), less the ridge's share.
  const d = codeDistances(density, codes);
  const avg = d.reduce((a, b) => a + b, 0) / rows;
  assert.ok(Math.abs(avg - 2) < 0.01, `mean distance ${avg}`);
});

test('feature error scale: each feature divided by its median squared error', () => {
  const x = Float32Array.from([0, 0, 1, 10, 2, 20, 3, 30]);
  const rebuilt = Float32Array.from([1, 1, 1, 12, 3, 20, 3, 34]);
  // Squared errors: feature 0: 1,0,1,0 -> median 0.5; feature 1: 1,4,0,16 -> median 2.5.
  const scale = fitFeatureErrorScale(x, rebuilt, 2);
  assert.ok(Math.abs(scale.typical[0]! - 0.5) < 1e-5 && Math.abs(scale.typical[1]! - 2.5) < 1e-5);
  const { scores } = scaledRowErrors(scale, x, rebuilt);
  assert.ok(Math.abs(scores[3]! - (0 / 0.5 + 16 / 2.5) / 2) < 1e-4);
});

test('member shape: a small table gets a narrow code and enough optimizer steps', () => {
  for (let m = 0; m < 5; m++) {
    const s = memberShape(200, 30, m, 1500);
    assert.ok(s.latent < 30 && s.latent >= 2, `code ${s.latent} narrower than 30 inputs`);
    const steps = s.epochs * Math.ceil(200 / s.batchSize);
    assert.ok(steps >= 1500, `${steps} optimizer steps`);
    assert.ok(s.hidden[0]! > s.latent);
  }
  assert.equal(memberShape(100_000, 2000, 0, 1500).latent, 32);
});

function adbench(name: string): { x: number[][]; y: number[] } {
  const t = parseTable(fs.readFileSync(`data/adbench/${name}.csv`, 'utf8'), `${name}.csv`);
  const label = t.columns.indexOf('anomaly');
  const rows = t.rows.map((r) => r.map(Number));
  return { x: rows.map((r) => r.filter((_, j) => j !== label)), y: rows.map((r) => r[label]!) };
}

function standardized(train: number[][], rows: number[][]): Tensor {
  const d = train[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => train.reduce((a, r) => a + r[j]!, 0) / train.length);
  const sd = mean.map((m, j) => Math.sqrt(train.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / train.length) || 1);
  return tensor(
    rows.flatMap((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!)),
    [rows.length, d],
  );
}

test('detector: on a real benchmark table (ADBench WDBC) it beats PCA error, unsupervised, and round-trips', async () => {
  // Fitted on the even rows without labels (anomalies among them), scored on the odd rows.
  const { x, y } = adbench('WDBC');
  const train = x.filter((_, i) => i % 2 === 0);
  const testRows = x.filter((_, i) => i % 2 === 1);
  const labels = y.filter((_, i) => i % 2 === 1);
  const detector = await AnomalyDetector.fit(train);
  const scores = detector.score(testRows);
  const auc = rocAuc(scores, labels);
  // The independent reference: PCA reconstruction error with half the components, same rows.
  const pca = fitPca(standardized(train, train), Math.ceil(train[0]!.length / 2));
  const pcaAuc = rocAuc(pcaErrors(pca, standardized(train, testRows)), labels);
  console.log(`WDBC: detector ROC-AUC ${auc.toFixed(3)}, PCA ${pcaAuc.toFixed(3)}`);
  assert.ok(auc > 0.9 && auc > pcaAuc, `ROC-AUC ${auc.toFixed(3)} (PCA ${pcaAuc.toFixed(3)})`);
  const flagged = detector.detect(train);
  const share = flagged.flagged.reduce((a, b) => a + b, 0) / train.length;
  assert.ok(
    Math.abs(share - 0.1) < 0.03,
    `the default threshold flags ${share} of the training rows (contamination 0.1)`,
  );
  assert.equal(
    flagged.topFeatures.size,
    flagged.flagged.reduce((a, b) => a + b, 0),
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-detector-'));
  try {
    detector.save(`${dir}/det`);
    const back = AnomalyDetector.load(`${dir}/det`);
    assert.deepEqual(Array.from(back.score(testRows.slice(0, 20))), Array.from(scores.slice(0, 20)));
    assert.equal(back.threshold, detector.threshold);
    // The training scores' quantile table: the default threshold is its 0.9 entry, and any
    // quantile matches the one of the training rows' own scores.
    const trainScores = detector.score(train);
    const saved = back.trainingScores!;
    assert.equal(saved.rows, train.length);
    assert.equal(trainingQuantile(saved, 0.9), detector.threshold);
    assert.ok(Math.abs(trainingQuantile(saved, 0.99) - quantile(trainScores, 0.99)) < 1e-9);
    assert.match(back.thresholdRule, /0.9 quantile .*contamination 0.1/);
    back.dispose();
    // Free-form extra data (the command line's preprocessing) is saved with the detector.
    detector.extra['note'] = { a: 1 };
    detector.save(`${dir}/det2`);
    const withExtra = AnomalyDetector.load(`${dir}/det2`);
    assert.deepEqual(withExtra.extra, { note: { a: 1 } });
    withExtra.dispose();
    toLegacyFolder(`${dir}/det`); // damage the plain file: the parser's message, not the checksum
    fs.writeFileSync(`${dir}/det/detector.json`, '{"format": "hourglass-detector", "vers');
    assert.throws(() => AnomalyDetector.load(`${dir}/det`), /detector.json: not valid JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true });
    detector.dispose();
  }
});

test('detector: bad input is named', async () => {
  await assert.rejects(AnomalyDetector.fit([[1, 2]]), /too few/);
  await assert.rejects(
    AnomalyDetector.fit(Array.from({ length: 10 }, (_, i) => [i, i === 4 ? NaN : 1])),
    /row 5, feature 2 is NaN/,
  );
  await assert.rejects(AnomalyDetector.fit([[1]], { contamination: 0.7 }), HourglassError);
  await assert.rejects(
    AnomalyDetector.fit([[1]], { views: 'codes' as 'both' }),
    /views must be 'both' or 'reconstruction'/,
  );
  const d = await AnomalyDetector.fit(
    Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i), i % 3]),
    { members: 1, steps: 50 },
  );
  assert.throws(() => d.score([[1, 2]]), /trained on 3 features, got 2/);
  d.dispose();
});
