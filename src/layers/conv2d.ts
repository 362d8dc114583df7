// conv2d(filters, {kernelSize, strides, padding, dilationRate, activation}): channels-last 2D
// convolution as im2col + GEMM with bias and activation fused in the epilogue. Kernel layout
// [kh, kw, inChannels, filters], as Keras.

import { HourglassError } from '../engine/errors.js';
import { flag, gemmOp, kernelOp, perSample, type Op } from '../engine/operation.js';
import { convAxis, imageShape, type ConvPlanWindow } from './conv_geometry.js';
import { ConvLayer, dilatedWindowArgs, type ConvLayerOptions } from './conv_layer.js';
import { planOneFilterConv } from './conv2d_one_filter.js';
import { directConvApplies, planDirectConv } from './conv2d_direct.js';
import type { ResolvedActivation } from './activations.js';
import type { LayerOps, Param, PlanContext, Shape } from './layer.js';

export type Conv2DOptions = ConvLayerOptions;

export class Conv2D extends ConvLayer {
  readonly className = 'Conv2D';

  constructor(filters: number, options: Conv2DOptions) {
    super(filters, options, 'conv2d');
    if ((this.strides[0] > 1 || this.strides[1] > 1) && (this.dilation[0] > 1 || this.dilation[1] > 1)) {
      throw new HourglassError(
        `layer '${this.name}': strides above 1 cannot be combined with dilationRate above 1 (as in Keras)`,
      );
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

  plan(ctx: PlanContext): LayerOps {
    const window = this.planWindow(ctx.inputShapes[0]!);
    return planConvolution(ctx, window, this.filters, this.activation, this.kernel, this.bias);
  }
}

/**
 * The planned operations of a convolution (conv2d, and conv1d as height 1): im2col + GEMM with the
 * bias and activation in the epilogue, or the direct kernels for one filter or a few (stride 1, 4 to
 * 16 filters: src/layers/conv2d_direct.ts). Kernel [kh, kw, c, filters].
 */
export function planConvolution(
  ctx: PlanContext,
  g: ConvPlanWindow,
  filters: number,
  activation: ResolvedActivation,
  w: Param,
  b: Param | null,
): LayerOps {
  const { kh, kw, dh, dw } = g;
  if (filters === 1 && dh === 1 && dw === 1) return planOneFilterConv(ctx, g, activation, w, b);
  if (directConvApplies(g, filters)) return planDirectConv(ctx, g, filters, activation, w, b);
  const cols = kh * kw * g.c,
    f = filters,
    positions = g.oh * g.ow;
  const x = ctx.inputs[0]!,
    dX = ctx.dInputs[0] ?? null;
  const col = ctx.alloc(ctx.maxBatch * positions * cols, `${ctx.name}.columns`);
  const inN = g.h * g.w * g.c,
    colN = positions * cols,
    m = { perSample: positions };
  const window = dilatedWindowArgs(g);
  const fused = ctx.activation(activation, true);
  const dZ = fused.dz;
  const forward: Op[] = [
    kernelOp('im2col', { ...window, x: perSample(x, inN), col: perSample(col, colN) }),
    gemmOp({
      m,
      n: f,
      k: cols,
      a: col,
      lda: cols,
      b: w.value,
      ldb: f,
      bias: b ? b.value : null,
      c: fused.z,
      ldc: f,
      epilogue: fused.epilogue,
    }),
    ...fused.forward,
  ];
  const backward: Op[] = [];
  if (dZ) {
    backward.push(...fused.backward);
    if (w.trainable) {
      // The columns of this batch are still in `col` from the forward pass.
      backward.push(
        gemmOp({
          m: cols,
          n: f,
          k: m,
          a: col,
          lda: cols,
          transA: true,
          b: dZ,
          ldb: f,
          c: w.grad,
          ldc: f,
          accumulate: !ctx.overwriteParamGrads,
        }),
      );
      if (b)
        backward.push(
          kernelOp('columnSum', { rows: m, cols: f, d: dZ, out: b.grad, accumulate: flag(!ctx.overwriteParamGrads) }),
        );
    }
    if (dX) {
      backward.push(
        gemmOp({ m, n: cols, k: f, a: dZ, lda: f, b: w.value, ldb: f, transB: true, c: col, ldc: cols }),
        kernelOp('col2im', {
          ...window,
          col: perSample(col, colN),
          x: perSample(dX, inN),
          accumulate: flag(ctx.accumulateInputs[0]),
        }),
      );
    }
  }
  return { forward, backward };
}
