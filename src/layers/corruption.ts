// Input corruptions for denoising autoencoders, applied in training only (the identity at
// inference): maskingNoise(rate) sets a random share of the values to zero (no rescaling, unlike
// dropout: the model must fill them in); saltAndPepper(rate) sets them to the low or high value,
// half each. The gradient passes to the values that were kept.

import { HourglassError } from '../engine/errors.js';
import { identityOps, noiseLayerBuffers } from './identity_ops.js';
import { hostOp, kernelOp } from '../engine/operation.js';
import { Layer, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

abstract class Corruption extends Layer {
  constructor(
    readonly rate: number,
    options: LayerOptions,
    baseName: string,
  ) {
    super(options, baseName);
    if (!(rate >= 0 && rate < 1)) throw new HourglassError(`${baseName}: rate must be in [0, 1), got ${rate}`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }
  /** The value a corrupted entry takes. */
  protected abstract replacement(uniform: () => number): number;

  plan(ctx: PlanContext): LayerOps {
    // At inference (or without noise) the layer is the identity.
    const b = noiseLayerBuffers(ctx, this.rate !== 0);
    if (!b) return identityOps(ctx);
    const { values, n, x, y, dX, dY, acc } = b;
    const kept = ctx.alloc(ctx.maxBatch * values, `${ctx.name}.kept`);
    const uniform = () => ctx.random.uniform();
    const corrupt = hostOp(`${ctx.name}.corrupt`, { reads: [x], writes: [y, kept] }, (batch) => {
      const xv = x.view(),
        yv = y.view(),
        k = kept.view();
      for (let i = 0; i < batch * values; i++) {
        const hit = uniform() < this.rate;
        k[i] = hit ? 0 : 1;
        yv[i] = hit ? this.replacement(uniform) : xv[i]!;
      }
    });
    // The gradient passes to the values that were kept.
    return {
      forward: [corrupt],
      backward: dX && dY ? [kernelOp('multiply', { n, x: dY, m: kept, y: dX, accumulate: acc })] : [],
    };
  }
}
export class MaskingNoise extends Corruption {
  readonly className = 'MaskingNoise';
  constructor(rate: number, options: LayerOptions = {}) {
    super(rate, options, 'masking_noise');
  }
  protected replacement(): number {
    return 0;
  }
  getOptions(): object {
    return { rate: this.rate };
  }
}

export interface SaltAndPepperOptions extends LayerOptions {
  low?: number;
  high?: number;
}

export class SaltAndPepper extends Corruption {
  readonly className = 'SaltAndPepper';
  readonly low: number;
  readonly high: number;
  constructor(rate: number, options: SaltAndPepperOptions = {}) {
    super(rate, options, 'salt_and_pepper');
    this.low = options.low ?? 0;
    this.high = options.high ?? 1;
    if (!(Number.isFinite(this.low) && Number.isFinite(this.high) && this.low < this.high))
      throw new HourglassError(`saltAndPepper: low must be below high, got ${this.low} and ${this.high}`);
  }
  protected replacement(uniform: () => number): number {
    return uniform() < 0.5 ? this.low : this.high;
  }
  getOptions(): object {
    return { rate: this.rate, low: this.low, high: this.high };
  }
}
