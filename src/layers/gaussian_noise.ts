// gaussianNoise(stddev): adds N(0, stddev^2) noise in training only, as Keras `GaussianNoise`;
// the building block of denoising autoencoders. With `clip: [lo, hi]` the noisy values are
// clipped to the data's range (images stay in [0, 1]); clipped values pass no gradient.

import { HourglassError } from '../engine/errors.js';
import { identityOps, noiseLayerBuffers } from './identity_ops.js';
import { hostOp, kernelOp, type Op } from '../engine/operation.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export interface GaussianNoiseOptions extends LayerOptions {
  clip?: [number, number];
}

export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  readonly clip: [number, number] | null;
  constructor(
    readonly stddev: number,
    options: GaussianNoiseOptions = {},
  ) {
    super(options, 'gaussian_noise');
    if (!(stddev >= 0 && Number.isFinite(stddev)))
      throw new HourglassError(`gaussianNoise: stddev must be a non-negative number, got ${stddev}`);
    const c = options.clip;
    if (
      c !== undefined &&
      !(Array.isArray(c) && c.length === 2 && Number.isFinite(c[0]) && Number.isFinite(c[1]) && c[0] < c[1])
    ) {
      throw new HourglassError(`gaussianNoise: clip must be [low, high] with low < high, got ${JSON.stringify(c)}`);
    }
    this.clip = c ? [c[0], c[1]] : null;
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }

  plan(ctx: PlanContext): LayerOps {
    // At inference (or without noise) the layer is the identity.
    const b = noiseLayerBuffers(ctx, this.stddev !== 0);
    if (!b) return identityOps(ctx);
    const { values, n, x, y, dX, dY, acc } = b;
    const noise = ctx.alloc(ctx.maxBatch * values, `${ctx.name}.noise`);
    const forward: Op[] = [
      hostOp(`${ctx.name}.draw noise`, { reads: [], writes: [noise] }, (batch) => {
        const v = noise.view();
        for (let i = 0; i < batch * values; i++) v[i] = ctx.random.normal();
      }),
      kernelOp('addScaled', { n, x, noise, scale: this.stddev, y }),
    ];
    if (!this.clip)
      return { forward, backward: dX && dY ? [kernelOp('addTo', { n, x: dY, y: dX, accumulate: acc })] : [] };
    const [lo, hi] = this.clip;
    // The noise buffer becomes the pass-through mask of the backward step: clipped values pass no gradient.
    forward.push(
      hostOp(`${ctx.name}.clip`, { reads: [y], writes: [y, noise] }, (batch) => {
        const yv = y.view(),
          v = noise.view();
        for (let i = 0; i < batch * values; i++) {
          const t = yv[i]!;
          v[i] = t > lo && t < hi ? 1 : 0;
          yv[i] = t < lo ? lo : t > hi ? hi : t;
        }
      }),
    );
    return {
      forward,
      backward: dX && dY ? [kernelOp('multiply', { n, x: dY, m: noise, y: dX, accumulate: acc })] : [],
    };
  }
  getOptions(): object {
    return { stddev: this.stddev, ...(this.clip ? { clip: this.clip } : {}) };
  }
}
