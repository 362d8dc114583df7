// dense(units): y = activation(x W + b) on the last axis, with W of shape [in, units] as in Keras.
// Bias and activation run in the GEMM epilogue; backward is two GEMMs and a column sum.

import { getEngine } from '../engine/kernels.js';
import { HourglassError } from '../engine/errors.js';
import { gemm, reserveGemm } from '../engine/ops.js';
import { needsPreactivation } from './activations.js';
import { checkContractive, contractivePenalty } from './contractive.js';
import { KernelLayer, type KernelLayerOptions } from './kernel_layer.js';
import { size, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export interface DenseOptions extends KernelLayerOptions {
  /** Weight of the contractive penalty ||d output / d input||^2 (contractive autoencoders' code layer). */
  contractive?: number;
}

export class Dense extends KernelLayer {
  readonly className = 'Dense';

  readonly contractive: number;

  constructor(readonly units: number, options: DenseOptions = {}) {
    super(options, 'dense');
    if (!Number.isInteger(units) || units <= 0) throw new HourglassError(`dense: units must be a positive integer, got ${units}`);
    this.contractive = checkContractive(options.contractive, this.activation.name, `layer '${this.name}'`);
  }

  override hasPenalty(): boolean { return this.contractive > 0; }

  computeOutputShape(shapes: Shape[]): Shape {
    const s = this.singleInput(shapes);
    return [...s.slice(0, -1), this.units];
  }

  protected override build(shapes: Shape[]): void {
    this.buildKernel([shapes[0]![shapes[0]!.length - 1]!, this.units], this.units);
  }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const inShape = ctx.inputShapes[0]!;
    const inF = inShape[inShape.length - 1]!;
    const outF = this.units;
    const rowsPerSample = size(inShape) / inF;
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0] ?? null, dY = ctx.dOutput;
    const w = this.kernel, b = this.bias;
    const act = this.activation;
    const pre = needsPreactivation(act) ? ctx.alloc(ctx.maxBatch * size(ctx.outputShape)) : null;
    reserveGemm(Math.max(outF, inF));
    // Rows of a higher-rank input would each need their own Jacobian: only [batch, features] here.
    if (this.contractive && rowsPerSample !== 1) throw new HourglassError(`layer '${this.name}': the contractive penalty needs a flat input, got ${JSON.stringify(inShape)}`);
    const penalty = this.contractive ? contractivePenalty({ weight: this.contractive, activation: act.name, inF, outF, kernel: w.value, output: y }) : null;

    return {
      forward: (batch, training) => {
        const m = batch * rowsPerSample;
        const base = { m, n: outF, k: inF, a: x, lda: inF, b: w.value, ldb: outF, bias: b ? b.value : null };
        if (training && ctx.logits) {
          gemm({ ...base, c: ctx.logits, ldc: outF });
        } else if (pre) {
          gemm({ ...base, c: pre, ldc: outF });
          k.activationForward(m * outF, pre.ptr, y.ptr, act.code, act.alpha);
        } else {
          gemm({ ...base, c: y, ldc: outF, act: act.code, alpha: act.alpha });
        }
      },
      backward: (batch) => {
        if (!dY) return;
        const m = batch * rowsPerSample;
        penalty?.addToOutputGrad(batch, dY);
        // dY becomes dZ in place: the output gradient is not needed after this layer.
        if (!ctx.logits && act.name !== 'linear') {
          k.activationBackward(m * outF, (pre ?? y).ptr, dY.ptr, dY.ptr, act.code, act.alpha, 0);
        }
        if (w.trainable) {
          gemm({ m: inF, n: outF, k: m, a: x, lda: inF, transA: true, b: dY, ldb: outF, c: w.grad, ldc: outF, accumulate: !ctx.overwriteParamGrads });
          penalty?.addToKernelGrad(w.grad);
          if (b) k.columnSum(m, outF, dY.ptr, b.grad.ptr, ctx.overwriteParamGrads ? 0 : 1);
        }
        if (dX) {
          gemm({ m, n: inF, k: outF, a: dY, lda: outF, b: w.value, ldb: outF, transB: true, c: dX, ldc: inF, accumulate: ctx.accumulateInputs[0]! });
        }
      },
      ...(penalty ? { penalty: (batch: number) => penalty.value(batch) } : {}),
    };
  }

  getOptions(): object { return { units: this.units, ...this.kernelConfig(), ...(this.contractive ? { contractive: this.contractive } : {}) }; }
}
