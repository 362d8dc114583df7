// Training any member of the family on a dataset and measuring it: the library side of
// `hourglass train`, `evaluate`, `encode` and the demo. Tables are prepared (scaled, one-hot,
// missing cells masked) and the preprocessing is kept with the model.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Callback } from '../model/callbacks.js';
import type { History } from '../model/fit.js';
import type { Model } from '../model/model.js';
import type { Table } from '../data/table.js';
import type { Scaling } from '../data/tabular_preprocessing.js';
import { autoencoders, type Autoencoder, type NoiseSpec, type SparsitySpec } from '../models/index.js';
import { fitTable } from './tabular.js';

export type Architecture = 'dense' | 'conv';
export type Kind = 'plain' | 'denoising' | 'sparse' | 'contractive' | 'variational';

export interface TrainOptions {
  kind?: Kind;
  arch?: Architecture;
  /** Dense and variational: encoder hidden sizes and code size (default: the kind's, see models/defaults.ts). */
  hidden?: number[];
  latent?: number;
  /** Conv: filters per encoder block, the layout, the decoder's upsampling, and the image shape of each row. */
  filters?: number[];
  downsampling?: 'pooling' | 'strided';
  codeChannels?: number;
  upsampling?: 'upsampling' | 'transpose';
  /** Conv pooling with a dense code: the decoder (default CONV_DEFAULTS.decoder). */
  decoder?: 'conv' | 'dense';
  imageShape?: [number, number, number];
  /** Denoising: the corruption (needed). */
  noise?: NoiseSpec;
  /** Sparse, contractive, variational: their penalty (default: the kind's). */
  sparsity?: SparsitySpec;
  contractive?: number;
  beta?: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  loss: 'auto' | 'mse' | 'bce';
  seed: number;
  validationSplit?: number;
  verbose?: boolean;
  callbacks?: Callback[];
  /** Tables: how numeric columns are scaled (default standard). */
  scaling?: Scaling;
  /** Where the rows came from, recorded in the model's training history. */
  source?: string;
}

export interface Trained {
  ae: Autoencoder;
  model: Model;
  history: History;
  seconds: number;
}

/**
 * The autoencoder the options describe (untrained; it is built on first fit). Options left out
 * are left to the family's factories, so their defaults are the only ones.
 */
export function makeAutoencoder(o: TrainOptions): Autoencoder {
  const kind = o.kind ?? 'plain',
    arch = o.arch ?? 'dense';
  const dense = { ...(o.hidden ? { hidden: o.hidden } : {}), ...(o.latent !== undefined ? { latent: o.latent } : {}) };
  if (arch === 'conv' && !o.imageShape)
    throw new HourglassError("arch 'conv' needs images: give imageShape [height, width, channels] with image rows");
  const conv = {
    ...(o.imageShape ? { imageShape: o.imageShape } : {}),
    ...(o.filters ? { filters: o.filters } : {}),
    ...(o.upsampling ? { upsampling: o.upsampling } : {}),
    ...(o.decoder ? { decoder: o.decoder } : {}),
    ...(o.downsampling ? { downsampling: o.downsampling } : {}),
    ...(o.codeChannels ? { codeChannels: o.codeChannels } : {}),
    // The pooling layout's dense code; the strided layout's code is its channels x final size.
    ...(o.latent !== undefined && o.downsampling !== 'strided' ? { latent: o.latent } : {}),
  };
  if (arch === 'conv' && kind !== 'plain' && kind !== 'denoising')
    throw new HourglassError(`kind '${kind}' is dense only; use arch 'dense'`);
  switch (kind) {
    case 'plain':
      return arch === 'conv' ? autoencoders.conv(conv) : autoencoders.dense(dense);
    case 'denoising': {
      if (!o.noise)
        throw new HourglassError(
          "kind 'denoising' needs noise, e.g. { type: 'gaussian', stddev: 0.5 }, { type: 'masking', rate: 0.3 } or { type: 'saltAndPepper', rate: 0.1 }",
        );
      return arch === 'conv'
        ? autoencoders.denoising({ base: 'conv', ...conv, noise: o.noise })
        : autoencoders.denoising({ ...dense, noise: o.noise });
    }
    case 'sparse':
      return autoencoders.sparse({ ...dense, ...(o.sparsity ? { sparsity: o.sparsity } : {}) });
    case 'contractive':
      return autoencoders.contractive({ ...dense, ...(o.contractive !== undefined ? { weight: o.contractive } : {}) });
    case 'variational':
      return autoencoders.variational({ ...dense, ...(o.beta !== undefined ? { beta: o.beta } : {}) });
    default:
      throw new HourglassError(`unknown kind '${String(kind)}'`);
  }
}

function fitOptions(o: TrainOptions) {
  return {
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    seed: o.seed,
    loss: o.loss,
    verbose: o.verbose ?? true,
    ...(o.validationSplit ? { validationSplit: o.validationSplit } : {}),
    ...(o.callbacks ? { callbacks: o.callbacks } : {}),
    ...(o.source ? { source: o.source } : {}),
  };
}

export async function trainAutoencoder(x: Tensor, o: TrainOptions): Promise<Trained> {
  const ae = makeAutoencoder(o);
  const rows = x.shape[0]!;
  const shaped =
    o.arch === 'conv'
      ? { data: x.data, shape: [rows, ...o.imageShape!] }
      : { data: x.data, shape: [rows, x.data.length / rows] };
  const started = performance.now();
  const history = await ae.fit(shaped, fitOptions(o));
  return { ae, model: ae.model, history, seconds: (performance.now() - started) / 1000 };
}

/** Trains on a table: preprocessing fitted on it and saved with the model; gaps left out of the loss. */
export async function trainOnTable(
  table: Table,
  file: string,
  o: TrainOptions,
): Promise<Trained & { missingCells: number; width: number }> {
  if ((o.arch ?? 'dense') === 'conv')
    throw new HourglassError("arch 'conv' needs images; a table trains a dense autoencoder (arch 'dense')");
  const ae = makeAutoencoder(o);
  const started = performance.now();
  const { history, prepared } = await fitTable(ae, table, file, {
    ...fitOptions(o),
    ...(o.scaling ? { scaling: o.scaling } : {}),
  });
  return {
    ae,
    model: ae.model,
    history,
    seconds: (performance.now() - started) / 1000,
    missingCells: prepared.missingCells,
    width: prepared.x.shape[1]!,
  };
}

/** Reconstruction loss and MSE of an autoencoder on prepared rows. */
export function evaluateReconstruction(model: Model, x: Tensor): Record<string, number> {
  if (!model.compiled) model.compile({ loss: 'mse', metrics: ['mse'] });
  return model.evaluate(x, x);
}
