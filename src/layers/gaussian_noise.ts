// gaussianNoise(stddev): adds N(0, stddev^2) noise in training only, as Keras `GaussianNoise`;
// the building block of denoising autoencoders. With `clip: [lo, hi]` the noisy values are
// clipped to the data's range (images stay in [0, 1]); clipped values pass no gradient.

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export interface GaussianNoiseOptions extends LayerOptions { clip?: [number, number] }

export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  readonly clip: [number, number] | null;
  constructor(readonly stddev: number, options: GaussianNoiseOptions = {}) {
    super(options, 'gaussian_noise');
    if (!(stddev >= 0 && Number.isFinite(stddev))) throw new HourglassError(`gaussianNoise: stddev must be a non-negative number, got ${stddev}`);
    const c = options.clip;
    if (c !== undefined && !(Array.isArray(c) && c.length === 2 && Number.isFinite(c[0]) && Number.isFinite(c[1]) && c[0] < c[1])) {
      throw new HourglassError(`gaussianNoise: clip must be [low, high] with low < high, got ${JSON.stringify(c)}`);
    }
    this.clip = c ? [c[0], c[1]] : null;
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const n = size(ctx.outputShape);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const noise = ctx.alloc(ctx.maxBatch * n);
    let clippedThisBatch = false;
    return {
      forward: (batch, training) => {
        clippedThisBatch = false;
        if (!training || this.stddev === 0) { k.copy(batch * n, x.ptr, y.ptr); return; }
        const v = noise.view();
        for (let i = 0; i < batch * n; i++) v[i] = ctx.random.normal();
        k.addScaled(batch * n, x.ptr, noise.ptr, this.stddev, y.ptr);
        if (this.clip) {
          // The noise buffer becomes the pass-through mask of the backward step.
          const yv = y.view(), [lo, hi] = this.clip;
          for (let i = 0; i < batch * n; i++) {
            const t = yv[i]!;
            v[i] = t > lo && t < hi ? 1 : 0;
            yv[i] = t < lo ? lo : t > hi ? hi : t;
          }
          clippedThisBatch = true;
        }
      },
      backward: (batch) => {
        if (!dX || !dY) return;
        const add = ctx.accumulateInputs[0] ? 1 : 0;
        if (clippedThisBatch) k.multiply(batch * n, dY.ptr, noise.ptr, dX.ptr, add);
        else k.addTo(batch * n, dY.ptr, dX.ptr, add);
      },
    };
  }
  getOptions(): object { return { stddev: this.stddev, ...(this.clip ? { clip: this.clip } : {}) }; }
}
