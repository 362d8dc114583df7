// maxPooling1d and averagePooling1d({poolSize, strides, padding}): windows along the steps of
// [batch, steps, features], per feature. They run as the 2-D pooling kernels over [1, steps]
// images (the same buffer). Keras defaults: poolSize 2, strides = poolSize, 'valid'.

import { checkPadding, type Padding } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';
import { planAveragePooling, planMaxPooling, type PoolWindow } from './pooling2d.js';
import { sequenceAxis, sequenceShape, single, type Single } from './sequence_geometry.js';

export interface Pooling1DOptions extends LayerOptions {
  poolSize?: Single;
  strides?: Single;
  padding?: Padding;
}

abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;

  constructor(options: Pooling1DOptions, base: string) {
    super(options, base);
    const where = `layer '${this.name}'`;
    this.poolSize = single(options.poolSize ?? 2, 'poolSize', where);
    this.strides = single(options.strides ?? this.poolSize, 'strides', where);
    this.padding = checkPadding(options.padding ?? 'valid', where);
  }

  protected window(shape: Shape): PoolWindow {
    const where = `layer '${this.name}'`;
    const [steps, c] = sequenceShape(shape, where);
    const a = sequenceAxis(steps, this.poolSize, this.strides, 1, this.padding, where);
    return {
      h: 1,
      w: steps,
      c,
      oh: 1,
      ow: a.out,
      ph: 1,
      pw: this.poolSize,
      sh: 1,
      sw: this.strides,
      pt: 0,
      pl: a.padBefore,
    };
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const g = this.window(this.singleInput(shapes));
    return [g.ow, g.c];
  }

  getOptions(): object {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';
  constructor(options: Pooling1DOptions = {}) {
    super(options, 'max_pooling1d');
  }
  plan(ctx: PlanContext): LayerOps {
    return planMaxPooling(ctx, this.window(ctx.inputShapes[0]!));
  }
}

export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';
  constructor(options: Pooling1DOptions = {}) {
    super(options, 'average_pooling1d');
  }
  plan(ctx: PlanContext): LayerOps {
    return planAveragePooling(ctx, this.window(ctx.inputShapes[0]!));
  }
}
