// The GEMMs of the recurrent layers (src/layers/recurrent.ts has the layout they assume): the
// input projection over all steps, the per-step h U, and dW, dU, dX and the biases after BPTT.

import type { Buf } from '../engine/memory.js';
import { flag, gemmOp, kernelOp, perSample, type Op, type Pointer } from '../engine/operation.js';
import type { Param, PlanContext } from './layer.js';

/** The two weight matrices every recurrent layer has. */
export interface RecurrentWeights {
  kernel: Param;
  recurrentKernel: Param;
}

/**
 * gates = x W (+ input bias) for every step at once: one GEMM over batch * steps rows. When the
 * input repeats one vector along the steps (repeatVector before a decoder), that vector is
 * projected once per sample (batch rows, read with a stride of a whole sequence) and the result
 * repeated into every step: the same values for 1/steps of the multiply-adds.
 */
export function inputProjection(
  ctx: PlanContext,
  g: Geometry,
  w: RecurrentWeights,
  gates: Buf,
  bias: Buf | null,
): Projection {
  const x = ctx.inputs[0]!;
  if (ctx.inputRepeated?.[0] !== true)
    return {
      once: null,
      ops: [
        gemmOp({
          m: { perSample: g.steps },
          n: g.width,
          k: g.features,
          a: x,
          lda: g.features,
          b: w.kernel.value,
          ldb: g.width,
          bias,
          c: gates,
          ldc: g.width,
        }),
      ],
    };
  const once = ctx.alloc(ctx.maxBatch * g.width, `${ctx.name}.stepProjection`);
  return {
    once,
    ops: [
      gemmOp({
        m: g.rows,
        n: g.width,
        k: g.features,
        a: x,
        lda: g.steps * g.features,
        b: w.kernel.value,
        ldb: g.width,
        bias,
        c: once,
        ldc: g.width,
      }),
      repeatSteps(g, once, gates, false),
    ],
  };
}

/** [batch, width] repeated into [batch, steps, width], or (backward) the steps summed back. */
function repeatSteps(g: Geometry, once: Buf, gates: Buf, backward: boolean): Op {
  return kernelOp('upsampleNearest', {
    b: g.rows,
    h: 1,
    w: 1,
    c: g.width,
    fh: g.steps,
    fw: 1,
    x: perSample(once, g.width),
    y: perSample(gates, g.steps * g.width),
    backward: flag(backward),
    accumulate: 0,
  });
}

/**
 * After backward through time: dW = X^T dGates, dU = Previous^T dRecurrent, dX = dGates W^T,
 * each one GEMM over all steps (rows aligned by input time, see the layout note in recurrent.ts).
 */
export function allStepsGradients(
  ctx: PlanContext,
  g: Geometry,
  w: RecurrentWeights,
  projection: Projection,
  dGates: Buf,
  dRecurrent: Buf,
  previous: Buf,
  /** Operations for dU when it is not Previous^T dRecurrent (GRU with the reset gate first). */
  recurrentGradient?: Op[],
): Op[] {
  const ops: Op[] = [];
  const all = { perSample: g.steps },
    accumulate = !ctx.overwriteParamGrads;
  const once = projection.once;
  if (once) ops.push(...repeatedInputGradients(ctx, g, w, once, dGates));
  else if (w.kernel.trainable)
    ops.push(
      gemmOp({
        m: g.features,
        n: g.width,
        k: all,
        a: ctx.inputs[0]!,
        lda: g.features,
        transA: true,
        b: dGates,
        ldb: g.width,
        c: w.kernel.grad,
        ldc: g.width,
        accumulate,
      }),
    );
  if (recurrentGradient) ops.push(...recurrentGradient);
  else if (w.recurrentKernel.trainable)
    ops.push(
      gemmOp({
        m: g.units,
        n: g.width,
        k: all,
        a: previous,
        lda: g.units,
        transA: true,
        b: dRecurrent,
        ldb: g.width,
        c: w.recurrentKernel.grad,
        ldc: g.width,
        accumulate,
      }),
    );
  const dX = ctx.dInputs[0];
  if (dX && !once)
    ops.push(
      gemmOp({
        m: all,
        n: g.features,
        k: g.width,
        a: dGates,
        lda: g.width,
        b: w.kernel.value,
        ldb: g.width,
        transB: true,
        c: dX,
        ldc: g.features,
        accumulate: ctx.accumulateInputs[0]!,
      }),
    );
  return ops;
}

