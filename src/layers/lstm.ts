// lstm(units): Keras's LSTM on [batch, steps, features] (gates i, f, c, o in the kernel columns,
// one bias, unitForgetBias), planned as one input GEMM, per-step GEMM + gate kernel, and BPTT.
//
// Against PyTorch nn.LSTM (rows i, f, g, o of weight_ih [4u, f]): kernel = weight_ih^T,
// recurrentKernel = weight_hh^T, bias = bias_ih + bias_hh (the same gate order, so no shuffle).

import { flag, kernelOp, type Op } from '../engine/operation.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent.js';
import { allStepsGradients, biasGradients, inputProjection, stepGemm } from './recurrent_gemms.js';
import type { LayerOps, PlanContext } from './layer.js';

export interface LSTMOptions extends RecurrentOptions {
  /** Start the forget gate's bias at 1 (Keras's unit_forget_bias, default true). */
  unitForgetBias?: boolean;
}

export class LSTM extends RecurrentLayer {
  readonly className = 'LSTM';
  protected readonly gateCount = 4;
  readonly unitForgetBias: boolean;

  constructor(units: number, options: LSTMOptions = {}) {
    super(units, options, 'lstm');
    this.unitForgetBias = this.booleanOption('unitForgetBias', options.unitForgetBias, true);
  }

  protected biasShape(): number[] {
    return [4 * this.units];
  }

  protected override build(shapes: number[][]): void {
    super.build(shapes);
    // As Keras: the initializer's values for i, c, o, ones for the forget gate.
    if (this.bias && this.unitForgetBias) this.bias.value.view().fill(1, this.units, 2 * this.units);
  }

  plan(ctx: PlanContext): LayerOps {
    const g = this.geometry(ctx);
    const { steps, units, width } = g;
    const seq = steps * units,
      gateStride = steps * width;
    const gates = ctx.alloc(ctx.maxBatch * steps * width, `${ctx.name}.gates`);
    const previous = ctx.alloc(ctx.maxBatch * seq, `${ctx.name}.previousStates`);
    const cells = ctx.alloc(ctx.maxBatch * seq, `${ctx.name}.cells`);
    const gatesAt = (s: number) => ({ buf: gates, offset: g.slot(s) * width });
    const stateAt = (buf: typeof cells, s: number) => ({ buf, offset: g.slot(s) * units });
    // What the step kernels take in both directions: the step's gates and its cells before and after.
    const stepArgs = (s: number) => ({
      rows: g.rows,
      units,
      gates: gatesAt(s),
      gatesStride: gateStride,
      cPrev: s > 0 ? stateAt(cells, s - 1) : null,
      cPrevStride: seq,
      c: stateAt(cells, s),
      cStride: seq,
    });
    const { act, recAct } = this.codes();

    const projection = inputProjection(ctx, g, this, gates, this.bias?.value ?? null);
    const forward: Op[] = [
      ...projection.ops,
      // The first step's previous state is zero: dU's all-steps GEMM reads this slot.
      kernelOp('fillRows', { rows: g.rows, cols: units, dst: stateAt(previous, 0), stride: seq, value: 0 }),
    ];
    for (let s = 0; s < steps; s++) {
      if (s > 0)
        forward.push(
          stepGemm(g, this, stateAt(previous, s), seq, gatesAt(s), gateStride, { transposeU: false, accumulate: true }),
        );
      const t = this.stateTargets(ctx, g, previous, s);
      forward.push(
        kernelOp('lstmForward', {
          ...stepArgs(s),
          ...t,
          act,
          recAct,
        }),
      );
    }
    if (!ctx.dOutput) return { forward, backward: [] };

    // Running gradients at h and c, carried from step s to s - 1.
    const dh = ctx.alloc(ctx.maxBatch * units, `${ctx.name}.dState`);
    const dc = ctx.alloc(ctx.maxBatch * units, `${ctx.name}.dCell`);
    const backward: Op[] = [];
    for (let s = steps - 1; s >= 0; s--) {
      backward.push(
        kernelOp('lstmBackward', {
          ...stepArgs(s),
          dh,
          ...this.stepOutputGrad(ctx, g, s),
          dc,
          last: flag(s === steps - 1),
          act,
          recAct,
        }),
      );
      if (s > 0)
        backward.push(stepGemm(g, this, gatesAt(s), gateStride, dh, units, { transposeU: true, accumulate: false }));
    }
    backward.push(...allStepsGradients(ctx, g, this, projection, gates, gates, previous));
    if (this.bias?.trainable) backward.push(...biasGradients(ctx, g, [{ d: gates, out: this.bias.grad }]));
    return { forward, backward };
  }

  getOptions(): object {
    return { ...this.recurrentConfig(), unitForgetBias: this.unitForgetBias };
  }
}
