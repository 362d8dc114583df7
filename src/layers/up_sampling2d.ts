// upSampling2d({size, interpolation}): repeats pixels ('nearest') or interpolates them
// ('bilinear', half-pixel centres as Keras/TF2 and PyTorch with align_corners=false).

import { HourglassError } from '../engine/errors.js';
import { flag, kernelOp, perSample } from '../engine/operation.js';
import { imageShape, pair, type Pair } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export interface UpSampling2DOptions extends LayerOptions {
  size?: Pair;
  interpolation?: 'nearest' | 'bilinear';
}

export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  constructor(options: UpSampling2DOptions = {}) {
    super(options, 'up_sampling2d');
    this.size = pair(options.size ?? 2, 'size', `layer '${this.name}'`);
    this.interpolation = options.interpolation ?? 'nearest';
    if (this.interpolation !== 'nearest' && this.interpolation !== 'bilinear') {
      throw new HourglassError(
        `layer '${this.name}': interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(options.interpolation)}`,
      );
    }
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const [h, w, c] = imageShape(this.singleInput(shapes), `layer '${this.name}'`);
    return [h * this.size[0], w * this.size[1], c];
  }
  plan(ctx: PlanContext): LayerOps {
    const [h, w, c] = ctx.inputShapes[0] as [number, number, number];
    const kernel = this.interpolation === 'nearest' ? 'upsampleNearest' : 'upsampleBilinear';
    return planUpsampling(ctx, kernel, { h, w, c, fh: this.size[0], fw: this.size[1] });
  }
  getOptions(): object {
    return { size: this.size, interpolation: this.interpolation };
  }
}

/** Upsampling [h, w, c] by [fh, fw] (upSampling2d, and upSampling1d as height 1). */
export function planUpsampling(
  ctx: PlanContext,
  kernel: 'upsampleNearest' | 'upsampleBilinear',
  g: { h: number; w: number; c: number; fh: number; fw: number },
): LayerOps {
  const x = ctx.inputs[0]!,
    y = ctx.output,
    dX = ctx.dInputs[0],
    dY = ctx.dOutput;
  const inN = g.h * g.w * g.c,
    outN = inN * g.fh * g.fw;
  // x is always the small image and y the large one; backward sums into the small one.
  const dims = { b: { perSample: 1 }, ...g };
  return {
    forward: [kernelOp(kernel, { ...dims, x: perSample(x, inN), y: perSample(y, outN), backward: 0, accumulate: 0 })],
    backward:
      dX && dY
        ? [
            kernelOp(kernel, {
              ...dims,
              x: perSample(dX, inN),
              y: perSample(dY, outN),
              backward: 1,
              accumulate: flag(ctx.accumulateInputs[0]),
            }),
          ]
        : [],
  };
}
