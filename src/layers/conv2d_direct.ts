// The planned operations of a stride-1 convolution with few filters (a multiple of 4, at most 16):
// the direct kernels of src/kernels/conv_direct.ts instead of im2col + GEMM (see there for why).
// Forward applies the bias and the fused activation; the kernel gradient is a per-sample partial
// reduced in sample order (any thread count gives the same bits); the input gradient is the same
// direct sweep over dZ with the kernel flipped, when the input channels are a multiple of 4 too
// (else the GEMM + col2im path of the im2col plan).

import { flag, gemmOp, kernelOp, perSample, type Op, type Pointer } from '../engine/operation.js';
import type { ResolvedActivation } from './activations.js';
import type { ConvPlanWindow } from './conv_geometry.js';
import { dilatedWindowArgs } from './conv_layer.js';
import type { Buf } from '../engine/memory.js';
import type { LayerOps, Param, PlanContext } from './layer.js';

/** Above 16 filters the GEMM's 8-column tiles are full and im2col's copy is a small share: keep it. */
const MAX_DIRECT_FILTERS = 16;

/**
 * Whether this convolution runs on the direct kernels: stride and dilation 1, 4 to 16 filters, and
 * rows wide enough for a block of four pixels whose windows lie inside (on a 4x4 code map with a
 * 3x3 kernel every pixel is a border pixel, one at a time: there im2col + GEMM is faster).
 */
export function directConvApplies(g: ConvPlanWindow, filters: number): boolean {
  return (
    g.sh === 1 &&
    g.sw === 1 &&
    g.dh === 1 &&
    g.dw === 1 &&
    filters % 4 === 0 &&
    filters <= MAX_DIRECT_FILTERS &&
    hasPixelBlocks(g.w, g.kw)
  );
}

/** Whether a row of width w holds four pixels whose windows of width kw lie inside (stride 1). */
export function hasPixelBlocks(w: number, kw: number): boolean {
  return w - kw + 1 >= 4;
}

export function planDirectConv(
  ctx: PlanContext,
  g: ConvPlanWindow,
  filters: number,
  activation: ResolvedActivation,
  w: Param,
  b: Param | null,
): LayerOps {
  const f = filters,
    positions = g.oh * g.ow,
    inN = g.h * g.w * g.c,
    outN = positions * f,
    taps = g.kh * g.kw * g.c;
  const x = ctx.inputs[0]!,
    dX = ctx.dInputs[0] ?? null;
  const fused = ctx.activation(activation, true);
  const dZ = fused.dz;
  const shape = { h: g.h, w: g.w, c: g.c, oh: g.oh, ow: g.ow, f, kh: g.kh, kw: g.kw, pt: g.pt, pl: g.pl };
  const forward: Op[] = [
    kernelOp('convDirect', {
      b: { perSample: 1 },
      ...shape,
      x: perSample(x, inN),
      wt: w.value,
      bias: b ? b.value : null,
      act: fused.epilogue.code,
      alpha: fused.epilogue.alpha,
      y: perSample(fused.z, outN),
      accumulate: 0,
    }),
    ...fused.forward,
  ];
  const backward: Op[] = [];
  if (!dZ) return { forward, backward };
  backward.push(...fused.backward.map(splitActivationBackward));
  if (w.trainable) {
    const partials = ctx.alloc(ctx.maxBatch * taps * f, `${ctx.name}.kernel partials`);
    // The bias gradient's per-sample partials come from the same batch-split kernel.
    const biasPartials = b ? ctx.alloc(ctx.maxBatch * f, `${ctx.name}.bias partials`) : null;
    const accumulate = flag(!ctx.overwriteParamGrads);
    backward.push(
      kernelOp('convDirectKernelGrad', {
        b: { perSample: 1 },
        ...shape,
        sh: 1,
        sw: 1,
        x: perSample(x, inN),
        dy: perSample(dZ, outN),
        dw: perSample(partials, taps * f),
        db: biasPartials ? perSample(biasPartials, f) : null,
      }),
      kernelOp('columnSum', { rows: { perSample: 1 }, cols: taps * f, d: partials, out: w.grad, accumulate }),
    );
    if (b && biasPartials)
      backward.push(
        kernelOp('columnSum', { rows: { perSample: 1 }, cols: f, d: biasPartials, out: b.grad, accumulate }),
      );
  }
  if (dX) backward.push(...inputGradient(ctx, g, f, w, dZ, dX));
  return { forward, backward };
}

/** dX from dZ: the direct sweep with the flipped kernel, or GEMM + col2im (c not a multiple of 4, narrow dZ). */
function inputGradient(ctx: PlanContext, g: ConvPlanWindow, f: number, w: Param, dZ: Buf, dX: Buf): Op[] {
  const positions = g.oh * g.ow,
    inN = g.h * g.w * g.c,
    cols = g.kh * g.kw * g.c,
    accumulate = flag(ctx.accumulateInputs[0]);
  // The sweep reads dZ's rows (width ow): they too must hold blocks of four.
  if (g.c % 4 === 0 && hasPixelBlocks(g.ow, g.kw)) {
    const flipped = ctx.alloc(cols * f, `${ctx.name}.flipped kernel`);
    return [
      kernelOp('convFlipKernel', { kh: g.kh, kw: g.kw, c: g.c, f, w: w.value, out: flipped }),
      // dx[iy, ix] = sum over taps of dz[iy - (kh-1-pt) + ky', ix - (kw-1-pl) + kx'] . flipped[ky', kx']
      kernelOp('convDirect', {
        b: { perSample: 1 },
        h: g.oh,
        w: g.ow,
        c: f,
        oh: g.h,
        ow: g.w,
        f: g.c,
        kh: g.kh,
        kw: g.kw,
        pt: g.kh - 1 - g.pt,
        pl: g.kw - 1 - g.pl,
        x: perSample(dZ, positions * f),
        wt: flipped,
        bias: null,
        act: 0,
        alpha: 0,
        y: perSample(dX, inN),
        accumulate,
      }),
    ];
  }
  const col = ctx.alloc(ctx.maxBatch * positions * cols, `${ctx.name}.columns`);
  const m = { perSample: positions };
  return [
    gemmOp({ m, n: cols, k: f, a: dZ, lda: f, b: w.value, ldb: f, transB: true, c: col, ldc: cols }),
    kernelOp('col2im', {
      ...dilatedWindowArgs(g),
      col: perSample(col, positions * cols),
      x: perSample(dX, inN),
      accumulate,
    }),
  ];
}

/**
 * The activation's backward (dZ from dY, y) as the batch-split activationBackwardSamples: the same
 * arithmetic, shared across threads with the batch instead of run whole on the main thread.
 */
function splitActivationBackward(op: Op): Op {
  if (op.kind !== 'kernel' || op.kernel !== 'activationBackward') return op;
  const a = op.args;
  const n = a.n;
  if (typeof n !== 'object' || !('perSample' in n)) return op;
  const values = n.perSample;
  const moving = (p: Pointer) => (p !== null && 'ptr' in p ? perSample(p, values) : p);
  return kernelOp('activationBackwardSamples', {
    b: { perSample: 1 },
    values,
    y: moving(a.y),
    dy: moving(a.dy),
    dz: moving(a.dz),
    act: a.act,
    alpha: a.alpha,
    accumulate: a.accumulate,
  });
}
