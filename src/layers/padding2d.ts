// zeroPadding2d and cropping2d: add zero rows/columns around images, or cut them off.
// Amounts as Keras: n, [rows, cols], or [[top, bottom], [left, right]].

import { HourglassError } from '../engine/errors.js';
import type { Buf } from '../engine/memory.js';
import { flag, kernelOp, perSample } from '../engine/operation.js';
import { imageShape } from './conv_geometry.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export type Amounts = number | [number, number] | [[number, number], [number, number]];
type Sides = [[number, number], [number, number]];

function sides(a: Amounts, where: string): Sides {
  const s: Sides =
    typeof a === 'number'
      ? [
          [a, a],
          [a, a],
        ]
      : typeof a[0] === 'number'
        ? [
            [a[0], a[0]],
            [a[1] as number, a[1] as number],
          ]
        : (a as Sides);
  if (s.flat().some((v) => !Number.isInteger(v) || v < 0))
    throw new HourglassError(`${where}: amounts must be non-negative integers, got ${JSON.stringify(a)}`);
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
    const dh = this.sides[0][0] + this.sides[0][1],
      dw = this.sides[1][0] + this.sides[1][1];
    const out = this.grows ? [h + dh, w + dw, c] : [h - dh, w - dw, c];
    if (out[0]! <= 0 || out[1]! <= 0) throw new HourglassError(`layer '${this.name}' crops [${h}, ${w}] to nothing`);
    return out;
  }
  plan(ctx: PlanContext): LayerOps {
    const [ih, iw, c] = ctx.inputShapes[0] as [number, number, number];
    const [oh, ow] = ctx.outputShape as [number, number, number];
    const [top, left] = [this.sides[0][0], this.sides[1][0]];
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0],
      dY = ctx.dOutput;
    // The small image sits inside the large one at (top, left).
    const [sh, sw, lh, lw] = this.grows ? [ih, iw, oh, ow] : [oh, ow, ih, iw];
    const dims = { b: { perSample: 1 }, sh, sw, lh, lw, c, top, left };
    const smallN = sh * sw * c,
      largeN = lh * lw * c;
    const window = (small: Buf, large: Buf, toLarge: boolean, accumulate: boolean) =>
      kernelOp('window2d', {
        ...dims,
        small: perSample(small, smallN),
        large: perSample(large, largeN),
        toLarge: flag(toLarge),
        accumulate: flag(accumulate),
      });
    const acc = ctx.accumulateInputs[0] ?? false;
    if (this.grows)
      return { forward: [window(x, y, true, false)], backward: dX && dY ? [window(dX, dY, false, acc)] : [] };
    return { forward: [window(y, x, false, false)], backward: dX && dY ? [window(dY, dX, true, acc)] : [] };
  }
  getOptions(): object {
    return { amounts: this.sides };
  }
}

export class ZeroPadding2D extends Window2D {
  readonly className = 'ZeroPadding2D';
  protected readonly grows = true;
  constructor(padding: Amounts = 1, options: LayerOptions = {}) {
    super(padding, options, 'zero_padding2d');
  }
}

export class Cropping2D extends Window2D {
  readonly className = 'Cropping2D';
  protected readonly grows = false;
  constructor(cropping: Amounts = 0, options: LayerOptions = {}) {
    super(cropping, options, 'cropping2d');
  }
}
