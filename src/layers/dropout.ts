// dropout(rate): zeroes a fraction of values in training and scales the rest by 1/(1-rate)
// (inverted dropout, as Keras and PyTorch); the identity at inference.

import { HourglassError } from '../engine/errors.js';
import { identityOps } from './identity_ops.js';
import { flag, hostOp, kernelOp } from '../engine/operation.js';
import { Layer, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

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
    const values = size(ctx.outputShape),
      n = { perSample: values };
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0],
      dY = ctx.dOutput;
    const acc = flag(ctx.accumulateInputs[0]);
    // At inference (or without noise) the layer is the identity.
    if (ctx.mode === 'infer' || this.rate === 0) return identityOps(ctx);
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
