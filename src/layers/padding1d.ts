// zeroPadding1d({padding}) and cropping1d({cropping}): add zero steps at the start and end of
// [batch, steps, features] sequences, or cut them off. Amounts as Keras: n or [left, right]
// (defaults: padding 1, cropping [1, 1]); the amount may also be passed alone, as zeroPadding2d
// takes it. The 2-D window copy over [1, steps] images.

import { HourglassError } from '../engine/errors.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';
import { planWindow } from './padding2d.js';
import { sequenceShape } from './sequence_geometry.js';

export type Amounts1D = number | [number, number];
export interface ZeroPadding1DOptions extends LayerOptions {
  padding?: Amounts1D;
}
export interface Cropping1DOptions extends LayerOptions {
  cropping?: Amounts1D;
}

const isAmount = (o: unknown): o is Amounts1D => typeof o === 'number' || Array.isArray(o);

function ends(a: Amounts1D, what: string, where: string): [number, number] {
  const s: [number, number] = typeof a === 'number' ? [a, a] : Array.isArray(a) ? [a[0], a[1]] : [NaN, NaN];
  if ((Array.isArray(a) && a.length !== 2) || s.some((v) => !Number.isInteger(v) || v < 0))
    throw new HourglassError(
      `${where}: ${what} must be a non-negative integer or [left, right], got ${JSON.stringify(a)}`,
    );
  return s;
}

abstract class Window1D extends Layer {
  readonly ends: [number, number];
  protected abstract readonly grows: boolean;
  constructor(amounts: Amounts1D, what: string, options: LayerOptions, base: string) {
    super(options, base);
    this.ends = ends(amounts, what, `layer '${this.name}'`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    const [steps, c] = sequenceShape(this.singleInput(shapes), `layer '${this.name}'`);
    const change = this.ends[0] + this.ends[1];
    const out = this.grows ? steps + change : steps - change;
    if (out <= 0) throw new HourglassError(`layer '${this.name}' crops ${steps} steps to nothing`);
    return [out, c];
  }
  plan(ctx: PlanContext): LayerOps {
    const [inSteps, c] = ctx.inputShapes[0] as [number, number];
    const outSteps = ctx.outputShape[0]!;
    const [inner, outer] = this.grows ? [inSteps, outSteps] : [outSteps, inSteps];
    return planWindow(ctx, this.grows, {
      inner: { h: 1, w: inner },
      outer: { h: 1, w: outer },
      c,
      top: 0,
      left: this.ends[0],
    });
  }
}

export class ZeroPadding1D extends Window1D {
  readonly className = 'ZeroPadding1D';
  protected readonly grows = true;
  constructor(options: ZeroPadding1DOptions | Amounts1D = {}) {
    const o = isAmount(options) ? { padding: options } : options;
    super(o.padding ?? 1, 'padding', o, 'zero_padding1d');
  }
  getOptions(): object {
    return { padding: this.ends };
  }
}

export class Cropping1D extends Window1D {
  readonly className = 'Cropping1D';
  protected readonly grows = false;
  constructor(options: Cropping1DOptions | Amounts1D = {}) {
    const o = isAmount(options) ? { cropping: options } : options;
    super(o.cropping ?? [1, 1], 'cropping', o, 'cropping1d');
  }
  getOptions(): object {
    return { cropping: this.ends };
  }
}
