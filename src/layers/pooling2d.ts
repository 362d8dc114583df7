// maxPooling2d and averagePooling2d: windows over height and width, per channel. Max pooling
// remembers each window's winner for the backward scatter; average pooling ignores padding cells.

import { flag, kernelOp, perSample } from '../engine/operation.js';
import { checkPadding, convAxis, imageShape, pair, type Padding, type Pair } from './conv_geometry.js';
import { Layer, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export interface Pooling2DOptions extends LayerOptions {
  poolSize?: Pair;
  strides?: Pair;
  padding?: Padding;
}

abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(options: Pooling2DOptions, base: string) {
    super(options, base);
    const where = `layer '${this.name}'`;
    this.poolSize = pair(options.poolSize ?? 2, 'poolSize', where);
    this.strides = pair(options.strides ?? this.poolSize, 'strides', where);
    this.padding = checkPadding(options.padding ?? 'valid', where);
  }

  protected geometry(shape: Shape) {
    const [h, w, c] = imageShape(shape, `layer '${this.name}'`);
    const where = `layer '${this.name}'`;
    const y = convAxis(h, this.poolSize[0], this.strides[0], 1, this.padding, where);
    const x = convAxis(w, this.poolSize[1], this.strides[1], 1, this.padding, where);
    return { h, w, c, oh: y.out, ow: x.out, pt: y.padBefore, pl: x.padBefore };
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const g = this.geometry(this.singleInput(shapes));
    return [g.oh, g.ow, g.c];
  }

  protected window(ctx: PlanContext): PoolWindow {
    const [ph, pw] = this.poolSize,
      [sh, sw] = this.strides;
    return { ...this.geometry(ctx.inputShapes[0]!), ph, pw, sh, sw };
  }

  getOptions(): object {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  constructor(options: Pooling2DOptions = {}) {
    super(options, 'max_pooling2d');
  }
  plan(ctx: PlanContext): LayerOps {
    return planMaxPooling(ctx, this.window(ctx));
  }
}

export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  constructor(options: Pooling2DOptions = {}) {
    super(options, 'average_pooling2d');
  }
  plan(ctx: PlanContext): LayerOps {
    return planAveragePooling(ctx, this.window(ctx));
  }
}

/** A pooling window over [h, w, c] inputs giving [oh, ow, c]. */
export interface PoolWindow {
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  ph: number;
  pw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
}

/** What both pooling plans start from: the buffers, the sizes per sample and the kernels' window. */
function poolingPlanParts(ctx: PlanContext, g: PoolWindow) {
  return {
    x: ctx.inputs[0]!,
    y: ctx.output,
    dX: ctx.dInputs[0],
    dY: ctx.dOutput,
    outN: size(ctx.outputShape),
    inN: size(ctx.inputShapes[0]!),
    window: { b: { perSample: 1 }, ...g },
  };
}

/** Max pooling (maxPooling2d, and maxPooling1d as height 1). */
export function planMaxPooling(ctx: PlanContext, g: PoolWindow): LayerOps {
  const { x, y, dX, dY, inN, outN, window } = poolingPlanParts(ctx, g);
  // Winner indices are int32 values stored in a float-sized buffer.
  const argmax = ctx.alloc(ctx.maxBatch * outN, `${ctx.name}.argmax`);
  return {
    forward: [
      kernelOp('maxPoolForward', {
        ...window,
        x: perSample(x, inN),
        y: perSample(y, outN),
        argmax: perSample(argmax, outN),
      }),
    ],
    backward:
      dX && dY
        ? [
            kernelOp('maxPoolBackward', {
              b: { perSample: 1 },
              outPerSample: outN,
              inPerSample: inN,
              dy: perSample(dY, outN),
              argmax: perSample(argmax, outN),
              dx: perSample(dX, inN),
              accumulate: flag(ctx.accumulateInputs[0]),
            }),
          ]
        : [],
  };
}

/** Average pooling over the cells inside the input (averagePooling2d, and averagePooling1d as height 1). */
export function planAveragePooling(ctx: PlanContext, g: PoolWindow): LayerOps {
  const { x, y, dX, dY, inN, outN, window } = poolingPlanParts(ctx, g);
  // Backward, the kernel reads the output gradient in x's slot and writes the input gradient in y's.
  return {
    forward: [
      kernelOp('avgPool', { ...window, x: perSample(x, inN), y: perSample(y, outN), backward: 0, accumulate: 0 }),
    ],
    backward:
      dX && dY
        ? [
            kernelOp('avgPool', {
              ...window,
              x: perSample(dY, outN),
              y: perSample(dX, inN),
              backward: 1,
              accumulate: flag(ctx.accumulateInputs[0]),
            }),
          ]
        : [],
  };
}
