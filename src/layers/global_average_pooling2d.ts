// globalAveragePooling2d(): the mean of each channel over height and width, [h, w, c] -> [c].

import { getEngine } from '../engine/kernels.js';
import { imageShape } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export class GlobalAveragePooling2D extends Layer {
  readonly className = 'GlobalAveragePooling2D';
  constructor(options: LayerOptions = {}) { super(options, 'global_average_pooling2d'); }
  computeOutputShape(shapes: Shape[]): Shape { return [imageShape(this.singleInput(shapes), `layer '${this.name}'`)[2]]; }
  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const [h, w, c] = ctx.inputShapes[0] as [number, number, number];
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    return {
      forward: (b) => k.globalAvgPool(b, h * w, c, x.ptr, y.ptr, 0, 0),
      backward: (b) => { if (dX && dY) k.globalAvgPool(b, h * w, c, dX.ptr, dY.ptr, 1, ctx.accumulateInputs[0] ? 1 : 0); },
    };
  }
  getOptions(): object { return {}; }
}
