// upSampling2d({size, interpolation}): repeats pixels ('nearest') or interpolates them
// ('bilinear', half-pixel centres as Keras/TF2 and PyTorch with align_corners=false).

import { HourglassError } from '../engine/errors.js';
import { runBatchSplit } from '../engine/threads.js';
import { imageShape, pair, type Pair } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export interface UpSampling2DOptions extends LayerOptions { size?: Pair; interpolation?: 'nearest' | 'bilinear' }

export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  constructor(options: UpSampling2DOptions = {}) {
    super(options, 'up_sampling2d');
    this.size = pair(options.size ?? 2, 'size', `layer '${this.name}'`);
    this.interpolation = options.interpolation ?? 'nearest';
    if (this.interpolation !== 'nearest' && this.interpolation !== 'bilinear') {
      throw new HourglassError(`layer '${this.name}': interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(options.interpolation)}`);
    }
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const [h, w, c] = imageShape(this.singleInput(shapes), `layer '${this.name}'`);
    return [h * this.size[0], w * this.size[1], c];
  }
  plan(ctx: PlanContext): LayerSteps {
    const [h, w, c] = ctx.inputShapes[0] as [number, number, number];
    const [fh, fw] = this.size;
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const kernel = this.interpolation === 'nearest' ? 'upsampleNearest' : 'upsampleBilinear';
    const inN = h * w * c, outN = inN * fh * fw;
    const run = (small: number, large: number, backward: number, acc: number) => (batch: number) =>
      runBatchSplit(kernel, batch, (n0, n1) => [n1 - n0, h, w, c, fh, fw, small + n0 * inN * 4, large + n0 * outN * 4, backward, acc]);
    return {
      forward: run(x.ptr, y.ptr, 0, 0),
      backward: (batch) => { if (dX && dY) run(dX.ptr, dY.ptr, 1, ctx.accumulateInputs[0] ? 1 : 0)(batch); },
    };
  }
  getOptions(): object { return { size: this.size, interpolation: this.interpolation }; }
}
