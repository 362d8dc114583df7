// Variational autoencoders (Kingma & Welling 2014): the encoder gives a Gaussian over codes
// (mean and log-variance), the sampling layer draws a code by reparameterization and adds the KL
// divergence to N(0, I), and the decoder's output is a Bernoulli (sigmoid) or Gaussian (linear,
// fixed sigma) likelihood. The training loss is the negative ELBO divided by the number of values
// per row (so it reads like the other losses); elbo() reports it in nats per example.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import { toTensor, type Tensor, type TensorLike } from '../engine/tensor.js';
import type { ActivationSpec } from '../layers/activations.js';
import { Dense } from '../layers/dense.js';
import { input } from '../layers/input.js';
import { size, type Shape, type SymbolicTensor } from '../layers/layer.js';
import { Sampling } from '../layers/sampling.js';
import type { History } from '../model/fit.js';
import type { Dataset } from '../data/dataset.js';
import type { TrainBatch } from '../model/fit_dataset.js';
import { model, type Model } from '../model/model.js';
import {
  Autoencoder,
  type AutoencoderDatasetFitOptions,
  type AutoencoderFitOptions,
  type AutoencoderSettings,
  type Network,
  type OutputActivation,
} from './autoencoder.js';
import { VARIATIONAL_DEFAULTS, variationalSizes } from './defaults.js';

export interface VariationalOptions {
  /** Encoder hidden sizes (default: twice the input, at most VARIATIONAL_DEFAULTS.hidden, [400]); the decoder mirrors them. */
  hidden?: number[];
  /** Code size (default: a quarter of the input, 2 to VARIATIONAL_DEFAULTS.latent, 20). */
  latent?: number;
  activation?: ActivationSpec;
  /** Weight of the KL term (beta-VAE; default VARIATIONAL_DEFAULTS.beta, 1). */
  beta?: number;
  /** bernoulli (sigmoid output, data in [0, 1]) or gaussian (linear output); default from the data. */
  likelihood?: 'bernoulli' | 'gaussian' | 'auto';
  /** Standard deviation of the Gaussian likelihood (default 1). */
  sigma?: number;
}

export const MEAN_LAYER = 'code_mean',
  LOG_VAR_LAYER = 'code_log_var',
  SAMPLE_LAYER = 'code';

/**
 * The variational code of any encoder: dense mean and log-variance heads on the encoder's flat
 * output and the sampling layer (reparameterization, KL term weighted by klWeight). The dense and
 * the sequence VAEs share it, so posterior(), elbo(), sample() and interpolate() find the same layers.
 */
export function gaussianCode(h: SymbolicTensor, latent: number, klWeight: number): SymbolicTensor {
  const mean = new Dense(latent, { name: MEAN_LAYER }).apply(h);
  const logVar = new Dense(latent, { name: LOG_VAR_LAYER }).apply(h);
  return new Sampling({ klWeight, name: SAMPLE_LAYER }).apply([mean, logVar]);
}

export interface Elbo {
  /** Negative ELBO in nats per example (reconstruction + KL). */
  negativeElbo: number;
  reconstruction: number;
  kl: number;
}

export class VariationalAutoencoder extends Autoencoder {
  private logVarModel: Model | null = null;
  constructor(settings: AutoencoderSettings) {
    super(settings, (shape, out) => this.buildNetwork(shape, out));
    const o = this.vaeOptions();
    if (!(o.beta >= 0 && Number.isFinite(o.beta)))
      throw new HourglassError(`variational autoencoder: beta must be a non-negative number, got ${o.beta}`);
    if (!(o.sigma > 0 && Number.isFinite(o.sigma)))
      throw new HourglassError(`variational autoencoder: sigma must be a positive number, got ${o.sigma}`);
  }

  /** The options with defaults filled in; sizes left out are chosen from the input width. */
  private vaeOptions(inputs?: number) {
    const o = this.options as VariationalOptions;
    const d = VARIATIONAL_DEFAULTS;
    const sized = inputs === undefined ? d : variationalSizes(inputs);
    return {
      hidden: o.hidden ?? sized.hidden,
      latent: o.latent ?? sized.latent,
      activation: o.activation ?? d.activation,
      beta: o.beta ?? d.beta,
      sigma: o.sigma ?? d.sigma,
    };
  }

