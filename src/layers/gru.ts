// gru(units): Keras's GRU on [batch, steps, features], gates z, r, h in the kernel columns.
// resetAfter true (the Keras 2 default, and what PyTorch's nn.GRU computes): bias [2, 3u], row 0
// added to x W, row 1 to h U, as Keras stores them. resetAfter false (Keras 1, TF1): one bias
// [3u], and the reset gate scales h_{t-1} before its product with U_h (two GEMMs per step).
//
// Against PyTorch nn.GRU (rows r, z, n of weight_ih [3u, f]): kernel = weight_ih^T with the
// column blocks reordered to z, r, n; likewise recurrentKernel from weight_hh; bias row 0 is
// bias_ih and row 1 bias_hh, reordered the same way.

import { flag, gemmOp, kernelOp, type Op } from '../engine/operation.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent.js';
import { allStepsGradients, biasGradients, inputProjection, stepGemm } from './recurrent_gemms.js';
import type { LayerOps, PlanContext } from './layer.js';

export interface GRUOptions extends RecurrentOptions {
  /** Apply the reset gate after the recurrent product (Keras 2's default, true) or before it. */
  resetAfter?: boolean;
}

export class GRU extends RecurrentLayer {
  readonly className = 'GRU';
  protected readonly gateCount = 3;
  readonly resetAfter: boolean;

  constructor(units: number, options: GRUOptions = {}) {
    super(units, options, 'gru');
    this.resetAfter = this.booleanOption('resetAfter', options.resetAfter, true);
  }

  protected biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  plan(ctx: PlanContext): LayerOps {
    return this.resetAfter ? this.planResetAfter(ctx) : this.planResetBefore(ctx);
  }

  private planResetAfter(ctx: PlanContext): LayerOps {
    const g = this.geometry(ctx);
    const { steps, units, width } = g;
    const seq = steps * units,
      gateStride = steps * width;
    const gates = ctx.alloc(ctx.maxBatch * steps * width, `${ctx.name}.gates`);
    // h_{t-1} U per step, kept apart from the gates: the reset gate multiplies its h part.
    const recurrent = ctx.alloc(ctx.maxBatch * steps * width, `${ctx.name}.recurrent`);
    const previous = ctx.alloc(ctx.maxBatch * seq, `${ctx.name}.previousStates`);
    const slotOf = (buf: typeof gates, s: number, w: number) => ({ buf, offset: g.slot(s) * w });
    const b = this.bias;
    const recBias = b ? { buf: b.value, offset: width } : null;
    // What the step kernels take in both directions: the step's gates, h_{t-1} U and h_{t-1}
    // (no h U and no previous state at the first step).
    const stepArgs = (s: number) => ({
      rows: g.rows,
      units,
      gates: slotOf(gates, s, width),
      gatesStride: gateStride,
      rec: s > 0 ? slotOf(recurrent, s, width) : null,
      recStride: gateStride,
      recBias,
      hPrev: s > 0 ? slotOf(previous, s, units) : null,
      hPrevStride: seq,
    });
    const { act, recAct } = this.codes();

    // The bias's first row (the input bias) is its first 3u values: the projection's bias.
    const projection = inputProjection(ctx, g, this, gates, b ? b.value : null);
    const forward: Op[] = [
      ...projection.ops,
      kernelOp('fillRows', { rows: g.rows, cols: units, dst: slotOf(previous, 0, units), stride: seq, value: 0 }),
    ];
    for (let s = 0; s < steps; s++) {
      if (s > 0)
        forward.push(
          stepGemm(g, this, slotOf(previous, s, units), seq, slotOf(recurrent, s, width), gateStride, {
            transposeU: false,
            accumulate: false,
          }),
        );
      forward.push(
        kernelOp('gruForward', {
          ...stepArgs(s),
          ...this.stateTargets(ctx, g, previous, s),
          act,
          recAct,
        }),
      );
    }
    if (!ctx.dOutput) return { forward, backward: [] };

    const dh = ctx.alloc(ctx.maxBatch * units, `${ctx.name}.dState`);
    const backward: Op[] = [];
    for (let s = steps - 1; s >= 0; s--) {
      const rec = slotOf(recurrent, s, width);
      backward.push(
        kernelOp('gruBackward', {
          ...stepArgs(s),
          // The first step has no h U, but its recurrent-bias gradient still goes here.
          dRec: rec,
          dh,
          ...this.stepOutputGrad(ctx, g, s),
          last: flag(s === steps - 1),
          act,
          recAct,
        }),
      );
      if (s > 0) backward.push(stepGemm(g, this, rec, gateStride, dh, units, { transposeU: true, accumulate: true }));
    }
    backward.push(...allStepsGradients(ctx, g, this, projection, gates, recurrent, previous));
    if (b?.trainable) {
      backward.push(
        ...biasGradients(ctx, g, [
          { d: gates, out: b.grad },
          { d: recurrent, out: { buf: b.grad, offset: width } },
        ]),
      );
    }
    return { forward, backward };
  }

