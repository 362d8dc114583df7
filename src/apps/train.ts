// Training a dense or convolutional autoencoder on a dataset and measuring it: the library side of
// `hourglass train`, `evaluate` and `encode`.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Callback } from '../model/callbacks.js';
import type { History } from '../model/fit.js';
import type { Model } from '../model/model.js';
import { loadModel } from '../model/save.js';
import { setSeed } from '../engine/seed.js';
import { denseAutoencoder, encoderOf } from '../models/dense_autoencoder.js';
import { convAutoencoder } from '../models/conv_autoencoder.js';

export type Architecture = 'dense' | 'conv';

export interface TrainOptions {
  arch?: Architecture;
  /** Dense: encoder hidden sizes and code size. */
  hidden: number[];
  latent: number;
  /** Conv: filters per encoder block, the decoder's upsampling, and the image shape of each row. */
  filters?: number[];
  upsampling?: 'upsampling' | 'transpose';
  imageShape?: [number, number, number];
  epochs: number;
  batchSize: number;
  learningRate: number;
  loss: 'mse' | 'bce';
  seed: number;
  validationSplit?: number;
  verbose?: boolean;
  callbacks?: Callback[];
}

export interface Trained { model: Model; history: History; seconds: number }

/** True when every value is in [0, 1], the range a sigmoid output (and BCE) can fit. */
export function inUnitRange(x: Tensor): boolean {
  for (let i = 0; i < x.data.length; i++) { const v = x.data[i]!; if (v < 0 || v > 1) return false; }
  return true;
}

export async function trainAutoencoder(x: Tensor, o: TrainOptions): Promise<Trained> {
  const unit = inUnitRange(x);
  if (o.loss === 'bce' && !unit) throw new HourglassError('--loss bce needs data in [0, 1]; this data has values outside it (use --loss mse)');
  setSeed(o.seed);
  const outputActivation = unit ? 'sigmoid' : 'linear';
  let autoencoder: Model;
  if ((o.arch ?? 'dense') === 'conv') {
    if (!o.imageShape) throw new HourglassError('--arch conv needs images: a built-in image dataset (mnist:train, fashion-mnist:train) or a folder of PNG/JPEG files');
    autoencoder = convAutoencoder({ inputShape: o.imageShape, ...(o.filters ? { filters: o.filters } : {}), ...(o.upsampling ? { upsampling: o.upsampling } : {}), outputActivation }).autoencoder;
    x = { data: x.data, shape: [x.shape[0]!, ...o.imageShape] };
  } else {
    autoencoder = denseAutoencoder({ inputDim: x.data.length / x.shape[0]!, hidden: o.hidden, latent: o.latent, outputActivation }).autoencoder;
    x = { data: x.data, shape: [x.shape[0]!, x.data.length / x.shape[0]!] };
  }
  autoencoder.compile({ optimizer: { name: 'adam', learningRate: o.learningRate }, loss: o.loss === 'bce' ? 'binaryCrossentropy' : 'mse', metrics: ['mse'], seed: o.seed });
  const started = performance.now();
  const history = await autoencoder.fit(x, x, {
    epochs: o.epochs, batchSize: o.batchSize, verbose: o.verbose ?? true,
    ...(o.validationSplit ? { validationSplit: o.validationSplit } : {}),
    ...(o.callbacks ? { callbacks: o.callbacks } : {}),
  });
  return { model: autoencoder, history, seconds: (performance.now() - started) / 1000 };
}

/** Reconstruction loss and MSE of a saved (or in-memory) autoencoder on data. */
export function evaluateReconstruction(model: Model, x: Tensor): Record<string, number> {
  if (!model.compiled) model.compile({ loss: 'mse', metrics: ['mse'] });
  return model.evaluate(x, x);
}

export function loadAutoencoder(dir: string): Model { return loadModel(dir).model; }

/** Codes of every row from the autoencoder's code layer, one flat row of values per input row. */
export function encodeRows(model: Model, x: Tensor): Tensor {
  const codes = encoderOf(model).predict(x);
  const rows = codes.shape[0]!;
  return { data: codes.data, shape: [rows, codes.data.length / rows] };
}