  /** Values per row over the loss's scale: multiplies a per-value loss into nats per example. */
  private natsPerLossUnit(values: number): number {
    return this.outputActivation === 'sigmoid' ? values : values / (2 * this.vaeOptions().sigma ** 2);
  }

  /**
   * The sampling layer's KL weight for rows of `values` values: the loss is per value, so the KL
   * term is scaled the same way (beta / natsPerLossUnit) and loss x natsPerLossUnit is the negative ELBO.
   */
  protected klWeight(values: number): number {
    return this.vaeOptions().beta / this.natsPerLossUnit(values);
  }

  /** The dense VAE's network; the sequence VAE builds its own around the same gaussianCode. */
  protected buildNetwork(inputShape: Shape, out: OutputActivation): Network {
    const d = size(inputShape);
    const o = this.vaeOptions(d);
    const x = input([d], { name: 'input' });
    let h: SymbolicTensor = x;
    o.hidden.forEach((units, i) => {
      h = new Dense(units, { activation: o.activation, name: `encoder_${i + 1}` }).apply(h);
    });
    let t: SymbolicTensor = gaussianCode(h, o.latent, this.klWeight(d));
    [...o.hidden].reverse().forEach((units, i) => {
      t = new Dense(units, { activation: o.activation, name: `decoder_${i + 1}` }).apply(t);
    });
    const y = new Dense(d, { activation: out, name: 'reconstruction' }).apply(t);
    return {
      model: model({ inputs: x, outputs: y, name: 'variational_autoencoder' }),
      encodeLayer: MEAN_LAYER,
      codeLayer: SAMPLE_LAYER,
    };
  }

  override async fit(
    x: TensorLike | Dataset<TrainBatch>,
    options: AutoencoderFitOptions & { inputShape?: Shape } = {},
  ): Promise<History> {
    this.checkLoss(options.loss);
    return super.fit(x, options);
  }

  override async fitDataset(ds: Dataset<TrainBatch>, options: AutoencoderDatasetFitOptions = {}): Promise<History> {
    this.checkLoss(options.loss);
    return super.fitDataset(ds, options);
  }

  private checkLoss(loss: string | undefined): void {
    if (loss !== undefined && loss !== 'auto')
      throw new HourglassError(
        "a variational autoencoder's loss follows its likelihood (bernoulli or gaussian); leave the loss on auto",
      );
  }

  /** An explicit likelihood fixes the output; auto follows the data's range. */
  protected override outputFor(unit: boolean, what: string): OutputActivation {
    const likelihood = (this.options as VariationalOptions).likelihood ?? 'auto';
    if (likelihood === 'auto') return super.outputFor(unit, what);
    if (likelihood === 'bernoulli' && !unit)
      throw new HourglassError(
        `a Bernoulli likelihood needs data in [0, 1]; ${what} values outside it (use likelihood: 'gaussian')`,
      );
    return likelihood === 'bernoulli' ? 'sigmoid' : 'linear';
  }

  protected override finishFit(history: History): History {
    // The loss per value, in nats per example (a Gaussian likelihood adds its constant).
    const d = size(this.model.input.shape);
    history.history['negative_elbo'] = (history.history['loss'] ?? []).map(
      (l) => l * this.natsPerLossUnit(d) + this.gaussianConstant(d),
    );
    // The saved history gets it too, epoch by epoch.
    const run = this.model.trainingHistory.runs.at(-1);
    run?.epochs.forEach((e, i) => {
      e.logs['negative_elbo'] = history.history['negative_elbo']![i]!;
    });
    return history;
  }

  private gaussianConstant(d: number): number {
    return this.outputActivation === 'sigmoid' ? 0 : 0.5 * d * Math.log(2 * Math.PI * this.vaeOptions().sigma ** 2);
  }

