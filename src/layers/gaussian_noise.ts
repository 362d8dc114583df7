// gaussianNoise(stddev): adds N(0, stddev^2) noise in training only, as Keras `GaussianNoise`;
// the building block of denoising autoencoders.

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  constructor(readonly stddev: number, options: LayerOptions = {}) {
    super(options, 'gaussian_noise');
    if (!(stddev >= 0 && Number.isFinite(stddev))) throw new HourglassError(`gaussianNoise: stddev must be a non-negative number, got ${stddev}`);
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const n = size(ctx.outputShape);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const noise = ctx.alloc(ctx.maxBatch * n);
    return {
      forward: (batch, training) => {
        if (!training || this.stddev === 0) { k.copy(batch * n, x.ptr, y.ptr); return; }
        const v = noise.view();
        for (let i = 0; i < batch * n; i++) v[i] = ctx.random.normal();
        k.addScaled(batch * n, x.ptr, noise.ptr, this.stddev, y.ptr);
      },
      backward: (batch) => {
        if (dX && dY) k.addTo(batch * n, dY.ptr, dX.ptr, ctx.accumulateInputs[0] ? 1 : 0);
      },
    };
  }
  getOptions(): object { return { stddev: this.stddev }; }
}
