// The default image detector: the blurred error against a direct 2-D convolution, the member
// rules, a save/load round trip, bad input, and a reduced one-class MNIST run against PCA-32
// fitted on the same images (bench/oneclass runs the full protocol).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../src/index.js'; // starts the engine
import { ImageAnomalyDetector } from '../../src/detection/image_detector.js';
import { blurredErrors, gaussianKernel } from '../../src/detection/image_errors.js';
import { imageMemberShape } from '../../src/detection/image_members.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { fitPca, pcaErrors } from '../../src/apps/pca.js';
import { loadMnist } from '../../src/data/mnist.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import type { Tensor } from '../../src/engine/tensor.js';

test('blurred error: sigma 0 is the mean squared error; sigma 1 equals a direct 2-D Gaussian convolution', () => {
  const rng = new Random(5);
  const [h, w, c, rows] = [5, 7, 2, 3];
  const x = Float32Array.from({ length: rows * h * w * c }, () => rng.uniform());
  const r = Float32Array.from({ length: rows * h * w * c }, () => rng.uniform());
  const plain = blurredErrors(x, r, { height: h, width: w, channels: c }, 0);
  const blurred = blurredErrors(x, r, { height: h, width: w, channels: c }, 1);
  for (let n = 0; n < rows; n++) {
    const base = n * h * w * c;
    let mse = 0;
    for (let p = 0; p < h * w * c; p++) mse += (x[base + p]! - r[base + p]!) ** 2 / (h * w * c);
    assert.ok(Math.abs(plain[n]! - mse) < 1e-9, `row ${n}: ${plain[n]} vs ${mse}`);
    // The reference: a 7x7 2-D Gaussian (radius 3 sigma, normalized over the full square), zeros outside.
    let norm = 0;
    for (let a = -3; a <= 3; a++) for (let b = -3; b <= 3; b++) norm += Math.exp(-(a * a + b * b) / 2);
    let total = 0;
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let a = -3; a <= 3; a++)
            for (let b = -3; b <= 3; b++) {
              const [ii, jj] = [i + a, j + b];
              if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
              const q = base + (ii * w + jj) * c + ch;
              s += (Math.exp(-(a * a + b * b) / 2) / norm) * (x[q]! - r[q]!);
            }
          total += s * s;
        }
    assert.ok(Math.abs(blurred[n]! - total / (h * w * c)) < 1e-9, `row ${n}: ${blurred[n]} vs ${total / (h * w * c)}`);
  }
  const k = gaussianKernel(1);
  assert.equal(k.length, 7);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('blurred error: scattered errors of both signs mostly cancel, a solid patch of the same size does not', () => {
  const geo = { height: 12, width: 12, channels: 1 };
  const zeros = new Float32Array(144);
  const checker = Float32Array.from({ length: 144 }, (_, p) =>
    p % 12 >= 4 && p % 12 < 8 && p >= 48 && p < 96 ? (((p % 12) + Math.floor(p / 12)) % 2 ? 0.5 : -0.5) : 0,
  );
  const patch = Float32Array.from(checker, (v) => Math.abs(v));
  // The same plain error...
  assert.equal(blurredErrors(checker, zeros, geo, 0)[0], blurredErrors(patch, zeros, geo, 0)[0]);
  // ...but the blurred error of the patch is many times that of the checkerboard.
  const ratio = blurredErrors(patch, zeros, geo, 1)[0]! / blurredErrors(checker, zeros, geo, 1)[0]!;
  assert.ok(ratio > 20, `patch / checkerboard blurred error ${ratio}`);
});

test('image members: narrow codes, varied widths, a step budget', () => {
  const m = imageMemberShape(6000, 784, 0, 2000);
  assert.equal(m.latent, 32);
  assert.ok(m.latent < 784 / 8 + 1);
  assert.equal(m.batchSize, 64);
  assert.equal(m.epochs, Math.ceil((2000 * 64) / 6000));
  assert.notDeepEqual(imageMemberShape(6000, 784, 1, 2000).hidden, m.hidden);
  // Tiny images: the code stays narrower than the pixels.
  const tiny = imageMemberShape(100, 16, 0, 500);
  assert.ok(tiny.latent >= 2 && tiny.latent < 16, `latent ${tiny.latent}`);
});

