// dense(units): y = activation(x W + b) on the last axis, with W of shape [in, units] as in Keras.
// Forward is one GEMM (bias and activation fused as the planner decides); backward two GEMMs and a column sum.

import { HourglassError } from '../engine/errors.js';
import { flag, gemmOp, hostOp, kernelOp, type Op } from '../engine/operation.js';
import { checkContractive, contractivePenalty } from './contractive.js';
import { KernelLayer, type KernelLayerOptions } from './kernel_layer.js';
import { size, type LayerOps, type PlanContext, type Shape } from './layer.js';

export interface DenseOptions extends KernelLayerOptions {
  /** Weight of the contractive penalty ||d output / d input||^2 (contractive autoencoders' code layer). */
  contractive?: number;
}

export class Dense extends KernelLayer {
  readonly className = 'Dense';

  readonly contractive: number;

  constructor(
    readonly units: number,
    options: DenseOptions = {},
  ) {
    super(options, 'dense');
    if (!Number.isInteger(units) || units <= 0)
      throw new HourglassError(`dense: units must be a positive integer, got ${units}`);
    this.contractive = checkContractive(options.contractive, this.activation.name, `layer '${this.name}'`);
  }

  override hasPenalty(): boolean {
    return this.contractive > 0;
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const s = this.singleInput(shapes);
    return [...s.slice(0, -1), this.units];
  }

  protected override build(shapes: Shape[]): void {
    this.buildKernel([shapes[0]![shapes[0]!.length - 1]!, this.units], this.units);
  }

  plan(ctx: PlanContext): LayerOps {
    const inShape = ctx.inputShapes[0]!;
    const inF = inShape[inShape.length - 1]!;
    const outF = this.units;
    const rowsPerSample = size(inShape) / inF;
    const m = { perSample: rowsPerSample };
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0] ?? null;
    const w = this.kernel,
      b = this.bias;
    // Rows of a higher-rank input would each need their own Jacobian: only [batch, features] here.
    if (this.contractive && rowsPerSample !== 1)
      throw new HourglassError(
        `layer '${this.name}': the contractive penalty needs a flat input, got ${JSON.stringify(inShape)}`,
      );
    const fused = ctx.activation(this.activation, true);
    const dZ = fused.dz;
    const penalty = this.contractive
      ? contractivePenalty({
          weight: this.contractive,
          activation: this.activation.name,
          inF,
          outF,
          kernel: w.value,
          output: y,
        })
      : null;
    const forward: Op[] = [
      gemmOp({
        m,
        n: outF,
        k: inF,
        a: x,
        lda: inF,
        b: w.value,
        ldb: outF,
        bias: b ? b.value : null,
        c: fused.z,
        ldc: outF,
        epilogue: fused.epilogue,
      }),
      ...fused.forward,
    ];
    const backward: Op[] = [];
    if (dZ) {
      // The penalty's gradient at the output goes in before the activation's backward scales it by f'(z).
      if (penalty)
        backward.push(
          hostOp(`${ctx.name}.contractive gradient at the code`, { reads: [y], writes: [dZ] }, (batch) =>
            penalty.addToOutputGrad(batch, dZ),
          ),
        );
      // dY becomes dZ in place: the output gradient is not needed after this layer.
      backward.push(...fused.backward);
      if (w.trainable) {
        backward.push(
          gemmOp({
            m: inF,
            n: outF,
            k: m,
            a: x,
            lda: inF,
            transA: true,
            b: dZ,
            ldb: outF,
            c: w.grad,
            ldc: outF,
            accumulate: !ctx.overwriteParamGrads,
          }),
        );
        if (penalty)
          backward.push(
            hostOp(`${ctx.name}.contractive gradient at the kernel`, { reads: [w.value], writes: [w.grad] }, () =>
              penalty.addToKernelGrad(w.grad),
            ),
          );
        if (b)
          backward.push(
            kernelOp('columnSum', {
              rows: m,
              cols: outF,
              d: dZ,
              out: b.grad,
              accumulate: flag(!ctx.overwriteParamGrads),
            }),
          );
      }
      if (dX)
        backward.push(
          gemmOp({
            m,
            n: inF,
            k: outF,
            a: dZ,
            lda: outF,
            b: w.value,
            ldb: outF,
            transB: true,
            c: dX,
            ldc: inF,
            accumulate: ctx.accumulateInputs[0]!,
          }),
        );
    }
    const ops: LayerOps = { forward, backward };
    if (penalty)
      ops.penalty = [
        hostOp(
          `${ctx.name}.contractive penalty`,
          { reads: [y, w.value], writes: [] },
          (batch) => penalty.value(batch),
          { lossTerm: true },
        ),
      ];
    return ops;
  }

  getOptions(): object {
    return {
      units: this.units,
      ...this.kernelConfig(),
      ...(this.contractive ? { contractive: this.contractive } : {}),
    };
  }
}
