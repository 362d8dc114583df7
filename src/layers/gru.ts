// gru(units): Keras's GRU with reset_after=True (the Keras 2 default, and what PyTorch's nn.GRU
// computes) on [batch, steps, features]: gates z, r, h in the kernel columns, bias [2, 3u]
// (row 0 added to x W, row 1 to h U, as Keras stores them).
//
// Against PyTorch nn.GRU (rows r, z, n of weight_ih [3u, f]): kernel = weight_ih^T with the
// column blocks reordered to z, r, n; likewise recurrentKernel from weight_hh; bias row 0 is
// bias_ih and row 1 bias_hh, reordered the same way.

import { HourglassError } from '../engine/errors.js';
import { flag, kernelOp, type Op } from '../engine/operation.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent.js';
import type { LayerOps, PlanContext } from './layer.js';

export interface GRUOptions extends RecurrentOptions {
  /** Apply the reset gate after the recurrent product (Keras 2's default); only true is implemented. */
  resetAfter?: boolean;
}

export class GRU extends RecurrentLayer {
  readonly className = 'GRU';
  protected readonly gateCount = 3;

  constructor(units: number, options: GRUOptions = {}) {
    super(units, options, 'gru');
    if (options.resetAfter !== undefined && options.resetAfter !== true)
      throw new HourglassError(
        `layer '${this.name}': resetAfter must be true (the reset-before form of Keras 1 is not implemented), got ${JSON.stringify(options.resetAfter)}`,
      );
  }

  protected biasShape(): number[] {
    return [2, 3 * this.units];
  }

  plan(ctx: PlanContext): LayerOps {
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
    const { act, recAct } = this.codes();

    // The bias's first row (the input bias) is its first 3u values: the projection's bias.
    const projection = this.inputProjection(ctx, g, gates, b ? b.value : null);
    const forward: Op[] = [
      ...projection.ops,
      kernelOp('fillRows', { rows: g.rows, cols: units, dst: slotOf(previous, 0, units), stride: seq, value: 0 }),
    ];
    for (let s = 0; s < steps; s++) {
      if (s > 0)
        forward.push(
          this.stepGemm(g, slotOf(previous, s, units), seq, slotOf(recurrent, s, width), gateStride, {
            transposeU: false,
            accumulate: false,
          }),
        );
      forward.push(
        kernelOp('gruForward', {
          rows: g.rows,
          units,
          gates: slotOf(gates, s, width),
          gatesStride: gateStride,
          rec: s > 0 ? slotOf(recurrent, s, width) : null,
          recStride: gateStride,
          recBias,
          hPrev: s > 0 ? slotOf(previous, s, units) : null,
          hPrevStride: seq,
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
          rows: g.rows,
          units,
          gates: slotOf(gates, s, width),
          gatesStride: gateStride,
          rec: s > 0 ? rec : null,
          recStride: gateStride,
          recBias,
          hPrev: s > 0 ? slotOf(previous, s, units) : null,
          hPrevStride: seq,
          // The first step has no h U, but its recurrent-bias gradient still goes here.
          dRec: rec,
          dh,
          ...this.stepOutputGrad(ctx, g, s),
          last: flag(s === steps - 1),
          act,
          recAct,
        }),
      );
      if (s > 0) backward.push(this.stepGemm(g, rec, gateStride, dh, units, { transposeU: true, accumulate: true }));
    }
    backward.push(...this.allStepsGradients(ctx, g, projection, gates, recurrent, previous));
    if (b?.trainable) {
      backward.push(
        ...this.biasGradients(ctx, g, [
          { d: gates, out: b.grad },
          { d: recurrent, out: { buf: b.grad, offset: width } },
        ]),
      );
    }
    return { forward, backward };
  }

  getOptions(): object {
    return { ...this.recurrentConfig(), resetAfter: true };
  }
}
