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
    const inner = this.grows ? { h: ih, w: iw } : { h: oh, w: ow },
      outer = this.grows ? { h: oh, w: ow } : { h: ih, w: iw };
    return planWindow(ctx, this.grows, { inner, outer, c, top: this.sides[0][0], left: this.sides[1][0] });
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

/** A small image inside a large one at (top, left), both c channels. */
export interface WindowPlacement {
  inner: { h: number; w: number };
  outer: { h: number; w: number };
  c: number;
  top: number;
  left: number;
}

/** Padding (grows: input is the inner image) or cropping (output is the inner image), and the adjoint. */
export function planWindow(ctx: PlanContext, grows: boolean, p: WindowPlacement): LayerOps {
  const x = ctx.inputs[0]!,
    y = ctx.output,
    dX = ctx.dInputs[0],
    dY = ctx.dOutput;
  const dims = { b: { perSample: 1 }, sh: p.inner.h, sw: p.inner.w, lh: p.outer.h, lw: p.outer.w, c: p.c };
  const smallN = p.inner.h * p.inner.w * p.c,
    largeN = p.outer.h * p.outer.w * p.c;
  const window = (small: Buf, large: Buf, toLarge: boolean, accumulate: boolean) =>
    kernelOp('window2d', {
      ...dims,
      top: p.top,
      left: p.left,
      small: perSample(small, smallN),
      large: perSample(large, largeN),
      toLarge: flag(toLarge),
      accumulate: flag(accumulate),
    });
  const acc = ctx.accumulateInputs[0] ?? false;
  if (grows) return { forward: [window(x, y, true, false)], backward: dX && dY ? [window(dX, dY, false, acc)] : [] };
  return { forward: [window(y, x, false, false)], backward: dX && dY ? [window(dY, dX, true, acc)] : [] };
}
