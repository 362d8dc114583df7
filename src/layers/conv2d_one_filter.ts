// The planned operations of a conv2d with a single filter (and dilation 1): direct kernels instead
// of im2col + GEMM (see src/kernels/conv_single.ts for why). Batch-split across threads; the kernel
// gradient is a per-sample partial reduced in sample order, so any thread count gives the same bits.

import { flag, kernelOp, perSample, type Op, type Scalar } from '../engine/operation.js';
import type { ResolvedActivation } from './activations.js';
import { windowArgs, type UndilatedWindow } from './conv_layer.js';
import { hasPixelBlocks } from './conv2d_direct.js';
import type { LayerOps, Param, PlanContext } from './layer.js';

/** The one-filter kernels take no dilation. */
export type OneFilterGeometry = UndilatedWindow;

const FORWARD = 0,
  INPUT_GRAD = 1,
  KERNEL_GRAD = 2;

export function planOneFilterConv(
  ctx: PlanContext,
  g: OneFilterGeometry,
  act: ResolvedActivation,
  w: Param,
  b: Param | null,
): LayerOps {
  const taps = g.kh * g.kw * g.c,
    positions = g.oh * g.ow,
    inN = g.h * g.w * g.c;
  const x = ctx.inputs[0]!,
    dX = ctx.dInputs[0] ?? null;
  // The kernel has no epilogue: the planner runs the activation after it.
  const fused = ctx.activation(act, false);
  const dZ = fused.dz;
  const partials = w.trainable && dZ ? ctx.alloc(ctx.maxBatch * taps, `${ctx.name}.kernel partials`) : null;
  const window = windowArgs(g);
  // The one bias value is a scalar argument, read when the step runs (it changes as training goes).
  const bias: Scalar = b ? { read: () => b.value.view()[0]!, label: `${ctx.name}.bias[0]` } : 0;
  const forward: Op[] = [
    kernelOp('convSingle', {
      mode: FORWARD,
      ...window,
      x: perSample(x, inN),
      wt: w.value,
      bias,
      y: perSample(fused.z, positions),
      accumulate: 0,
    }),
    ...fused.forward,
  ];
  const backward: Op[] = [];
  if (dZ) {
    backward.push(...fused.backward);
    const m = { perSample: positions };
    if (partials) {
      backward.push(
        kernelOp('convSingle', {
          mode: KERNEL_GRAD,
          ...window,
          x: perSample(x, inN),
          wt: perSample(partials, taps),
          bias: 0,
          y: perSample(dZ, positions),
          accumulate: 0,
        }),
        kernelOp('columnSum', {
          rows: { perSample: 1 },
          cols: taps,
          d: partials,
          out: w.grad,
          accumulate: flag(!ctx.overwriteParamGrads),
        }),
      );
      if (b)
        backward.push(
          kernelOp('columnSum', { rows: m, cols: 1, d: dZ, out: b.grad, accumulate: flag(!ctx.overwriteParamGrads) }),
        );
    }
    // Stride 1 and channels a multiple of 4: the input gradient is the direct sweep over dZ with the
    // kernel flipped (four input pixels at a time, no read-modify-write of dX per output pixel),
    // where dZ's rows are wide enough for those blocks.
    if (dX && g.sh === 1 && g.sw === 1 && g.c % 4 === 0 && hasPixelBlocks(g.ow, g.kw)) {
      const flipped = ctx.alloc(taps, `${ctx.name}.flipped kernel`);
      backward.push(
        kernelOp('convFlipKernel', { kh: g.kh, kw: g.kw, c: g.c, f: 1, w: w.value, out: flipped }),
        kernelOp('convDirect', {
          b: { perSample: 1 },
          h: g.oh,
          w: g.ow,
          c: 1,
          oh: g.h,
          ow: g.w,
          f: g.c,
          kh: g.kh,
          kw: g.kw,
          pt: g.kh - 1 - g.pt,
          pl: g.kw - 1 - g.pl,
          x: perSample(dZ, positions),
          wt: flipped,
          bias: null,
          act: 0,
          alpha: 0,
          y: perSample(dX, inN),
          accumulate: flag(ctx.accumulateInputs[0]),
        }),
      );
    } else if (dX)
      // The input gradient kernel writes dX (x's slot) from dZ (y's slot).
      backward.push(
        kernelOp('convSingle', {
          mode: INPUT_GRAD,
          ...window,
          x: perSample(dX, inN),
          wt: w.value,
          bias: 0,
          y: perSample(dZ, positions),
          accumulate: flag(ctx.accumulateInputs[0]),
        }),
      );
  }
  return { forward, backward };
}
