// maxPooling2d and averagePooling2d: windows over height and width, per channel. Max pooling
// remembers each window's winner for the backward scatter; average pooling ignores padding cells.

import { runBatchSplit } from '../engine/threads.js';
import { checkPadding, convAxis, imageShape, pair, type Padding, type Pair } from './conv_geometry.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export interface Pooling2DOptions extends LayerOptions { poolSize?: Pair; strides?: Pair; padding?: Padding }

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

  getOptions(): object { return { poolSize: this.poolSize, strides: this.strides, padding: this.padding }; }
}

export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  constructor(options: Pooling2DOptions = {}) { super(options, 'max_pooling2d'); }

  plan(ctx: PlanContext): LayerSteps {
    const g = this.geometry(ctx.inputShapes[0]!);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const outN = size(ctx.outputShape), inN = size(ctx.inputShapes[0]!);
    // Winner indices are int32 values stored in a float-sized buffer.
    const argmax = ctx.alloc(ctx.maxBatch * outN);
    const [ph, pw] = this.poolSize, [sh, sw] = this.strides;
    return {
      forward: (batch) => runBatchSplit('maxPoolForward', batch, (n0, n1) =>
        [n1 - n0, g.h, g.w, g.c, g.oh, g.ow, ph, pw, sh, sw, g.pt, g.pl, x.ptr + n0 * inN * 4, y.ptr + n0 * outN * 4, argmax.ptr + n0 * outN * 4]),
      backward: (batch) => {
        if (dX && dY) runBatchSplit('maxPoolBackward', batch, (n0, n1) =>
          [n1 - n0, outN, inN, dY.ptr + n0 * outN * 4, argmax.ptr + n0 * outN * 4, dX.ptr + n0 * inN * 4, ctx.accumulateInputs[0] ? 1 : 0]);
      },
    };
  }
}

export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  constructor(options: Pooling2DOptions = {}) { super(options, 'average_pooling2d'); }

  plan(ctx: PlanContext): LayerSteps {
    const g = this.geometry(ctx.inputShapes[0]!);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const outN = size(ctx.outputShape), inN = size(ctx.inputShapes[0]!);
    const [ph, pw] = this.poolSize, [sh, sw] = this.strides;
    const call = (from: number, fromN: number, to: number, toN: number, backward: number, acc: number) => (batch: number) =>
      runBatchSplit('avgPool', batch, (n0, n1) => [n1 - n0, g.h, g.w, g.c, g.oh, g.ow, ph, pw, sh, sw, g.pt, g.pl, from + n0 * fromN * 4, to + n0 * toN * 4, backward, acc]);
    return {
      forward: call(x.ptr, inN, y.ptr, outN, 0, 0),
      backward: (batch) => { if (dX && dY) call(dY.ptr, outN, dX.ptr, inN, 1, ctx.accumulateInputs[0] ? 1 : 0)(batch); },
    };
  }
}
