// batchNormalization(): normalizes the last axis with batch statistics in training and
// moving averages at inference (Keras defaults: momentum 0.99, epsilon 1e-3).

import { HourglassError } from '../engine/errors.js';
import { getEngine } from '../engine/kernels.js';
import { Layer, size, type LayerOptions, type LayerSteps, type Param, type PlanContext, type Shape } from './layer.js';

export interface BatchNormalizationOptions extends LayerOptions {
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  gamma!: Param; beta!: Param; movingMean!: Param; movingVariance!: Param;

  constructor(readonly options: BatchNormalizationOptions = {}) {
    super(options, 'batch_normalization');
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new HourglassError(`batchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new HourglassError(`batchNormalization: epsilon must be positive, got ${this.epsilon}`);
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }

  protected override build(shapes: Shape[]): void {
    const ch = shapes[0]![shapes[0]!.length - 1]!;
    this.gamma = this.addParam('gamma', [ch], 'ones', { trainable: this.options.scale ?? true });
    this.beta = this.addParam('beta', [ch], 'zeros', { trainable: this.options.center ?? true });
    this.movingMean = this.addParam('moving_mean', [ch], 'zeros', { trainable: false });
    this.movingVariance = this.addParam('moving_variance', [ch], 'ones', { trainable: false });
  }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const shape = ctx.outputShape;
    const ch = shape[shape.length - 1]!;
    const rowsPerSample = size(shape) / ch;
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0] ?? null, dY = ctx.dOutput;
    const xhat = ctx.alloc(ctx.maxBatch * size(shape));
    const mean = ctx.alloc(ch), invStd = ctx.alloc(ch);
    const scratchGrad = ctx.alloc(2 * ch);
    const { gamma, beta, movingMean, movingVariance } = this;
    return {
      forward: (batch, training) => {
        const rows = batch * rowsPerSample;
        if (training) {
          k.batchNormTrain(rows, ch, x.ptr, y.ptr, xhat.ptr, gamma.value.ptr, beta.value.ptr, mean.ptr, invStd.ptr,
            movingMean.value.ptr, movingVariance.value.ptr, this.momentum, this.epsilon);
        } else {
          k.batchNormInference(rows, ch, x.ptr, y.ptr, gamma.value.ptr, beta.value.ptr, movingMean.value.ptr, movingVariance.value.ptr, this.epsilon);
        }
      },
      backward: (batch) => {
        if (!dY) return;
        const rows = batch * rowsPerSample;
        // Frozen gamma/beta still need the sums for dX; they go to scratch instead of the grads.
        const dg = gamma.trainable ? gamma.grad.ptr : scratchGrad.ptr;
        const db = beta.trainable ? beta.grad.ptr : scratchGrad.ptr + ch * 4;
        k.batchNormBackward(rows, ch, dY.ptr, xhat.ptr, gamma.value.ptr, invStd.ptr, dX ? dX.ptr : 0, dg, db,
          ctx.accumulateInputs[0] ? 1 : 0, ctx.overwriteParamGrads ? 0 : 1);
      },
    };
  }
  getOptions(): object {
    return { momentum: this.momentum, epsilon: this.epsilon, center: this.options.center ?? true, scale: this.options.scale ?? true };
  }
}
