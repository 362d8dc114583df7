// The planned steps of a conv2d with a single filter (and dilation 1): direct kernels instead of
// im2col + GEMM (see src/kernels/conv_single.ts for why). Batch-split across threads; the kernel
// gradient is a per-sample partial reduced in sample order, so any thread count gives the same bits.

import { getEngine } from '../engine/kernels.js';
import { runBatchSplit } from '../engine/threads.js';
import { needsPreactivation, type ResolvedActivation } from './activations.js';
import type { LayerSteps, Param, PlanContext } from './layer.js';

export interface OneFilterGeometry { h: number; w: number; c: number; oh: number; ow: number; pt: number; pl: number; kh: number; kw: number; sh: number; sw: number }

const FORWARD = 0, INPUT_GRAD = 1, KERNEL_GRAD = 2;

export function planOneFilterConv(ctx: PlanContext, g: OneFilterGeometry, act: ResolvedActivation, w: Param, b: Param | null): LayerSteps {
  const k = getEngine().kernels;
  const taps = g.kh * g.kw * g.c, positions = g.oh * g.ow, inN = g.h * g.w * g.c;
  const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0] ?? null, dY = ctx.dOutput;
  const pre = needsPreactivation(act) ? ctx.alloc(ctx.maxBatch * positions) : null;
  const partials = w.trainable && dY ? ctx.alloc(ctx.maxBatch * taps) : null;
  const run = (mode: number, batch: number, from: number, weights: number, bias: number, to: number, toPerSample: number, accumulate: number) =>
    runBatchSplit('convSingle', batch, (n0, n1) => [mode, n1 - n0, g.h, g.w, g.c, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl,
      from + n0 * inN * 4, weights + (mode === KERNEL_GRAD ? n0 * taps * 4 : 0), bias, to + n0 * toPerSample * 4, accumulate]);
  return {
    forward: (batch, training) => {
      const bias = b ? b.value.view()[0]! : 0;
      const out = training && ctx.logits ? ctx.logits : pre ?? y;
      run(FORWARD, batch, x.ptr, w.value.ptr, bias, out.ptr, positions, 0);
      if (out !== ctx.logits && act.name !== 'linear') k.activationForward(batch * positions, out.ptr, y.ptr, act.code, act.alpha);
    },
    backward: (batch) => {
      if (!dY) return;
      const m = batch * positions;
      if (!ctx.logits && act.name !== 'linear') k.activationBackward(m, (pre ?? y).ptr, dY.ptr, dY.ptr, act.code, act.alpha, 0);
      if (partials) {
        run(KERNEL_GRAD, batch, x.ptr, partials.ptr, 0, dY.ptr, positions, 0);
        k.columnSum(batch, taps, partials.ptr, w.grad.ptr, ctx.overwriteParamGrads ? 0 : 1);
        if (b) k.columnSum(m, 1, dY.ptr, b.grad.ptr, ctx.overwriteParamGrads ? 0 : 1);
      }
      // The input gradient kernel writes dX (x's slot) from dY (y's slot).
      if (dX) run(INPUT_GRAD, batch, dX.ptr, w.value.ptr, 0, dY.ptr, positions, ctx.accumulateInputs[0] ? 1 : 0);
    },
  };
}