/**
 * With a repeated input the gradients need only S_b = sum over steps of dGates_b (once per
 * sample): dW = sum_b x_b^T S_b, and the input gradient in its step-summed form, S_b W^T in
 * step 0 and zeros in the others, which is all a repeating producer reads (Layer.repeatsAlongSteps).
 */
function repeatedInputGradients(ctx: PlanContext, g: Geometry, w: RecurrentWeights, once: Buf, dGates: Buf): Op[] {
  const dX = ctx.dInputs[0];
  if (!w.kernel.trainable && !dX) return [];
  const x = ctx.inputs[0]!,
    seq = g.steps * g.features;
  const ops: Op[] = [repeatSteps(g, once, dGates, true)];
  if (w.kernel.trainable)
    ops.push(
      gemmOp({
        m: g.features,
        n: g.width,
        k: g.rows,
        a: x,
        lda: seq,
        transA: true,
        b: once,
        ldb: g.width,
        c: w.kernel.grad,
        ldc: g.width,
        accumulate: !ctx.overwriteParamGrads,
      }),
    );
  if (dX) {
    const accumulate = ctx.accumulateInputs[0]!;
    ops.push(
      gemmOp({
        m: g.rows,
        n: g.features,
        k: g.width,
        a: once,
        lda: g.width,
        b: w.kernel.value,
        ldb: g.width,
        transB: true,
        c: dX,
        ldc: seq,
        accumulate,
      }),
    );
    // Steps 1.. of each sample are contiguous: one row per sample. Added to, they keep what others wrote.
    if (!accumulate && g.steps > 1)
      ops.push(
        kernelOp('fillRows', {
          rows: g.rows,
          cols: seq - g.features,
          dst: { buf: dX, offset: g.features },
          stride: seq,
          value: 0,
        }),
      );
  }
  return ops;
}

/**
 * Bias gradients: column sums of [batch * steps, width] gate gradients, as a GEMM of a row of
 * ones with them. columnSum walks such a tall matrix one 4-column strip at a time (the whole
 * buffer once per strip); the GEMM reads it once.
 */
export function biasGradients(ctx: PlanContext, g: Geometry, parts: { d: Buf; out: Pointer }[]): Op[] {
  const rows = ctx.maxBatch * g.steps;
  const ones = ctx.alloc(rows, `${ctx.name}.ones`);
  return [
    kernelOp('fill', { n: { perSample: g.steps }, dst: ones, value: 1 }),
    ...parts.map(({ d, out }) =>
      gemmOp({
        m: 1,
        n: g.width,
        k: { perSample: g.steps },
        a: ones,
        lda: rows,
        b: d,
        ldb: g.width,
        c: out,
        ldc: g.width,
        accumulate: !ctx.overwriteParamGrads,
      }),
    ),
  ];
}

/** The per-step GEMM h_{t-1} U (or its backward dGates_t U^T) on strided slices. */
export function stepGemm(
  g: Geometry,
  w: RecurrentWeights,
  a: Pointer,
  lda: number,
  c: Pointer,
  ldc: number,
  o: { transposeU: boolean; accumulate: boolean },
): Op {
  return gemmOp({
    m: g.rows,
    n: o.transposeU ? g.units : g.width,
    k: o.transposeU ? g.width : g.units,
    a,
    lda,
    b: w.recurrentKernel.value,
    ldb: g.width,
    transB: o.transposeU,
    c,
    ldc,
    accumulate: o.accumulate,
  });
}

export interface Geometry {
  steps: number;
  features: number;
  units: number;
  /** gateCount * units: one row of gates. */
  width: number;
  /** One row per sample: the per-step operations' row count. */
  rows: { perSample: number };
  /** The input-time slot of processing step s. */
  slot(s: number): number;
}

/** The input projection's operations; `once` is the per-sample row buffer when the input is repeated. */
export interface Projection {
  ops: Op[];
  /** [batch, width]: the repeated vector's projection, reused in backward for the summed gradient. */
  once: Buf | null;
}