  /**
   * n = act(x_h + b_h + (r h_{t-1}) U_h): per step a GEMM for the z, r parts, the gates, a GEMM of
   * r h_{t-1} (kept in `resetStates` for dU) with U_h, and the candidate; backward runs them in
   * reverse with dU_zr = Previous^T dGates_zr and dU_h = ResetStates^T dGates_h over all steps.
   */
  private planResetBefore(ctx: PlanContext): LayerOps {
    const g = this.geometry(ctx);
    const { steps, units: u, width } = g;
    const seq = steps * u,
      gateStride = steps * width;
    const gates = ctx.alloc(ctx.maxBatch * steps * width, `${ctx.name}.gates`);
    const previous = ctx.alloc(ctx.maxBatch * seq, `${ctx.name}.previousStates`);
    const resetStates = ctx.alloc(ctx.maxBatch * seq, `${ctx.name}.resetStates`);
    const at = (buf: typeof gates, s: number, w: number, extra = 0) => ({ buf, offset: g.slot(s) * w + extra });
    const U = this.recurrentKernel;
    const uH = { buf: U.value, offset: 2 * u };
    // What all four step kernels take: the step's gates and previous state (null at the first step).
    const stepArgs = (s: number) => ({
      rows: g.rows,
      units: u,
      gates: at(gates, s, width),
      gatesStride: gateStride,
      hPrev: s > 0 ? at(previous, s, u) : null,
      hPrevStride: seq,
    });
    const { act, recAct } = this.codes();
    const projection = inputProjection(ctx, g, this, gates, this.bias?.value ?? null);
    const forward: Op[] = [
      ...projection.ops,
      kernelOp('fillRows', { rows: g.rows, cols: u, dst: at(previous, 0, u), stride: seq, value: 0 }),
    ];
    for (let s = 0; s < steps; s++) {
      const base = stepArgs(s);
      if (s > 0)
        forward.push(
          gemmOp({
            m: g.rows,
            n: 2 * u,
            k: u,
            a: base.hPrev!,
            lda: seq,
            b: U.value,
            ldb: width,
            c: base.gates,
            ldc: gateStride,
            accumulate: true,
          }),
        );
      forward.push(kernelOp('gruResetGates', { ...base, rh: at(resetStates, s, u), rhStride: seq, recAct }));
      if (s > 0)
        forward.push(
          gemmOp({
            m: g.rows,
            n: u,
            k: u,
            a: at(resetStates, s, u),
            lda: seq,
            b: uH,
            ldb: width,
            c: at(gates, s, width, 2 * u),
            ldc: gateStride,
            accumulate: true,
          }),
        );
      forward.push(kernelOp('gruResetCandidate', { ...base, ...this.stateTargets(ctx, g, previous, s), act }));
    }
    if (!ctx.dOutput) return { forward, backward: [] };

    const dh = ctx.alloc(ctx.maxBatch * u, `${ctx.name}.dState`);
    const drh = ctx.alloc(ctx.maxBatch * u, `${ctx.name}.dResetState`);
    const backward: Op[] = [];
    for (let s = steps - 1; s >= 0; s--) {
      const base = stepArgs(s);
      const last = flag(s === steps - 1);
      backward.push(
        kernelOp('gruResetCandidateBackward', { ...base, dh, ...this.stepOutputGrad(ctx, g, s), last, act, recAct }),
        // Also at the first step, where it only feeds r's gradient (times a zero state): drh stays finite.
        gemmOp({
          m: g.rows,
          n: u,
          k: u,
          a: at(gates, s, width, 2 * u),
          lda: gateStride,
          b: uH,
          ldb: width,
          transB: true,
          c: drh,
          ldc: u,
        }),
        kernelOp('gruResetGatesBackward', { ...base, drh, dh, recAct }),
      );
      if (s > 0)
        backward.push(
          gemmOp({
            m: g.rows,
            n: u,
            k: 2 * u,
            a: base.gates,
            lda: gateStride,
            b: U.value,
            ldb: width,
            transB: true,
            c: dh,
            ldc: u,
            accumulate: true,
          }),
        );
    }
    const all = { perSample: steps },
      accumulate = !ctx.overwriteParamGrads;
    const dU: Op[] = U.trainable
      ? [
          gemmOp({
            m: u,
            n: 2 * u,
            k: all,
            a: previous,
            lda: u,
            transA: true,
            b: gates,
            ldb: width,
            c: U.grad,
            ldc: width,
            accumulate,
          }),
          gemmOp({
            m: u,
            n: u,
            k: all,
            a: resetStates,
            lda: u,
            transA: true,
            b: { buf: gates, offset: 2 * u },
            ldb: width,
            c: { buf: U.grad, offset: 2 * u },
            ldc: width,
            accumulate,
          }),
        ]
      : [];
    backward.push(...allStepsGradients(ctx, g, this, projection, gates, gates, previous, dU));
    if (this.bias?.trainable) backward.push(...biasGradients(ctx, g, [{ d: gates, out: this.bias.grad }]));
    return { forward, backward };
  }

  getOptions(): object {
    return { ...this.recurrentConfig(), resetAfter: this.resetAfter };
  }
}
