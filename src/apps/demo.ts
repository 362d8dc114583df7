// The demo: a strided convolutional (or dense) autoencoder trained on MNIST in about a minute, its train
// and test reconstruction loss, and a PNG of test digits above their reconstructions.

import path from 'node:path';
import fs from 'node:fs';
import { loadMnist } from '../data/mnist.js';
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { writeImageGrid } from '../data/png.js';
import { sliceRows } from '../engine/tensor.js';
import { CONV_DEFAULTS } from '../models/defaults.js';
import { evaluateReconstruction, trainAutoencoder, type Architecture } from './train.js';

export interface DemoOptions {
  arch?: Architecture;
  data?: 'mnist' | 'fashion-mnist';
  epochs?: number;
  out?: string;
  verbose?: boolean;
  trainRows?: number;
}

export interface DemoResult {
  data: string;
  architecture: string;
  epochs: number;
  seconds: number;
  samplesPerSecond: number;
  train: Record<string, number>;
  test: Record<string, number>;
  image: string;
  modelDir: string;
}

export const DEMO_HIDDEN = [256, 64];
export const DEMO_LATENT = 32;
// The strided conv layout (its default filters): on MNIST its 4x4x8 code reconstructs better than
// a dense 128-value code.
export const DEMO_FILTERS = CONV_DEFAULTS.filters.strided;

export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const arch = o.arch ?? 'conv';
  // About a minute on two cores either way.
  const epochs = o.epochs ?? (arch === 'conv' ? 2 : 10);
  const out = o.out ?? 'hourglass-demo';
  const load = o.data === 'fashion-mnist' ? loadFashionMnist : loadMnist;
  const train = load('train'),
    test = load('test');
  const x = o.trainRows ? sliceRows(train.images, 0, o.trainRows) : train.images;
  const { ae, model, seconds } = await trainAutoencoder(x, {
    arch,
    hidden: DEMO_HIDDEN,
    latent: DEMO_LATENT,
    downsampling: 'strided',
    imageShape: [28, 28, 1],
    epochs,
    batchSize: arch === 'conv' ? 64 : 256,
    learningRate: 0.002,
    loss: 'bce',
    seed: 42,
    verbose: o.verbose ?? true,
  });
  const trainEval = evaluateReconstruction(model, x);
  const testEval = evaluateReconstruction(model, test.images);
  fs.mkdirSync(out, { recursive: true });
  const modelDir = path.join(out, 'model');
  ae.extra['image'] = [28, 28, 1];
  ae.save(modelDir);
  // Spread over the test set: Fashion-MNIST's test split is ordered by class.
  const stride = Math.floor(test.images.shape[0]! / 16);
  const shown = { data: new Float32Array(16 * 784), shape: [16, 784] };
  for (let i = 0; i < 16; i++)
    shown.data.set(test.images.data.subarray(i * stride * 784, (i * stride + 1) * 784), i * 784);
  const recon = model.predict(shown);
  const split = (t: Float32Array) => Array.from({ length: 16 }, (_, i) => t.subarray(i * 784, (i + 1) * 784));
  const image = path.join(out, 'reconstructions.png');
  writeImageGrid(image, [split(shown.data), split(recon.data)], { height: 28, width: 28, columns: 16, scale: 3 });
  return {
    data: o.data ?? 'mnist',
    architecture:
      arch === 'conv'
        ? `conv strided ${DEMO_FILTERS.join('-')} filters, 4x4x8 code`
        : `dense 784-${[...DEMO_HIDDEN, DEMO_LATENT, ...[...DEMO_HIDDEN].reverse()].join('-')}-784`,
    epochs,
    seconds,
    samplesPerSecond: (x.shape[0]! * epochs) / seconds,
    train: trainEval,
    test: testEval,
    image,
    modelDir,
  };
}
