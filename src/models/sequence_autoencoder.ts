// Sequence autoencoders for windows of a series, [window, features]. Two layouts:
// - 'conv1d': Keras's "Timeseries anomaly detection using an Autoencoder" example: conv1d
//   stride 2 (32 filters, kernel 7, relu), dropout, conv1d stride 2 (16) as the code, then
//   conv1dTranspose stride 2 (16), dropout, conv1dTranspose stride 2 (32) and a stride-1
//   conv1dTranspose back to the features. Two stride-2 steps make the length a multiple of 4:
//   a window that is not one is cropped back at its end before the last layer.
// - 'lstm' / 'gru': the encoder-decoder of Srivastava et al. (2015) as Keras users write it: a
//   recurrent encoder whose final state is the code vector, repeatVector(window), a recurrent
//   decoder returning sequences, and timeDistributed(dense(features)).
// The denoising variant puts one of the family's corruption layers in front (training only).
// The variational variant (variational: true) replaces the code by the dense VAE's gaussianCode:
// mean and log-variance heads on the encoder's output (the conv stack flattened, or the
// recurrent encoder's final state), a sampled code of `latent` values with the KL term weighted by
// beta, then the same decoder (conv1d: a dense layer and a reshape back to the code's [steps,
// filters] first). It is a VariationalAutoencoder: elbo(), posterior(), sample(), interpolate().
// The output is linear by default: series are standard-scaled, so windows are not in [0, 1].

import { HourglassError } from '../engine/errors.js';
import { Conv1D } from '../layers/conv1d.js';
import { Conv1DTranspose } from '../layers/conv1d_transpose.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten, Reshape } from '../layers/reshape.js';
import { GRU } from '../layers/gru.js';
import { input } from '../layers/input.js';
import { size, type Layer, type Shape, type SymbolicTensor } from '../layers/layer.js';
import { LSTM } from '../layers/lstm.js';
import { Cropping1D } from '../layers/padding1d.js';
import { RepeatVector } from '../layers/repeat_vector.js';
import { TimeDistributed } from '../layers/time_distributed.js';
import { model } from '../model/model.js';
import { Autoencoder, type AutoencoderSettings, type Network, type OutputActivation } from './autoencoder.js';
import { codeSize, SEQUENCE_DEFAULTS } from './defaults.js';
import { noiseLayer, type NoiseSpec } from './denoising_autoencoder.js';
import { gaussianCode, MEAN_LAYER, SAMPLE_LAYER, VariationalAutoencoder } from './variational_autoencoder.js';

export type SequenceArch = 'conv1d' | 'lstm' | 'gru';

export interface SequenceOptions {
  /** Steps per window. */
  window: number;
  /** Values per step (the series' value columns; default 1). */
  features?: number;
  /** Default SEQUENCE_DEFAULTS.arch, 'conv1d' (Keras's example). */
  arch?: SequenceArch;
  /** conv1d: filters of the two stride-2 convolutions (default [32, 16]). */
  filters?: [number, number] | number[];
  /** conv1d: kernel length (default 7). */
  kernelSize?: number;
  /** conv1d: dropout rate after the first convolution of encoder and decoder (default 0.2; 0 for none). */
  dropout?: number;
  /** lstm/gru: units of the encoder and decoder; the code is the encoder's final state (default 64). */
  units?: number;
  /** Denoising variant: the corruption applied to the input in training. */
  noise?: NoiseSpec;
  /** Variational variant: a Gaussian code of `latent` values, sampled in training, its mean at inference. */
  variational?: boolean;
  /** variational: code size (default a quarter of window x features, 2 to SEQUENCE_DEFAULTS.latent, 16). */
  latent?: number;
  /** variational: weight of the KL term (beta-VAE; default 1). */
  beta?: number;
  outputActivation?: OutputActivation;
}

export const SEQUENCE_CODE_LAYER = 'code';

