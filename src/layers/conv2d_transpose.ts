// conv2dTranspose(filters, {kernelSize, strides, padding}): the adjoint of conv2d, used by
// decoders to upsample. GEMM to columns, then col2im; kernel layout [kh, kw, filters, inChannels]
// as Keras. Output size: input * stride ('same') or (input - 1) * stride + kernel ('valid').

import { getEngine } from '../engine/kernels.js';
import { HourglassError } from '../engine/errors.js';
import { gemm, reserveGemm } from '../engine/ops.js';
import { runBatchSplit } from '../engine/threads.js';
import { needsPreactivation } from './activations.js';
import { imageShape, transposedAxis } from './conv_geometry.js';
import { ConvLayer, type ConvLayerOptions } from './conv_layer.js';
import type { LayerSteps, PlanContext, Shape } from './layer.js';

export type Conv2DTransposeOptions = ConvLayerOptions;

export class Conv2DTranspose extends ConvLayer {
  readonly className = 'Conv2DTranspose';

  constructor(filters: number, options: Conv2DTransposeOptions) {
    super(filters, options, 'conv2d_transpose');
  }

  protected geometry(shape: Shape) {
    const [h, w, c] = imageShape(shape, `layer '${this.name}'`);
    const y = transposedAxis(h, this.kernelSize[0], this.strides[0], this.dilation[0], this.padding);
    const x = transposedAxis(w, this.kernelSize[1], this.strides[1], this.dilation[1], this.padding);
    return { h, w, c, oh: y.out, ow: x.out, pt: y.padBefore, pl: x.padBefore };
  }

  protected override build(shapes: Shape[]): void {
    const c = shapes[0]![2]!;
    this.buildKernel([...this.kernelSize, this.filters, c], this.filters);
  }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const g = this.geometry(ctx.inputShapes[0]!);
    const [kh, kw] = this.kernelSize, [sh, sw] = this.strides, [dh, dw] = this.dilation;
    const f = this.filters, cols = kh * kw * f, inPositions = g.h * g.w, outPositions = g.oh * g.ow;
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0] ?? null, dY = ctx.dOutput;
    const col = ctx.alloc(ctx.maxBatch * inPositions * cols);
    const act = this.activation, w = this.kernel, b = this.bias;
    const pre = needsPreactivation(act) || act.name !== 'linear' ? ctx.alloc(ctx.maxBatch * outPositions * f) : null;
    reserveGemm(Math.max(cols, g.c));
    // The output image is the "input" of the convolution this layer is the adjoint of.
    const outN = outPositions * f, colN = inPositions * cols;
    const geometry = (n: number) => [n, g.oh, g.ow, f, g.h, g.w, kh, kw, sh, sw, dh, dw, g.pt, g.pl];

    return {
      forward: (batch, training) => {
        gemm({ m: batch * inPositions, n: cols, k: g.c, a: x, lda: g.c, b: w.value, ldb: g.c, transB: true, c: col, ldc: cols });
        const z = training && ctx.logits ? ctx.logits : pre ?? y;
        runBatchSplit('col2im', batch, (n0, n1) => [...geometry(n1 - n0), col.ptr + n0 * colN * 4, z.ptr + n0 * outN * 4, 0]);
        k.biasActivation(batch * outPositions, f, z.ptr, b ? b.value.ptr : 0, 0, 0);
        if (z === pre) k.activationForward(batch * outPositions * f, pre.ptr, y.ptr, act.code, act.alpha);
      },
      backward: (batch) => {
        if (!dY) return;
        const m = batch * outPositions;
        if (!ctx.logits && act.name !== 'linear') {
          const from = needsPreactivation(act) ? pre! : y;
          k.activationBackward(m * f, from.ptr, dY.ptr, dY.ptr, act.code, act.alpha, 0);
        }
        if (b && b.trainable) k.columnSum(m, f, dY.ptr, b.grad.ptr, ctx.overwriteParamGrads ? 0 : 1);
        runBatchSplit('im2col', batch, (n0, n1) => [...geometry(n1 - n0), dY.ptr + n0 * outN * 4, col.ptr + n0 * colN * 4]);
        const rows = batch * inPositions;
        if (w.trainable) gemm({ m: cols, n: g.c, k: rows, a: col, lda: cols, transA: true, b: x, ldb: g.c, c: w.grad, ldc: g.c, accumulate: !ctx.overwriteParamGrads });
        if (dX) gemm({ m: rows, n: g.c, k: cols, a: col, lda: cols, b: w.value, ldb: g.c, c: dX, ldc: g.c, accumulate: ctx.accumulateInputs[0]! });
      },
    };
  }

}
