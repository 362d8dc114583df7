// zeroPadding2d and cropping2d: add zero rows/columns around images, or cut them off.
// Amounts as Keras: n, [rows, cols], or [[top, bottom], [left, right]].

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { imageShape } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export type Amounts = number | [number, number] | [[number, number], [number, number]];
type Sides = [[number, number], [number, number]];

function sides(a: Amounts, where: string): Sides {
  const s: Sides = typeof a === 'number' ? [[a, a], [a, a]]
    : typeof a[0] === 'number' ? [[a[0], a[0]], [a[1] as number, a[1] as number]] : (a as Sides);
  if (s.flat().some((v) => !Number.isInteger(v) || v < 0)) throw new HourglassError(`${where}: amounts must be non-negative integers, got ${JSON.stringify(a)}`);
  return s;
}

abstract class Window2D extends Layer {
  readonly sides: Sides;
  protected abstract readonly grows: boolean;
  constructor(amounts: Amounts, options: LayerOptions, base: string) {
    super(options, base);
    this.sides = sides(amounts, `layer '${this.name}'`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const [h, w, c] = imageShape(this.singleInput(shapes), `layer '${this.name}'`);
    const dh = this.sides[0][0] + this.sides[0][1], dw = this.sides[1][0] + this.sides[1][1];
    const out = this.grows ? [h + dh, w + dw, c] : [h - dh, w - dw, c];
    if (out[0]! <= 0 || out[1]! <= 0) throw new HourglassError(`layer '${this.name}' crops [${h}, ${w}] to nothing`);
    return out;
  }
  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const [ih, iw, c] = ctx.inputShapes[0] as [number, number, number];
    const [oh, ow] = ctx.outputShape as [number, number, number];
    const [top, left] = [this.sides[0][0], this.sides[1][0]];
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    // The small image sits inside the large one at (top, left).
    const [sh, sw, lh, lw] = this.grows ? [ih, iw, oh, ow] : [oh, ow, ih, iw];
    const acc = () => (ctx.accumulateInputs[0] ? 1 : 0);
    return this.grows
      ? { forward: (b) => k.window2d(b, sh, sw, lh, lw, c, top, left, x.ptr, y.ptr, 1, 0),
          backward: (b) => { if (dX && dY) k.window2d(b, sh, sw, lh, lw, c, top, left, dX.ptr, dY.ptr, 0, acc()); } }
      : { forward: (b) => k.window2d(b, sh, sw, lh, lw, c, top, left, y.ptr, x.ptr, 0, 0),
          backward: (b) => { if (dX && dY) k.window2d(b, sh, sw, lh, lw, c, top, left, dY.ptr, dX.ptr, 1, acc()); } };
  }
  getOptions(): object { return { amounts: this.sides }; }
}

export class ZeroPadding2D extends Window2D {
  readonly className = 'ZeroPadding2D';
  protected readonly grows = true;
  constructor(padding: Amounts = 1, options: LayerOptions = {}) { super(padding, options, 'zero_padding2d'); }
}

export class Cropping2D extends Window2D {
  readonly className = 'Cropping2D';
  protected readonly grows = false;
  constructor(cropping: Amounts = 0, options: LayerOptions = {}) { super(cropping, options, 'cropping2d'); }
}
