// globalAveragePooling1d(): the mean of each feature over the steps, [steps, features] -> [features].

import { planGlobalAveragePooling } from './global_average_pooling2d.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';
import { sequenceShape } from './sequence_geometry.js';

export class GlobalAveragePooling1D extends Layer {
  readonly className = 'GlobalAveragePooling1D';
  constructor(options: LayerOptions = {}) {
    super(options, 'global_average_pooling1d');
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return [sequenceShape(this.singleInput(shapes), `layer '${this.name}'`)[1]];
  }
  plan(ctx: PlanContext): LayerOps {
    const [steps, c] = ctx.inputShapes[0] as [number, number];
    return planGlobalAveragePooling(ctx, steps, c);
  }
  getOptions(): object {
    return {};
  }
}
