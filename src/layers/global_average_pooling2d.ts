// globalAveragePooling2d(): the mean of each channel over height and width, [h, w, c] -> [c].

import { flag, kernelOp, perSample } from '../engine/operation.js';
import { imageShape } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export class GlobalAveragePooling2D extends Layer {
  readonly className = 'GlobalAveragePooling2D';
  constructor(options: LayerOptions = {}) {
    super(options, 'global_average_pooling2d');
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return [imageShape(this.singleInput(shapes), `layer '${this.name}'`)[2]];
  }
  plan(ctx: PlanContext): LayerOps {
    const [h, w, c] = ctx.inputShapes[0] as [number, number, number];
    return planGlobalAveragePooling(ctx, h * w, c);
  }
  getOptions(): object {
    return {};
  }
}

/** The mean over `positions` cells of each of c channels (and its adjoint). */
export function planGlobalAveragePooling(ctx: PlanContext, positions: number, c: number): LayerOps {
  const x = ctx.inputs[0]!,
    y = ctx.output,
    dX = ctx.dInputs[0],
    dY = ctx.dOutput;
  const dims = { b: { perSample: 1 }, hw: positions, c };
  // Backward, x's slot is the input gradient (written) and y's the output gradient (read).
  return {
    forward: [
      kernelOp('globalAvgPool', {
        ...dims,
        x: perSample(x, positions * c),
        y: perSample(y, c),
        backward: 0,
        accumulate: 0,
      }),
    ],
    backward:
      dX && dY
        ? [
            kernelOp('globalAvgPool', {
              ...dims,
              x: perSample(dX, positions * c),
              y: perSample(dY, c),
              backward: 1,
              accumulate: flag(ctx.accumulateInputs[0]),
            }),
          ]
        : [],
  };
}
