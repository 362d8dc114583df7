// Input corruptions for denoising autoencoders, applied in training only (the identity at
// inference): maskingNoise(rate) sets a random share of the values to zero (no rescaling, unlike
// dropout: the model must fill them in); saltAndPepper(rate) sets them to the low or high value,
// half each. The gradient passes to the values that were kept.

import { HourglassError } from '../engine/errors.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

abstract class Corruption extends Layer {
  constructor(readonly rate: number, options: LayerOptions, baseName: string) {
    super(options, baseName);
    if (!(rate >= 0 && rate < 1)) throw new HourglassError(`${baseName}: rate must be in [0, 1), got ${rate}`);
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }
  /** The value a corrupted entry takes. */
  protected abstract replacement(uniform: () => number): number;

  plan(ctx: PlanContext): LayerSteps {
    const n = size(ctx.outputShape);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const kept = ctx.alloc(ctx.maxBatch * n);
    const uniform = () => ctx.random.uniform();
    return {
      forward: (batch, training) => {
        const xv = x.view(), yv = y.view(), k = kept.view();
        if (!training || this.rate === 0) { yv.set(xv.subarray(0, batch * n)); k.fill(1, 0, batch * n); return; }
        for (let i = 0; i < batch * n; i++) {
          const corrupt = uniform() < this.rate;
          k[i] = corrupt ? 0 : 1;
          yv[i] = corrupt ? this.replacement(uniform) : xv[i]!;
        }
      },
      backward: (batch) => {
        if (!dX || !dY) return;
        const out = dX.view(), g = dY.view(), k = kept.view(), add = ctx.accumulateInputs[0];
        for (let i = 0; i < batch * n; i++) { const v = g[i]! * k[i]!; out[i] = add ? out[i]! + v : v; }
      },
    };
  }
}

export class MaskingNoise extends Corruption {
  readonly className = 'MaskingNoise';
  constructor(rate: number, options: LayerOptions = {}) { super(rate, options, 'masking_noise'); }
  protected replacement(): number { return 0; }
  getOptions(): object { return { rate: this.rate }; }
}

export interface SaltAndPepperOptions extends LayerOptions { low?: number; high?: number }

export class SaltAndPepper extends Corruption {
  readonly className = 'SaltAndPepper';
  readonly low: number;
  readonly high: number;
  constructor(rate: number, options: SaltAndPepperOptions = {}) {
    super(rate, options, 'salt_and_pepper');
    this.low = options.low ?? 0;
    this.high = options.high ?? 1;
    if (!(Number.isFinite(this.low) && Number.isFinite(this.high) && this.low < this.high)) throw new HourglassError(`saltAndPepper: low must be below high, got ${this.low} and ${this.high}`);
  }
  protected replacement(uniform: () => number): number { return uniform() < 0.5 ? this.low : this.high; }
  getOptions(): object { return { rate: this.rate, low: this.low, high: this.high }; }
}
