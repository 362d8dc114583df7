// conv2dTranspose(filters, {kernelSize, strides, padding}): the adjoint of conv2d, used by
// decoders to upsample. GEMM to columns, then col2im; kernel layout [kh, kw, filters, inChannels]
// as Keras. Output size: input * stride ('same') or (input - 1) * stride + kernel ('valid').

import { flag, gemmOp, kernelOp, perSample, type Op } from '../engine/operation.js';
import { imageShape, transposedAxis, type ConvPlanWindow } from './conv_geometry.js';
import { ConvLayer, dilatedWindowArgs, type ConvLayerOptions } from './conv_layer.js';
import type { ResolvedActivation } from './activations.js';
import type { LayerOps, Param, PlanContext, Shape } from './layer.js';

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

  plan(ctx: PlanContext): LayerOps {
    const window = this.planWindow(ctx.inputShapes[0]!);
    return planTransposedConvolution(ctx, window, this.filters, this.activation, this.kernel, this.bias);
  }
}

/**
 * The planned operations of a transposed convolution (conv2dTranspose, and conv1dTranspose as
 * height 1) from [h, w, c] to [oh, ow, filters]: GEMM to columns, col2im, then bias + activation.
 * Kernel [kh, kw, filters, c].
 */
export function planTransposedConvolution(
  ctx: PlanContext,
  g: ConvPlanWindow,
  filters: number,
  activation: ResolvedActivation,
  w: Param,
  b: Param | null,
): LayerOps {
  const { kh, kw } = g;
  const f = filters,
    cols = kh * kw * f,
    inPositions = g.h * g.w,
    outPositions = g.oh * g.ow;
  const x = ctx.inputs[0]!,
    dX = ctx.dInputs[0] ?? null;
  const col = ctx.alloc(ctx.maxBatch * inPositions * cols, `${ctx.name}.columns`);
  // The output image is the "input" of the convolution this layer is the adjoint of.
  const outN = outPositions * f,
    colN = inPositions * cols;
  const window = { ...dilatedWindowArgs(g), h: g.oh, w: g.ow, c: f, oh: g.h, ow: g.w };
  // The bias pass after col2im carries the activation as its epilogue.
  const fused = ctx.activation(activation, true);
  const dZ = fused.dz;
  const rows = { perSample: inPositions };
  const forward: Op[] = [
    gemmOp({ m: rows, n: cols, k: g.c, a: x, lda: g.c, b: w.value, ldb: g.c, transB: true, c: col, ldc: cols }),
    kernelOp('col2im', { ...window, col: perSample(col, colN), x: perSample(fused.z, outN), accumulate: 0 }),
    kernelOp('biasActivation', {
      rows: { perSample: outPositions },
      ch: f,
      y: fused.z,
      bias: b ? b.value : null,
      act: fused.epilogue.code,
      alpha: fused.epilogue.alpha,
    }),
    ...fused.forward,
  ];
  const backward: Op[] = [];
  if (dZ) {
    backward.push(...fused.backward);
    if (b && b.trainable)
      backward.push(
        kernelOp('columnSum', {
          rows: { perSample: outPositions },
          cols: f,
          d: dZ,
          out: b.grad,
          accumulate: flag(!ctx.overwriteParamGrads),
        }),
      );
    backward.push(kernelOp('im2col', { ...window, x: perSample(dZ, outN), col: perSample(col, colN) }));
    if (w.trainable)
      backward.push(
        gemmOp({
          m: cols,
          n: g.c,
          k: rows,
          a: col,
          lda: cols,
          transA: true,
          b: x,
          ldb: g.c,
          c: w.grad,
          ldc: g.c,
          accumulate: !ctx.overwriteParamGrads,
        }),
      );
    if (dX)
      backward.push(
        gemmOp({
          m: rows,
          n: g.c,
          k: cols,
          a: col,
          lda: cols,
          b: w.value,
          ldb: g.c,
          c: dX,
          ldc: g.c,
          accumulate: ctx.accumulateInputs[0]!,
        }),
      );
  }
  return { forward, backward };
}
