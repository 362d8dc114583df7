// repeatVector(n): [batch, features] -> [batch, n, features], the bridge from a code vector to a
// sequence decoder. It is nearest-neighbour upsampling of a 1x1 image by (n, 1), so it reuses that
// kernel: forward copies, backward sums the n copies' gradients.

import { HourglassError } from '../engine/errors.js';
import { flag, kernelOp, perSample } from '../engine/operation.js';
import { Layer, formatShape, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';

  constructor(
    readonly n: number,
    options: LayerOptions = {},
  ) {
    super(options, 'repeat_vector');
    if (!Number.isInteger(n) || n <= 0)
      throw new HourglassError(`repeatVector: n must be a positive integer, got ${JSON.stringify(n)}`);
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const s = this.singleInput(shapes);
    if (s.length !== 1)
      throw new HourglassError(`layer '${this.name}' needs input of shape [batch, features], got ${formatShape(s)}`);
    return [this.n, s[0]!];
  }

  override repeatsAlongSteps(): boolean {
    return true;
  }

  plan(ctx: PlanContext): LayerOps {
    const c = ctx.inputShapes[0]![0]!;
    const dims = { b: { perSample: 1 }, h: 1, w: 1, c, fh: this.n, fw: 1 };
    const x = ctx.inputs[0]!,
      dX = ctx.dInputs[0],
      dY = ctx.dOutput;
    return {
      forward: [
        kernelOp('upsampleNearest', {
          ...dims,
          x: perSample(x, c),
          y: perSample(ctx.output, c * this.n),
          backward: 0,
          accumulate: 0,
        }),
      ],
      backward:
        dX && dY
          ? [
              kernelOp('upsampleNearest', {
                ...dims,
                x: perSample(dX, c),
                y: perSample(dY, c * this.n),
                backward: 1,
                accumulate: flag(ctx.accumulateInputs[0]),
              }),
            ]
          : [],
    };
  }

  getOptions(): object {
    return { n: this.n };
  }
}
