// dropout(rate): zeroes a fraction of values in training and scales the rest by 1/(1-rate)
// (inverted dropout, as Keras and PyTorch); the identity at inference.

import { HourglassError } from '../engine/errors.js';
import { identityOps, noiseLayerBuffers } from './identity_ops.js';
import { hostOp, kernelOp } from '../engine/operation.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export class Dropout extends Layer {
  readonly className = 'Dropout';
  constructor(
    readonly rate: number,
    options: LayerOptions = {},
  ) {
    super(options, 'dropout');
    if (!(rate >= 0 && rate < 1)) throw new HourglassError(`dropout: rate must be in [0, 1), got ${rate}`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }

  plan(ctx: PlanContext): LayerOps {
    // At inference (or without noise) the layer is the identity.
    const b = noiseLayerBuffers(ctx, this.rate !== 0);
    if (!b) return identityOps(ctx);
    const { values, n, x, y, dX, dY, acc } = b;
    const mask = ctx.alloc(ctx.maxBatch * values, `${ctx.name}.mask`);
    const keep = 1 / (1 - this.rate),
      rate = this.rate;
    const draw = hostOp(`${ctx.name}.draw mask`, { reads: [], writes: [mask] }, (batch) => {
      const m = mask.view();
      for (let i = 0; i < batch * values; i++) m[i] = ctx.random.uniform() < rate ? 0 : keep;
    });
    return {
      forward: [draw, kernelOp('multiply', { n, x, m: mask, y, accumulate: 0 })],
      backward: dX && dY ? [kernelOp('multiply', { n, x: dY, m: mask, y: dX, accumulate: acc })] : [],
    };
  }
  getOptions(): object {
    return { rate: this.rate };
  }
}
