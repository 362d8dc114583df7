// conv2d(filters, {kernelSize, strides, padding, dilationRate, activation}): channels-last 2D
// convolution as im2col + GEMM with bias and activation fused in the epilogue. Kernel layout
// [kh, kw, inChannels, filters], as Keras.

import { getEngine } from '../engine/kernels.js';
import { HourglassError } from '../engine/errors.js';
import { gemm, reserveGemm } from '../engine/ops.js';
import { runBatchSplit } from '../engine/threads.js';
import { needsPreactivation } from './activations.js';
import { convAxis, imageShape } from './conv_geometry.js';
import { ConvLayer, type ConvLayerOptions } from './conv_layer.js';
import { planOneFilterConv } from './conv2d_one_filter.js';
import type { LayerSteps, PlanContext, Shape } from './layer.js';

export type Conv2DOptions = ConvLayerOptions;

export class Conv2D extends ConvLayer {
  readonly className = 'Conv2D';

  constructor(filters: number, options: Conv2DOptions) {
    super(filters, options, 'conv2d');
    if ((this.strides[0] > 1 || this.strides[1] > 1) && (this.dilation[0] > 1 || this.dilation[1] > 1)) {
      throw new HourglassError(`layer '${this.name}': strides above 1 cannot be combined with dilationRate above 1 (as in Keras)`);
    }
  }

  protected geometry(shape: Shape) {
    const [h, w, c] = imageShape(shape, `layer '${this.name}'`);
    const where = `layer '${this.name}'`;
    const y = convAxis(h, this.kernelSize[0], this.strides[0], this.dilation[0], this.padding, where);
    const x = convAxis(w, this.kernelSize[1], this.strides[1], this.dilation[1], this.padding, where);
    return { h, w, c, oh: y.out, ow: x.out, pt: y.padBefore, pl: x.padBefore };
  }

  protected override build(shapes: Shape[]): void {
    const c = shapes[0]![2]!;
    this.buildKernel([...this.kernelSize, c, this.filters], this.filters);
  }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const g = this.geometry(ctx.inputShapes[0]!);
    const [kh, kw] = this.kernelSize, [sh, sw] = this.strides, [dh, dw] = this.dilation;
    if (this.filters === 1 && dh === 1 && dw === 1) return planOneFilterConv(ctx, { ...g, kh, kw, sh, sw }, this.activation, this.kernel, this.bias);
    const cols = kh * kw * g.c, f = this.filters, positions = g.oh * g.ow;
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0] ?? null, dY = ctx.dOutput;
    const col = ctx.alloc(ctx.maxBatch * positions * cols);
    const act = this.activation, w = this.kernel, b = this.bias;
    const pre = needsPreactivation(act) ? ctx.alloc(ctx.maxBatch * positions * f) : null;
    reserveGemm(Math.max(f, cols));
    const inN = g.h * g.w * g.c, colN = positions * cols;
    const toCols = (batch: number, from: number, to: number) => runBatchSplit('im2col', batch, (n0, n1) =>
      [n1 - n0, g.h, g.w, g.c, g.oh, g.ow, kh, kw, sh, sw, dh, dw, g.pt, g.pl, from + n0 * inN * 4, to + n0 * colN * 4]);

    return {
      forward: (batch, training) => {
        toCols(batch, x.ptr, col.ptr);
        const base = { m: batch * positions, n: f, k: cols, a: col, lda: cols, b: w.value, ldb: f, bias: b ? b.value : null };
        if (training && ctx.logits) gemm({ ...base, c: ctx.logits, ldc: f });
        else if (pre) { gemm({ ...base, c: pre, ldc: f }); k.activationForward(batch * positions * f, pre.ptr, y.ptr, act.code, act.alpha); }
        else gemm({ ...base, c: y, ldc: f, act: act.code, alpha: act.alpha });
      },
      backward: (batch) => {
        if (!dY) return;
        const m = batch * positions;
        if (!ctx.logits && act.name !== 'linear') k.activationBackward(m * f, (pre ?? y).ptr, dY.ptr, dY.ptr, act.code, act.alpha, 0);
        if (w.trainable) {
          // The columns of this batch are still in `col` from the forward pass.
          gemm({ m: cols, n: f, k: m, a: col, lda: cols, transA: true, b: dY, ldb: f, c: w.grad, ldc: f, accumulate: !ctx.overwriteParamGrads });
          if (b) k.columnSum(m, f, dY.ptr, b.grad.ptr, ctx.overwriteParamGrads ? 0 : 1);
        }
        if (dX) {
          gemm({ m, n: cols, k: f, a: dY, lda: f, b: w.value, ldb: f, transB: true, c: col, ldc: cols });
          runBatchSplit('col2im', batch, (n0, n1) => [n1 - n0, g.h, g.w, g.c, g.oh, g.ow, kh, kw, sh, sw, dh, dw, g.pt, g.pl,
            col.ptr + n0 * colN * 4, dX.ptr + n0 * inN * 4, ctx.accumulateInputs[0] ? 1 : 0]);
        }
      },
    };
  }

}