function digitImages(set: { images: Tensor; labels: Int32Array }, digit: number, count: number): Tensor {
  const rows = [...set.labels.keys()].filter((i) => set.labels[i] === digit).slice(0, count);
  const data = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => data.set(set.images.data.subarray(r * 784, (r + 1) * 784), i * 784));
  return { data, shape: [rows.length, 784] };
}

test('one-class MNIST, reduced (600 training images, 3,000 test images): the detector beats PCA-32 on digits 2, 5, 8', async (t) => {
  const train = loadMnist('train'),
    all = loadMnist('test');
  const testImages: Tensor = { data: all.images.data.subarray(0, 3000 * 784), shape: [3000, 784] };
  for (const digit of [2, 5, 8]) {
    const x = digitImages(train, digit, 600);
    const labels = Int32Array.from(all.labels.subarray(0, 3000), (l) => (l === digit ? 0 : 1));
    const detector = await ImageAnomalyDetector.fit(x, { steps: 600 });
    const auc = rocAuc(detector.score(testImages), labels);
    const pca = rocAuc(pcaErrors(fitPca(x, 32), testImages), labels);
    t.diagnostic(`digit ${digit}: detector ROC-AUC ${auc.toFixed(4)}, PCA-32 ${pca.toFixed(4)}`);
    assert.ok(auc > pca, `digit ${digit}: detector ${auc} vs PCA-32 ${pca}`);
    detector.dispose();
  }
});

test('image detector: saved and loaded, it gives the same scores and threshold; flags above the threshold', async () => {
  const rng = new Random(9);
  const x: Tensor = { data: Float32Array.from({ length: 40 * 64 }, () => rng.uniform()), shape: [40, 8, 8, 1] };
  const detector = await ImageAnomalyDetector.fit(x, { members: 2, steps: 20 });
  assert.deepEqual(detector.imageShape, [8, 8, 1]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-detector-'));
  detector.save(dir);
  const loaded = ImageAnomalyDetector.load(dir);
  assert.deepEqual(Array.from(loaded.score(x)), Array.from(detector.score(x)));
  assert.equal(loaded.threshold, detector.threshold);
  const { scores, flagged } = loaded.detect(x);
  scores.forEach((s, i) => assert.equal(flagged[i], s > loaded.threshold ? 1 : 0));
  // The default threshold is the 0.99 quantile of the training scores: at most one of 40 above it.
  assert.ok(flagged.reduce((a, b) => a + b, 0) <= 1);
  detector.dispose();
  loaded.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('image detector: bad input is named', async () => {
  const ok = { data: new Float32Array(10 * 16).fill(0.5), shape: [10, 16] };
  await assert.rejects(
    ImageAnomalyDetector.fit({ data: new Float32Array(10 * 16).fill(2), shape: [10, 16] }),
    (e: unknown) => e instanceof HourglassError && /pixels must be in \[0, 1\]/.test(e.message),
  );
  await assert.rejects(
    ImageAnomalyDetector.fit({ data: new Float32Array(10 * 15), shape: [10, 15] }),
    (e: unknown) => e instanceof HourglassError && /not square grayscale images; pass imageShape/.test(e.message),
  );
  await assert.rejects(
    ImageAnomalyDetector.fit(ok, { imageShape: [3, 3, 1] }),
    (e: unknown) => e instanceof HourglassError && /do not have the shape \[3, 3, 1\]/.test(e.message),
  );
  await assert.rejects(
    ImageAnomalyDetector.fit({ data: new Float32Array(4 * 16), shape: [4, 16] }),
    (e: unknown) => e instanceof HourglassError && /too few/.test(e.message),
  );
  await assert.rejects(
    ImageAnomalyDetector.fit(ok, { blur: -1 }),
    (e: unknown) => e instanceof HourglassError && /blur/.test(e.message),
  );
  const detector = await ImageAnomalyDetector.fit(ok, { members: 1, steps: 5 });
  assert.throws(
    () => detector.score({ data: new Float32Array(2 * 25), shape: [2, 25] }),
    (e: unknown) => e instanceof HourglassError && /do not have the shape \[4, 4, 1\]/.test(e.message),
  );
  detector.dispose();
});
