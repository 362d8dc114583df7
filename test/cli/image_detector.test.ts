// `hourglass train IMAGES --kind detector` builds the image anomaly detector when the data are
// images (here an IDX file of 300 MNIST zeros), and `hourglass detect` on its folder flags images
// above the threshold saved at train time, with no rule given; --contamination, --threshold and
// --quantile override it (the quantile checked against the training images' own scores); an
// image folder of the same pictures scores the same; a table is refused in one line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantile } from '../../src/apps/anomaly.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { loadMnist, type LabeledImages } from '../../src/data/mnist.js';
import { encodePng } from '../../src/data/png.js';
import { savedFilePath } from '../helpers/saved_folder.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-image-detector-'));

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);
const scoresOf = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [, score, flag] = l.split(',');
      return { score: Number(score), flag: Number(flag) };
    });

/** 8-bit pixels of the chosen images, as an IDX file holds them. */
function bytesOf(set: LabeledImages, rows: number[]): Uint8Array {
  const out = new Uint8Array(rows.length * 784);
  rows.forEach((r, i) => {
    for (let j = 0; j < 784; j++) out[i * 784 + j] = Math.round(set.images.data[r * 784 + j]! * 255);
  });
  return out;
}

function writeIdx(file: string, pixels: Uint8Array): void {
  const n = pixels.length / 784;
  const header = new DataView(new ArrayBuffer(16));
  header.setUint32(0, 0x00000803); // unsigned bytes, 3 dimensions
  header.setUint32(4, n);
  header.setUint32(8, 28);
  header.setUint32(12, 28);
  fs.writeFileSync(file, Buffer.concat([new Uint8Array(header.buffer), pixels]));
}

const train = loadMnist('train'),
  testSet = loadMnist('test');
const zeros = [...train.labels.keys()].filter((i) => train.labels[i] === 0).slice(0, 300);
// 100 test zeros (normal) and 100 other digits (anomalies), interleaved.
const normal = [...testSet.labels.keys()].filter((i) => testSet.labels[i] === 0).slice(0, 100);
const other = [...testSet.labels.keys()].filter((i) => testSet.labels[i] !== 0).slice(0, 100);
const scored = normal.flatMap((r, i) => [r, other[i]!]);
const labels = scored.map((_, i) => i % 2);
writeIdx(path.join(tmp, 'zeros-idx3-ubyte'), bytesOf(train, zeros));
writeIdx(path.join(tmp, 'mixed-idx3-ubyte'), bytesOf(testSet, scored));
fs.writeFileSync(path.join(tmp, 'labels.txt'), ['label', ...labels].join('\n') + '\n');

