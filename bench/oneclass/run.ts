// The one-class image bench (Ruff et al. 2018's protocol): for each class of MNIST and
// Fashion-MNIST, train on that class's training images only, score the whole test set, and
// measure ROC-AUC with that class as normal and the nine others as anomalies. Per class it prints
// - PCA-32: the reconstruction error of 32 principal components (src/apps/pca.ts), fitted in
//   this run on the same images, and the same PCA scored with the detector's blurred error;
// - the dense and conv presets (autoencoders.dense() and autoencoders.conv() with their default
//   options), trained for the same epochs, scored by their own plain reconstruction error
//   (Autoencoder.score, what `hourglass detect` uses) and by the blurred error;
// - the default image detector (ImageAnomalyDetector.fit with no options).
//
// npm run bench:oneclass [-- --datasets mnist,fashion --classes 0,1,2 --train-limit 2000 --epochs 20 --json out.json]
// Screening the conv preset's options: --conv-latent N|map, --conv-filters 32,16,16, --conv-lr 0.003,
// --conv-loss mse, --conv-decoder dense, --conv-decoder-hidden 64,128, --conv-decoder-channels 16,
// --conv-code-activation relu, --conv-epochs 40 (each given to the conv preset only); --show-loss prints each preset's training
// loss at the first, middle and last epoch (is it still falling?); --seed-offset K reruns with other seeds.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { autoencoders, setThreads } from '../../src/index.js';
import { loadMnist, type LabeledImages } from '../../src/data/mnist.js';
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { fitPca, pcaInverse, pcaTransform } from '../../src/apps/pca.js';
import { ImageAnomalyDetector } from '../../src/detection/image_detector.js';
import { blurredErrors } from '../../src/detection/image_errors.js';
import type { Tensor } from '../../src/engine/tensor.js';

const COLUMNS = [
  'pca32',
  'pca32Blur',
  'densePreset',
  'densePresetBlur',
  'convPreset',
  'convPresetBlur',
  'detector',
] as const;
type Column = (typeof COLUMNS)[number];
const HEADERS: Record<Column, string> = {
  pca32: 'PCA-32',
  pca32Blur: 'PCA-32 blur',
  densePreset: 'dense',
  densePresetBlur: 'dense blur',
  convPreset: 'conv',
  convPresetBlur: 'conv blur',
  detector: 'detector',
};
const LOADERS: Record<string, (split: 'train' | 'test') => LabeledImages> = {
  mnist: loadMnist,
  fashion: loadFashionMnist,
};

const { values: flags } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'mnist,fashion' },
    classes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
    'train-limit': { type: 'string' },
    epochs: { type: 'string', default: '20' },
    threads: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
    /** The conv preset's latent option: a dense code of this many values, or 'map' (latent: false, the pooled map). */
    'conv-latent': { type: 'string' },
    /** Screening other conv defaults: filters ('32,16,16'), a loss ('mse', 'bce'), Adam's rate ('0.001'). */
    'conv-filters': { type: 'string' },
    'conv-loss': { type: 'string' },
    'conv-lr': { type: 'string' },
    /** The conv preset's decoder: 'dense' (dense layers to every pixel) or 'conv', its dense hidden sizes, or the channels of a wider conv decoder's first map. */
    'conv-decoder': { type: 'string' },
    'conv-decoder-hidden': { type: 'string' },
    'conv-decoder-channels': { type: 'string' },
    /** The conv preset's dense code activation (e.g. 'relu', as the dense preset's code). */
    'conv-code-activation': { type: 'string' },
    /** Dense layers between the pooled map and the conv preset's code ('64'), and its kernel size. */
    'conv-encoder-hidden': { type: 'string' },
    'conv-kernel': { type: 'string' },
    /** Epochs for the conv preset only (default --epochs). */
    'conv-epochs': { type: 'string' },
    'show-loss': { type: 'boolean', default: false },
    /** Another run of the same protocol: each class's seed is its number + 1 + 100 x this. */
    'seed-offset': { type: 'string', default: '0' },
    json: { type: 'string' },
  },
});
const classes = flags.classes.split(',').map(Number);
const limit = flags['train-limit'] ? Number(flags['train-limit']) : Infinity;
const epochs = Number(flags.epochs);
const seedOffset = 100 * Number(flags['seed-offset']);
const skipped = new Set(flags.skip.split(',').filter(Boolean));
setThreads(Number(flags.threads));

const geometry = { height: 28, width: 28, channels: 1 };
const asImages = (t: Tensor): Tensor => ({ data: t.data, shape: [t.shape[0]!, 28, 28, 1] });

function classImages(set: LabeledImages, cls: number): Tensor {
  const rows = [...set.labels.keys()].filter((i) => set.labels[i] === cls).slice(0, limit);
  const data = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => data.set(set.images.data.subarray(r * 784, (r + 1) * 784), i * 784));
  return { data, shape: [rows.length, 784] };
}

