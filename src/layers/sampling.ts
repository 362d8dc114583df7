// sampling(): the variational autoencoder's code. Given [mean, logVar] it draws
// z = mean + exp(logVar / 2) * eps with eps ~ N(0, 1) in training (the reparameterization trick, so
// gradients reach both inputs) and passes the mean through at inference. It adds
// klWeight * KL(N(mean, exp(logVar)) || N(0, 1)), averaged over the batch, to the loss.

import { HourglassError } from '../engine/errors.js';
import type { Buf } from '../engine/memory.js';
import { hostOp, kernelOp } from '../engine/operation.js';
import { Layer, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

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
    if (!(this.klWeight >= 0 && Number.isFinite(this.klWeight)))
      throw new HourglassError(`sampling: klWeight must be a non-negative number, got ${this.klWeight}`);
  }

  computeOutputShape(shapes: Shape[]): Shape {
    if (shapes.length !== 2 || JSON.stringify(shapes[0]) !== JSON.stringify(shapes[1])) {
      throw new HourglassError(
        `layer '${this.name}' takes [mean, logVar] of the same shape, got ${JSON.stringify(shapes)}`,
      );
    }
    return shapes[0]!;
  }

  override hasPenalty(): boolean {
    return this.klWeight > 0;
  }

  plan(ctx: PlanContext): LayerOps {
    const d = size(ctx.outputShape);
    const [mean, logVar] = ctx.inputs as [typeof ctx.output, typeof ctx.output];
    const [dMean, dLogVar] = ctx.dInputs;
    const z = ctx.output,
      dZ = ctx.dOutput;
    const w = this.klWeight;
    const penalty =
      w === 0
        ? []
        : [
            hostOp(
              `${ctx.name}.KL divergence`,
              { reads: [mean, logVar], writes: [] },
              (batch) => {
                const mu = mean.view(),
                  lv = logVar.view();
                let kl = 0;
                for (let i = 0; i < batch * d; i++) kl += Math.exp(lv[i]!) + mu[i]! * mu[i]! - 1 - lv[i]!;
                return (w * 0.5 * kl) / batch;
              },
              { lossTerm: true },
            ),
          ];
    if (ctx.mode === 'infer')
      return { forward: [kernelOp('copy', { n: { perSample: d }, src: mean, dst: z })], backward: [], penalty };
    const eps = ctx.alloc(ctx.maxBatch * d, `${ctx.name}.eps`);
    const draw = hostOp(`${ctx.name}.reparameterize`, { reads: [mean, logVar], writes: [eps, z] }, (batch) => {
      const mu = mean.view(),
        lv = logVar.view(),
        out = z.view(),
        e = eps.view();
      for (let i = 0; i < batch * d; i++) {
        const noise = ctx.random.normal();
        e[i] = noise;
        out[i] = mu[i]! + Math.exp(0.5 * lv[i]!) * noise;
      }
    });
    const backward = hostOp(
      `${ctx.name}.gradient`,
      { reads: [mean, logVar, eps, ...(dZ ? [dZ] : [])], writes: [dMean, dLogVar].filter((b): b is Buf => !!b) },
      (batch) => {
        const n = batch * d;
        const mu = mean.view(),
          lv = logVar.view(),
          e = eps.view();
        const g = dZ ? dZ.view() : null;
        const s = w / batch;
        if (dMean) {
          const out = dMean.view(),
            add = ctx.accumulateInputs[0];
          for (let i = 0; i < n; i++) {
            const v = (g ? g[i]! : 0) + s * mu[i]!;
            out[i] = add ? out[i]! + v : v;
          }
        }
        if (dLogVar) {
          const out = dLogVar.view(),
            add = ctx.accumulateInputs[1];
          for (let i = 0; i < n; i++) {
            const sd = Math.exp(0.5 * lv[i]!);
            const v = (g ? g[i]! * 0.5 * sd * e[i]! : 0) + s * 0.5 * (sd * sd - 1);
            out[i] = add ? out[i]! + v : v;
          }
        }
      },
    );
    return { forward: [draw], backward: dMean || dLogVar ? [backward] : [], penalty };
  }
  getOptions(): object {
    return { klWeight: this.klWeight };
  }
}