test('train --kind detector on images builds the image detector; detect flags above its saved threshold, or a rule given', () => {
  const t = hourglass(
    'train',
    'zeros-idx3-ubyte',
    '--kind',
    'detector',
    '--members',
    '1',
    '--steps',
    '300',
    '--out',
    'imgdet',
    '--json',
  );
  assert.equal(t.code, 0, t.stderr);
  const trained = lastJson(t.stdout);
  assert.equal(trained.detector, 'image');
  assert.equal(trained.rows, 300);
  assert.deepEqual(trained.image, [28, 28, 1]);
  const saved = JSON.parse(fs.readFileSync(savedFilePath(path.join(tmp, 'imgdet'), 'image-detector.json'), 'utf8'));
  assert.equal(saved.format, 'hourglass-image-detector');
  assert.equal(saved.members.length, 1);
  assert.equal(saved.threshold, trained.threshold);

  // No rule: the threshold saved at train time, and the report says so.
  const out = path.join(tmp, 'scores.csv');
  const r = hourglass('detect', 'imgdet', 'mixed-idx3-ubyte', '--out', out, '--labels', 'labels.txt', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.threshold, saved.threshold);
  assert.match(j.thresholdRule, /default: the 0.99 quantile of the training images' scores, saved at train time/);
  const rows = scoresOf(out);
  assert.equal(rows.length, 200);
  assert.equal(j.flagged, rows.filter((x) => x.score > saved.threshold).length);
  assert.deepEqual(
    rows.map((x) => x.flag),
    rows.map((x) => (x.score > saved.threshold ? 1 : 0)),
  );
  // Zeros against other digits, from 300 training zeros and 300 steps.
  const auc = rocAuc(Float64Array.from(rows.map((x) => x.score)), Int32Array.from(labels));
  assert.ok(auc > 0.9, `ROC-AUC ${auc}`);
  assert.equal(j.rocAuc, auc);
  // Most anomalies lie above the 0.99 training quantile, few normal test zeros do.
  const flaggedOther = rows.filter((x, i) => labels[i] === 1 && x.flag === 1).length;
  const flaggedNormal = rows.filter((x, i) => labels[i] === 0 && x.flag === 1).length;
  assert.ok(flaggedOther > flaggedNormal, `${flaggedOther} anomalies vs ${flaggedNormal} normal flagged`);

  const human = hourglass('detect', 'imgdet', 'mixed-idx3-ubyte', '--out', out, '--overwrite');
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /of 200 images flagged by the image anomaly detector/);
  assert.match(human.stdout, /threshold [-\d.e]+: default: the 0.99 quantile/);

  const byShare = lastJson(
    hourglass('detect', 'imgdet', 'mixed-idx3-ubyte', '--contamination', '0.1', '--out', out, '--overwrite', '--json')
      .stdout,
  );
  assert.equal(byShare.flagged, 20);
  const byValue = lastJson(
    hourglass('detect', 'imgdet', 'mixed-idx3-ubyte', '--threshold', '2', '--out', out, '--overwrite', '--json').stdout,
  );
  assert.equal(byValue.threshold, 2);
  assert.equal(byValue.flagged, scoresOf(out).filter((x) => x.score > 2).length);

  // --quantile reads the training images' scores saved with the detector: the median of what
  // detect gives on the training images themselves.
  const own = path.join(tmp, 'own.csv');
  assert.equal(hourglass('detect', 'imgdet', 'zeros-idx3-ubyte', '--out', own).code, 0);
  const median = quantile(
    scoresOf(own).map((x) => x.score),
    0.5,
  );
  const byQuantile = lastJson(
    hourglass('detect', 'imgdet', 'mixed-idx3-ubyte', '--quantile', '0.5', '--out', out, '--overwrite', '--json')
      .stdout,
  );
  assert.ok(Math.abs(byQuantile.threshold - median) < 1e-9, `${byQuantile.threshold} vs ${median}`);
  assert.match(byQuantile.thresholdRule, /0.5 quantile of the 300 training rows' scores \(--quantile\)/);

  // The same first 10 pictures as PNG files score the same (read at the detector's size).
  const folder = path.join(tmp, 'pngs');
  fs.mkdirSync(folder);
  const pixels = bytesOf(testSet, scored.slice(0, 10));
  for (let i = 0; i < 10; i++)
    fs.writeFileSync(
      path.join(folder, `img${i}.png`),
      encodePng(
        Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
        28,
        28,
        1,
      ),
    );
  const pngOut = path.join(tmp, 'png-scores.csv');
  const p = hourglass('detect', 'imgdet', folder, '--out', pngOut);
  assert.equal(p.code, 0, p.stderr);
  const fromIdx = rows.slice(0, 10).map((x) => x.score);
  scoresOf(pngOut).forEach((x, i) => assert.ok(Math.abs(x.score - fromIdx[i]!) < 1e-9, `image ${i}`));

  // A table for an image detector: one line naming the problem.
  fs.writeFileSync(path.join(tmp, 'table.csv'), 'a,b\n1,2\n3,4\n');
  const bad = hourglass('detect', 'imgdet', 'table.csv', '--out', path.join(tmp, 'bad.csv'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: table.csv: this detector was trained on 28x28x1 images; give it images/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