async function presetAucs(
  kind: 'dense' | 'conv',
  train: Tensor,
  test: Tensor,
  labels: Int32Array,
  seed: number,
): Promise<[number, number]> {
  const latentFlag = flags['conv-latent'];
  const convLatent = latentFlag ? { latent: latentFlag === 'map' ? (false as const) : Number(latentFlag) } : {};
  const filters = flags['conv-filters']?.split(',').map(Number);
  const decoderHidden = flags['conv-decoder-hidden']?.split(',').map(Number);
  const decoderChannels = flags['conv-decoder-channels'];
  const encoderHidden = flags['conv-encoder-hidden']?.split(',').map(Number);
  const ae =
    kind === 'dense'
      ? autoencoders.dense()
      : autoencoders.conv({
          ...convLatent,
          ...(filters ? { filters } : {}),
          ...(flags['conv-decoder'] ? { decoder: flags['conv-decoder'] as 'conv' | 'dense' } : {}),
          ...(decoderHidden ? { decoderHidden } : {}),
          ...(encoderHidden ? { encoderHidden } : {}),
          ...(flags['conv-kernel'] ? { kernelSize: Number(flags['conv-kernel']) } : {}),
          ...(decoderChannels ? { decoderChannels: Number(decoderChannels) } : {}),
          ...(flags['conv-code-activation'] ? { codeActivation: flags['conv-code-activation'] as 'relu' } : {}),
        });
  const shaped = kind === 'conv' ? asImages : (t: Tensor) => t;
  const loss = kind === 'conv' ? (flags['conv-loss'] as 'mse' | 'bce' | undefined) : undefined;
  const history = await ae.fit(shaped(train), {
    epochs: kind === 'conv' && flags['conv-epochs'] ? Number(flags['conv-epochs']) : epochs,
    batchSize: 64,
    seed,
    verbose: false,
    ...(loss ? { loss } : {}),
    ...(kind === 'conv' && flags['conv-lr'] ? { learningRate: Number(flags['conv-lr']) } : {}),
  });
  if (flags['show-loss']) {
    const losses = history.history['loss']!;
    const at = [0, Math.floor((losses.length - 1) / 2), losses.length - 1];
    console.log(`  ${kind} loss ${at.map((e) => `epoch ${e + 1} ${losses[e]!.toFixed(5)}`).join(', ')}`);
  }
  // sigma 0 is the plain mean squared error, Autoencoder.score's (one reconstruction serves both).
  const rebuilt = ae.reconstruct(shaped(test)).data;
  const plain = rocAuc(blurredErrors(test.data, rebuilt, geometry, 0), labels);
  const blurred = rocAuc(blurredErrors(test.data, rebuilt, geometry, 1), labels);
  ae.dispose();
  return [plain, blurred];
}

type Row = Partial<Record<Column, number>> & { cls: number; seconds: number };
const results: Record<string, Row[]> = {};
const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));

for (const name of flags.datasets.split(',')) {
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown dataset '${name}' (have ${Object.keys(LOADERS).join(', ')})`);
  const trainSet = load('train'),
    testSet = load('test');
  const rows: Row[] = (results[name] = []);
  console.log(`\n${name}: one class normal, ${testSet.labels.length} test images; ROC-AUC`);
  console.log(['class', ...COLUMNS.map((c) => HEADERS[c])].join(' | '));
  for (const cls of classes) {
    const started = Date.now();
    const train = classImages(trainSet, cls);
    const labels = Int32Array.from(testSet.labels, (l) => (l === cls ? 0 : 1));
    const row: Row = { cls, seconds: 0 };
    const pca = fitPca(train, 32);
    const rebuilt = pcaInverse(pca, pcaTransform(pca, testSet.images), testSet.labels.length);
    row.pca32 = rocAuc(blurredErrors(testSet.images.data, rebuilt, geometry, 0), labels);
    row.pca32Blur = rocAuc(blurredErrors(testSet.images.data, rebuilt, geometry, 1), labels);
    const seed = cls + 1 + seedOffset;
    if (!skipped.has('dense'))
      [row.densePreset, row.densePresetBlur] = await presetAucs('dense', train, testSet.images, labels, seed);
    if (!skipped.has('conv'))
      [row.convPreset, row.convPresetBlur] = await presetAucs('conv', train, testSet.images, labels, seed);
    if (!skipped.has('detector')) {
      const detector = await ImageAnomalyDetector.fit(train);
      row.detector = rocAuc(detector.score(testSet.images), labels);
      detector.dispose();
    }
    row.seconds = (Date.now() - started) / 1000;
    rows.push(row);
    console.log(
      [`${cls} (${train.shape[0]})`, ...COLUMNS.map((c) => fmt(row[c])), `${row.seconds.toFixed(0)} s`].join(' | '),
    );
  }
  const mean = (c: Column) => {
    const values = rows.map((r) => r[c]).filter((v): v is number => v !== undefined);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  };
  console.log(['mean', ...COLUMNS.map((c) => fmt(mean(c)))].join(' | '));
}
if (flags.json)
  fs.writeFileSync(
    flags.json,
    JSON.stringify(
      { date: new Date().toISOString(), epochs, limit: flags['train-limit'] ?? null, flags, results },
      null,
      1,
    ),
  );
