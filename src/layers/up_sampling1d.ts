// upSampling1d({size}): repeats each step `size` times along the steps of [batch, steps,
// features], as Keras UpSampling1D; the nearest-neighbour 2-D kernel over [1, steps] images.

import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';
import { sequenceShape, single, type Single } from './sequence_geometry.js';
import { planUpsampling } from './up_sampling2d.js';

export interface UpSampling1DOptions extends LayerOptions {
  size?: Single;
}

export class UpSampling1D extends Layer {
  readonly className = 'UpSampling1D';
  readonly size: number;
  constructor(options: UpSampling1DOptions = {}) {
    super(options, 'up_sampling1d');
    this.size = single(options.size ?? 2, 'size', `layer '${this.name}'`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const [steps, c] = sequenceShape(this.singleInput(shapes), `layer '${this.name}'`);
    return [steps * this.size, c];
  }
  plan(ctx: PlanContext): LayerOps {
    const [steps, c] = ctx.inputShapes[0] as [number, number];
    return planUpsampling(ctx, 'upsampleNearest', { h: 1, w: steps, c, fh: 1, fw: this.size });
  }
  getOptions(): object {
    return { size: this.size };
  }
}
