// batchNormalization(): normalizes the last axis with batch statistics in training and
// moving averages at inference (Keras defaults: momentum 0.99, epsilon 1e-3).

import { HourglassError } from '../engine/errors.js';
import { flag, kernelOp } from '../engine/operation.js';
import { Layer, size, type LayerOptions, type LayerOps, type Param, type PlanContext, type Shape } from './layer.js';

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
  gamma!: Param;
  beta!: Param;
  movingMean!: Param;
  movingVariance!: Param;

  constructor(readonly options: BatchNormalizationOptions = {}) {
    super(options, 'batch_normalization');
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new HourglassError(`batchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0))
      throw new HourglassError(`batchNormalization: epsilon must be positive, got ${this.epsilon}`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }

  protected override build(shapes: Shape[]): void {
    const ch = shapes[0]![shapes[0]!.length - 1]!;
    this.gamma = this.addParam('gamma', [ch], 'ones', { trainable: this.options.scale ?? true });
    this.beta = this.addParam('beta', [ch], 'zeros', { trainable: this.options.center ?? true });
    this.movingMean = this.addParam('moving_mean', [ch], 'zeros', { trainable: false });
    this.movingVariance = this.addParam('moving_variance', [ch], 'ones', { trainable: false });
  }

  plan(ctx: PlanContext): LayerOps {
    const shape = ctx.outputShape;
    const ch = shape[shape.length - 1]!;
    const rows = { perSample: size(shape) / ch };
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0] ?? null,
      dY = ctx.dOutput;
    const { gamma, beta, movingMean, movingVariance } = this;
    if (ctx.mode === 'infer') {
      return {
        forward: [
          kernelOp('batchNormInference', {
            rows,
            ch,
            x,
            y,
            gamma: gamma.value,
            beta: beta.value,
            movingMean: movingMean.value,
            movingVar: movingVariance.value,
            eps: this.epsilon,
          }),
        ],
        backward: [],
      };
    }
    const xhat = ctx.alloc(ctx.maxBatch * size(shape), `${ctx.name}.xhat`);
    const mean = ctx.alloc(ch, `${this.name}.mean`),
      invStd = ctx.alloc(ch, `${ctx.name}.invStd`);
    const forward = [
      kernelOp('batchNormTrain', {
        rows,
        ch,
        x,
        y,
        xhat,
        gamma: gamma.value,
        beta: beta.value,
        mean,
        invStd,
        movingMean: movingMean.value,
        movingVar: movingVariance.value,
        momentum: this.momentum,
        eps: this.epsilon,
      }),
    ];
    if (!dY) return { forward, backward: [] };
    // Frozen gamma/beta still need the sums for dX; they go to scratch instead of the grads.
    const scratch = gamma.trainable && beta.trainable ? null : ctx.alloc(2 * ch, `${ctx.name}.frozen sums`);
    const dgamma = gamma.trainable ? gamma.grad : scratch!.slice(0, ch);
    const dbeta = beta.trainable ? beta.grad : scratch!.slice(ch, ch);
    return {
      forward,
      backward: [
        kernelOp('batchNormBackward', {
          rows,
          ch,
          dy: dY,
          xhat,
          gamma: gamma.value,
          invStd,
          dx: dX,
          dgamma,
          dbeta,
          accumulateInput: flag(ctx.accumulateInputs[0]),
          accumulateParams: flag(!ctx.overwriteParamGrads),
        }),
      ],
    };
  }
  getOptions(): object {
    return {
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.options.center ?? true,
      scale: this.options.scale ?? true,
    };
  }
}
