// sampling(): the variational autoencoder's code. Given [mean, logVar] it draws
// z = mean + exp(logVar / 2) * eps with eps ~ N(0, 1) in training (the reparameterization trick, so
// gradients reach both inputs) and passes the mean through at inference. It adds
// klWeight * KL(N(mean, exp(logVar)) || N(0, 1)), averaged over the batch, to the loss.

import { HourglassError } from '../engine/errors.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export interface SamplingOptions extends LayerOptions {
  /** Weight of the KL term relative to the model's loss (the VAE sets beta / values per example). */
  klWeight?: number;
}

export class Sampling extends Layer {
  readonly className = 'Sampling';
  readonly klWeight: number;

  constructor(options: SamplingOptions = {}) {
    super(options, 'sampling');
    this.klWeight = options.klWeight ?? 1;
    if (!(this.klWeight >= 0 && Number.isFinite(this.klWeight))) throw new HourglassError(`sampling: klWeight must be a non-negative number, got ${this.klWeight}`);
  }

  computeOutputShape(shapes: Shape[]): Shape {
    if (shapes.length !== 2 || JSON.stringify(shapes[0]) !== JSON.stringify(shapes[1])) {
      throw new HourglassError(`layer '${this.name}' takes [mean, logVar] of the same shape, got ${JSON.stringify(shapes)}`);
    }
    return shapes[0]!;
  }

  override hasPenalty(): boolean { return this.klWeight > 0; }

  plan(ctx: PlanContext): LayerSteps {
    const d = size(ctx.outputShape);
    const [mean, logVar] = ctx.inputs as [typeof ctx.output, typeof ctx.output];
    const [dMean, dLogVar] = ctx.dInputs;
    const z = ctx.output, dZ = ctx.dOutput;
    const eps = ctx.alloc(ctx.maxBatch * d);
    const w = this.klWeight;
    return {
      forward: (batch, training) => {
        const mu = mean.view(), lv = logVar.view(), out = z.view(), e = eps.view();
        const n = batch * d;
        if (!training) { out.set(mu.subarray(0, n)); return; }
        for (let i = 0; i < n; i++) {
          const noise = ctx.random.normal();
          e[i] = noise;
          out[i] = mu[i]! + Math.exp(0.5 * lv[i]!) * noise;
        }
      },
      penalty: (batch) => {
        if (w === 0) return 0;
        const mu = mean.view(), lv = logVar.view();
        let kl = 0;
        for (let i = 0; i < batch * d; i++) kl += Math.exp(lv[i]!) + mu[i]! * mu[i]! - 1 - lv[i]!;
        return (w * 0.5 * kl) / batch;
      },
      backward: (batch) => {
        const n = batch * d;
        const mu = mean.view(), lv = logVar.view(), e = eps.view();
        const g = dZ ? dZ.view() : null;
        const s = w / batch;
        if (dMean) {
          const out = dMean.view(), add = ctx.accumulateInputs[0];
          for (let i = 0; i < n; i++) { const v = (g ? g[i]! : 0) + s * mu[i]!; out[i] = add ? out[i]! + v : v; }
        }
        if (dLogVar) {
          const out = dLogVar.view(), add = ctx.accumulateInputs[1];
          for (let i = 0; i < n; i++) {
            const sd = Math.exp(0.5 * lv[i]!);
            const v = (g ? g[i]! * 0.5 * sd * e[i]! : 0) + s * 0.5 * (sd * sd - 1);
            out[i] = add ? out[i]! + v : v;
          }
        }
      },
    };
  }

  getOptions(): object { return { klWeight: this.klWeight }; }
}