  /** Means and log-variances of the codes of the rows. */
  posterior(x: TensorLike): { mean: Tensor; logVar: Tensor } {
    // The mean is what encode() returns; the log-variance sub-model is kept like the encoder, so
    // repeated calls reuse its planned buffers.
    const m = this.model;
    this.logVarModel ??= model({
      inputs: m.input,
      outputs: m.graph.nodes.find((n) => n.layer.name === LOG_VAR_LAYER)!,
    });
    return { mean: this.encoder().predict(x), logVar: this.logVarModel.predict(x) };
  }

  /** The log-variance sub-model is one more network to free. */
  protected override releaseSubModels(): Model[] {
    const own = this.logVarModel;
    this.logVarModel = null;
    return [...super.releaseSubModels(), ...(own ? [own] : [])];
  }

  /**
   * The negative evidence lower bound in nats per example, estimated with `samples` codes drawn
   * per row (seeded): reconstruction negative log-likelihood plus KL divergence.
   */
  elbo(x: TensorLike, options: { samples?: number; seed?: number } = {}): Elbo {
    const data = toTensor(x, 'elbo input');
    const rows = data.shape[0]!,
      d = data.data.length / rows;
    const { mean, logVar } = this.posterior(data);
    const k = mean.data.length / rows;
    let kl = 0;
    for (let i = 0; i < mean.data.length; i++)
      kl += 0.5 * (Math.exp(logVar.data[i]!) + mean.data[i]! ** 2 - 1 - logVar.data[i]!);
    const rng = new Random(options.seed ?? 0);
    const samples = options.samples ?? 1;
    let nll = 0;
    for (let s = 0; s < samples; s++) {
      const z = new Float32Array(mean.data.length);
      for (let i = 0; i < z.length; i++) z[i] = mean.data[i]! + Math.exp(0.5 * logVar.data[i]!) * rng.normal();
      const y = this.decode({ data: z, shape: [rows, k] }).data;
      nll += this.negativeLogLikelihood(data.data, y, d);
    }
    const reconstruction = nll / samples / rows;
    return { negativeElbo: reconstruction + kl / rows, reconstruction, kl: kl / rows };
  }

  private negativeLogLikelihood(x: Float32Array, y: Float32Array, d: number): number {
    let s = 0;
    if (this.outputActivation === 'sigmoid') {
      // Clamped as the binary cross-entropy loss is, so a saturated output stays finite.
      const lo = 1e-7,
        hi = 1 - 1e-7;
      for (let i = 0; i < x.length; i++) {
        const p = Math.min(hi, Math.max(lo, y[i]!));
        s -= x[i]! * Math.log(p) + (1 - x[i]!) * Math.log(1 - p);
      }
      return s;
    }
    const s2 = this.vaeOptions().sigma ** 2;
    for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2 / (2 * s2);
    return s + (x.length / d) * this.gaussianConstant(d);
  }

  /** n new rows decoded from codes drawn from the prior N(0, I) (seeded). */
  sample(n: number, options: { seed?: number } = {}): Tensor {
    if (!(Number.isInteger(n) && n > 0)) throw new HourglassError(`sample: n must be a positive integer, got ${n}`);
    const k = size(this.decoder().input.shape);
    const rng = new Random(options.seed ?? 0);
    const z = new Float32Array(n * k);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    return this.decode({ data: z, shape: [n, k] });
  }

  /** Rows decoded along the straight line between the codes (means) of rows a and b, ends included. */
  interpolate(a: TensorLike, b: TensorLike, steps = 8): Tensor {
    if (!(Number.isInteger(steps) && steps >= 2))
      throw new HourglassError(`interpolate: steps must be an integer of at least 2, got ${steps}`);
    const za = this.encode(a).data,
      zb = this.encode(b).data;
    if (za.length !== zb.length || za.length !== size(this.decoder().input.shape))
      throw new HourglassError('interpolate: give one row for each end');
    const k = za.length;
    const z = new Float32Array(steps * k);
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < k; j++) z[s * k + j] = (1 - t) * za[j]! + t * zb[j]!;
    }
    return this.decode({ data: z, shape: [steps, k] });
  }
}

export function variationalAutoencoder(o: VariationalOptions = {}): VariationalAutoencoder {
  return new VariationalAutoencoder({ kind: 'variational', options: o });
}
