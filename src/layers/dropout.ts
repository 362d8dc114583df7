// dropout(rate): zeroes a fraction of values in training and scales the rest by 1/(1-rate)
// (inverted dropout, as Keras and PyTorch); the identity at inference.

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export class Dropout extends Layer {
  readonly className = 'Dropout';
  constructor(readonly rate: number, options: LayerOptions = {}) {
    super(options, 'dropout');
    if (!(rate >= 0 && rate < 1)) throw new HourglassError(`dropout: rate must be in [0, 1), got ${rate}`);
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const n = size(ctx.outputShape);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const mask = ctx.alloc(ctx.maxBatch * n);
    const keep = 1 / (1 - this.rate);
    return {
      forward: (batch, training) => {
        if (!training || this.rate === 0) { k.copy(batch * n, x.ptr, y.ptr); return; }
        const m = mask.view();
        for (let i = 0; i < batch * n; i++) m[i] = ctx.random.uniform() < this.rate ? 0 : keep;
        k.multiply(batch * n, x.ptr, mask.ptr, y.ptr, 0);
      },
      backward: (batch) => {
        if (!dX || !dY) return;
        if (this.rate === 0) k.addTo(batch * n, dY.ptr, dX.ptr, ctx.accumulateInputs[0] ? 1 : 0);
        else k.multiply(batch * n, dY.ptr, mask.ptr, dX.ptr, ctx.accumulateInputs[0] ? 1 : 0);
      },
    };
  }
  getOptions(): object { return { rate: this.rate }; }
}