function positive(v: unknown, what: string): number {
  if (!(typeof v === 'number' && Number.isInteger(v) && v > 0))
    throw new HourglassError(`sequence autoencoder: ${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The options with their defaults, checked (what the builder and the describing line use). */
export function sequenceSettings(o: SequenceOptions) {
  const d = SEQUENCE_DEFAULTS;
  const arch = o.arch ?? d.arch;
  if (arch !== 'conv1d' && arch !== 'lstm' && arch !== 'gru')
    throw new HourglassError(`sequence autoencoder: arch must be 'conv1d', 'lstm' or 'gru', got '${String(arch)}'`);
  const filters = [...(o.filters ?? d.filters)];
  if (filters.length !== 2)
    throw new HourglassError(`sequence autoencoder: filters must be two numbers, got ${JSON.stringify(filters)}`);
  filters.forEach((f, i) => positive(f, `filters[${i}]`));
  if (o.variational !== undefined && typeof o.variational !== 'boolean')
    throw new HourglassError(
      `sequence autoencoder: variational must be true or false, got ${JSON.stringify(o.variational)}`,
    );
  const variational = o.variational === true;
  if (!variational && (o.latent !== undefined || o.beta !== undefined))
    throw new HourglassError(
      `sequence autoencoder: ${o.latent !== undefined ? 'latent' : 'beta'} is for the variational variant (variational: true)`,
    );
  const dropout = o.dropout ?? d.dropout;
  if (!(dropout >= 0 && dropout < 1))
    throw new HourglassError(`sequence autoencoder: dropout must be in [0, 1), got ${dropout}`);
  const window = positive(o.window, 'window'),
    features = positive(o.features ?? 1, 'features');
  return {
    window,
    features,
    arch,
    filters: filters as [number, number],
    kernelSize: positive(o.kernelSize ?? d.kernelSize, 'kernelSize'),
    dropout,
    units: positive(o.units ?? d.units, 'units'),
    variational,
    latent: positive(o.latent ?? codeSize(window * features, d.latent), 'latent'),
  };
}

type Settings = ReturnType<typeof sequenceSettings>;
/** The variational code's KL weight (null: the plain code). */
type CodeKind = { klWeight: number } | null;

function conv1dLayers(x: SymbolicTensor, s: Settings, out: OutputActivation, code: CodeKind): SymbolicTensor {
  const [f1, f2] = s.filters;
  const k = s.kernelSize;
  const conv = { kernelSize: k, strides: 2, padding: 'same', activation: 'relu' } as const;
  const drop = (name: string): Layer[] => (s.dropout > 0 ? [new Dropout(s.dropout, { name })] : []);
  const coded = Math.ceil(Math.ceil(s.window / 2) / 2);
  const grown = 4 * coded;
  const apply = (t: SymbolicTensor, layers: Layer[]) => layers.reduce((v, l) => l.apply(v), t);
  const encoded = apply(x, [
    new Conv1D(f1, { ...conv, name: 'encoder_conv_1' }),
    ...drop('encoder_dropout'),
    new Conv1D(f2, { ...conv, name: code ? 'encoder_conv_2' : SEQUENCE_CODE_LAYER }),
  ]);
  // The variational code is a vector: the conv code [coded, f2] flattened into the heads, and a
  // relu dense layer reshaped back to [coded, f2] in front of the decoder (Keras's conv VAE).
  const decoderInput = code
    ? apply(gaussianCode(new Flatten({ name: 'encoder_flatten' }).apply(encoded), s.latent, code.klWeight), [
        new Dense(coded * f2, { activation: 'relu', name: 'decoder_dense' }),
        new Reshape([coded, f2], { name: 'decoder_reshape' }),
      ])
    : encoded;
  return apply(decoderInput, [
    new Conv1DTranspose(f2, { ...conv, name: 'decoder_deconv_1' }),
    ...drop('decoder_dropout'),
    new Conv1DTranspose(f1, { ...conv, name: 'decoder_deconv_2' }),
    // Two stride-2 steps grow a window of 290 to 292: the steps past the window are cut off.
    ...(grown > s.window ? [new Cropping1D({ cropping: [0, grown - s.window], name: 'decoder_crop' })] : []),
    new Conv1DTranspose(s.features, { kernelSize: k, padding: 'same', activation: out, name: 'reconstruction' }),
  ]);
}

function recurrentLayers(x: SymbolicTensor, s: Settings, out: OutputActivation, code: CodeKind): SymbolicTensor {
  const Cell = s.arch === 'lstm' ? LSTM : GRU;
  const state = new Cell(s.units, { name: code ? 'encoder_rnn' : SEQUENCE_CODE_LAYER }).apply(x);
  const z = code ? gaussianCode(state, s.latent, code.klWeight) : state;
  const layers: Layer[] = [
    new RepeatVector(s.window, { name: 'decoder_repeat' }),
    new Cell(s.units, { returnSequences: true, name: 'decoder_rnn' }),
    new TimeDistributed(new Dense(s.features, { activation: out, name: 'reconstruction_dense' }), {
      name: 'reconstruction',
    }),
  ];
  return layers.reduce((t, l) => l.apply(t), z);
}

/** The training network for windows [window, features]; klWeight only for the variational variant. */
export function sequenceNetwork(
  o: SequenceOptions,
  inputShape: Shape,
  out: OutputActivation,
  klWeight?: number,
): Network {
  const s = sequenceSettings(o);
  if (inputShape.length !== 2 || inputShape[0] !== s.window || inputShape[1] !== s.features)
    throw new HourglassError(
      `sequence autoencoder: built for windows [${s.window}, ${s.features}] (window, features), given rows of shape [${inputShape.join(', ')}]`,
    );
  const x = input([s.window, s.features], { name: 'input' });
  const corrupted = o.noise ? noiseLayer(o.noise).apply(x) : x;
  if (s.variational !== (klWeight !== undefined))
    throw new HourglassError(
      'sequence autoencoder: the variational variant is built by SequenceVariationalAutoencoder',
    );
  const code = klWeight === undefined ? null : { klWeight };
  const y = s.arch === 'conv1d' ? conv1dLayers(corrupted, s, out, code) : recurrentLayers(corrupted, s, out, code);
  const name = `${s.arch}_${code ? 'variational_' : ''}sequence_autoencoder`;
  return {
    model: model({ inputs: x, outputs: y, name }),
    // The variational code encodes to its mean and decodes from the sample layer (as the dense VAE).
    encodeLayer: code ? MEAN_LAYER : SEQUENCE_CODE_LAYER,
    codeLayer: code ? SAMPLE_LAYER : SEQUENCE_CODE_LAYER,
  };
}

/** The variational sequence autoencoder: the dense VAE's ELBO, posterior, sample and interpolate on windows. */
export class SequenceVariationalAutoencoder extends VariationalAutoencoder {
  constructor(settings: AutoencoderSettings) {
    super(settings);
    sequenceSettings(this.sequenceOptions);
  }
  private get sequenceOptions(): SequenceOptions {
    return this.options as unknown as SequenceOptions;
  }
  protected override buildNetwork(inputShape: Shape, out: OutputActivation): Network {
    return sequenceNetwork(this.sequenceOptions, inputShape, out, this.klWeight(size(inputShape)));
  }
}

/** autoencoders.sequence(): a Conv1D, LSTM or GRU autoencoder of series windows (kind 'sequence'). */
export function sequenceAutoencoder(o: SequenceOptions & { variational: true }): SequenceVariationalAutoencoder;
export function sequenceAutoencoder(o: SequenceOptions): Autoencoder;
export function sequenceAutoencoder(o: SequenceOptions): Autoencoder {
  sequenceSettings(o); // checks the options now rather than at the first fit
  if (o.noise) noiseLayer(o.noise);
  const { outputActivation, ...options } = o;
  if (o.variational)
    return new SequenceVariationalAutoencoder({
      kind: 'sequence',
      options,
      outputActivation: outputActivation ?? 'linear',
    });
  return new Autoencoder({ kind: 'sequence', options, outputActivation: outputActivation ?? 'linear' }, (shape, out) =>
    sequenceNetwork(options, shape, out),
  );
}
