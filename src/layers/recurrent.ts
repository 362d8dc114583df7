// What lstm() and gru() share: Keras options and weight shapes, the output shape, and the GEMMs
// that run over all time steps at once (the input projection before the loop; dW, dU, dX after).
//
// Layout. Inputs are channels-last [batch, steps, features], so one sample's steps are contiguous
// and a step's slice across the batch is strided (row stride steps * width). Every per-step
// buffer keeps that sample-major layout instead of a time-major copy: the batch size changes
// from call to call while plan offsets are fixed, and sample-major is the only layout whose step
// offsets do not depend on the batch. The per-step GEMMs and gate kernels take the row stride
// (gemm's lda/ldc), and the all-steps GEMMs see plain [batch * steps, width] matrices aligned
// row for row with the input, so dW and dX need no copy.
//
// Buffers indexed by input time: slot t of `gates` belongs to the step that reads input step t
// (with goBackwards the step s reads input T-1-s), and slot t of `previous` holds the state that
// step started from (zeros for the first step). That keeps gates, previous states and inputs
// aligned for the all-steps GEMMs whichever way the sequence runs.

import { HourglassError } from '../engine/errors.js';
import type { Buf } from '../engine/memory.js';
import { flag, gemmOp, kernelOp, perSample, type Op, type Pointer } from '../engine/operation.js';
import { activationSpec, resolveActivation, type ActivationSpec, type ResolvedActivation } from './activations.js';
import { serializableInitializer, type Initializer } from './initializers.js';
import { Layer, formatShape, type LayerOptions, type Param, type PlanContext, type Shape } from './layer.js';
import type { Regularizer } from './regularizers.js';

export interface RecurrentOptions extends LayerOptions {
  /** Output every step's state ([batch, steps, units]) rather than the last one ([batch, units]). */
  returnSequences?: boolean;
  /** Run the sequence from its last step to its first (outputs come in processing order, as in Keras). */
  goBackwards?: boolean;
  /** Of the candidate/cell (Keras `activation`, default tanh). */
  activation?: ActivationSpec;
  /** Of the gates (Keras `recurrent_activation`, default sigmoid). */
  recurrentActivation?: ActivationSpec;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  recurrentInitializer?: Initializer;
  biasInitializer?: Initializer;
  kernelRegularizer?: Regularizer;
  recurrentRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
}

// Their derivatives come from their outputs with no extra parameter, which the gate kernels use.
const GATE_ACTIVATIONS = ['tanh', 'sigmoid', 'relu', 'linear', 'softplus'];

export abstract class RecurrentLayer extends Layer {
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly activation: ResolvedActivation;
  readonly recurrentActivation: ResolvedActivation;
  readonly useBias: boolean;
  kernel!: Param;
  recurrentKernel!: Param;
  bias: Param | null = null;
  /** Gates per unit: 4 for LSTM, 3 for GRU. */
  protected abstract readonly gateCount: number;

  constructor(
    readonly units: number,
    readonly options: RecurrentOptions,
    baseName: string,
  ) {
    super(options, baseName);
    const where = `layer '${this.name}'`;
    if (!Number.isInteger(units) || units <= 0)
      throw new HourglassError(`${baseName}: units must be a positive integer, got ${units}`);
    for (const key of ['returnSequences', 'goBackwards', 'useBias'] as const) {
      const v = options[key];
      if (v !== undefined && typeof v !== 'boolean')
        throw new HourglassError(`${where}: option '${key}' must be true or false, got ${JSON.stringify(v)}`);
    }
    this.returnSequences = options.returnSequences ?? false;
    this.goBackwards = options.goBackwards ?? false;
    this.useBias = options.useBias ?? true;
    this.activation = this.gateActivation(options.activation ?? 'tanh', 'activation');
    this.recurrentActivation = this.gateActivation(options.recurrentActivation ?? 'sigmoid', 'recurrentActivation');
  }

  private gateActivation(spec: ActivationSpec, key: string): ResolvedActivation {
    const a = resolveActivation(spec, `layer '${this.name}' ${key}`);
    if (!GATE_ACTIVATIONS.includes(a.name))
      throw new HourglassError(
        `layer '${this.name}': ${key} '${a.name}' is not supported in a recurrent layer (choose from ${GATE_ACTIVATIONS.join(', ')})`,
      );
    return a;
  }

  /** [steps, features] of the input, refusing anything else. */
  protected sequenceShape(shapes: Shape[]): [number, number] {
    const s = this.singleInput(shapes);
    if (s.length !== 2)
      throw new HourglassError(
        `layer '${this.name}' needs input of shape [batch, steps, features], got ${formatShape(s)}`,
      );
    return [s[0]!, s[1]!];
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const [steps] = this.sequenceShape(shapes);
    return this.returnSequences ? [steps, this.units] : [this.units];
  }

  protected override build(shapes: Shape[]): void {
    const [, features] = this.sequenceShape(shapes);
    const o = this.options,
      width = this.gateCount * this.units;
    const reg = (r: Regularizer | undefined) => (r ? { regularizer: r } : {});
    this.kernel = this.addParam(
      'kernel',
      [features, width],
      o.kernelInitializer ?? 'glorotUniform',
      reg(o.kernelRegularizer),
    );
    this.recurrentKernel = this.addParam(
      'recurrentKernel',
      [this.units, width],
      o.recurrentInitializer ?? 'orthogonal',
      reg(o.recurrentRegularizer),
    );
    if (this.useBias)
      this.bias = this.addParam('bias', this.biasShape(), o.biasInitializer ?? 'zeros', reg(o.biasRegularizer));
  }

  protected abstract biasShape(): number[];

  /** Sizes and step mapping of one application, for the plan. */
  protected geometry(ctx: PlanContext): Geometry {
    const [steps, features] = ctx.inputShapes[0] as [number, number];
    const units = this.units,
      width = this.gateCount * units;
    return {
      steps,
      features,
      units,
      width,
      rows: { perSample: 1 },
      slot: (s) => (this.goBackwards ? steps - 1 - s : s),
    };
  }

  /** Where step s writes its state: the output (sequences, or the last step) and the next step's previous-state slot. */
  protected stateTargets(ctx: PlanContext, g: Geometry, previous: Buf, s: number): StateTargets {
    const next: Pointer = s < g.steps - 1 ? { buf: previous, offset: g.slot(s + 1) * g.units } : null;
    const seq = g.steps * g.units;
    if (this.returnSequences)
      return { h: { buf: ctx.output, offset: s * g.units }, hStride: seq, h2: next, h2Stride: seq };
    if (next) return { h: next, hStride: seq, h2: null, h2Stride: 0 };
    return { h: ctx.output, hStride: g.units, h2: null, h2Stride: 0 };
  }

  /** This step's output gradient (null where the step has no output), with its row stride. */
  protected stepOutputGrad(ctx: PlanContext, g: Geometry, s: number): { dy: Pointer; dyStride: number } {
    const dY = ctx.dOutput!;
    if (this.returnSequences) return { dy: { buf: dY, offset: s * g.units }, dyStride: g.steps * g.units };
    return s === g.steps - 1 ? { dy: dY, dyStride: g.units } : { dy: null, dyStride: 0 };
  }

  /**
   * gates = x W (+ input bias) for every step at once: one GEMM over batch * steps rows. When the
   * input repeats one vector along the steps (repeatVector before a decoder), that vector is
   * projected once per sample (batch rows, read with a stride of a whole sequence) and the result
   * repeated into every step: the same values for 1/steps of the multiply-adds.
   */
  protected inputProjection(ctx: PlanContext, g: Geometry, gates: Buf, bias: Buf | null): Projection {
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
            b: this.kernel.value,
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
          b: this.kernel.value,
          ldb: g.width,
          bias,
          c: once,
          ldc: g.width,
        }),
        this.repeatSteps(g, once, gates, false),
      ],
    };
  }

  /** [batch, width] repeated into [batch, steps, width], or (backward) the steps summed back. */
  private repeatSteps(g: Geometry, once: Buf, gates: Buf, backward: boolean): Op {
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
   * each one GEMM over all steps (rows aligned by input time, see the layout note above).
   */
  protected allStepsGradients(
    ctx: PlanContext,
    g: Geometry,
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
    if (once) ops.push(...this.repeatedInputGradients(ctx, g, once, dGates));
    else if (this.kernel.trainable)
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
          c: this.kernel.grad,
          ldc: g.width,
          accumulate,
        }),
      );
    if (recurrentGradient) ops.push(...recurrentGradient);
    else if (this.recurrentKernel.trainable)
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
          c: this.recurrentKernel.grad,
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
          b: this.kernel.value,
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
  private repeatedInputGradients(ctx: PlanContext, g: Geometry, once: Buf, dGates: Buf): Op[] {
    const dX = ctx.dInputs[0];
    if (!this.kernel.trainable && !dX) return [];
    const x = ctx.inputs[0]!,
      seq = g.steps * g.features;
    const ops: Op[] = [this.repeatSteps(g, once, dGates, true)];
    if (this.kernel.trainable)
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
          c: this.kernel.grad,
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
          b: this.kernel.value,
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
  protected biasGradients(ctx: PlanContext, g: Geometry, parts: { d: Buf; out: Pointer }[]): Op[] {
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
  protected stepGemm(
    g: Geometry,
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
      b: this.recurrentKernel.value,
      ldb: g.width,
      transB: o.transposeU,
      c,
      ldc,
      accumulate: o.accumulate,
    });
  }

  protected codes(): { act: number; recAct: number } {
    return { act: this.activation.code, recAct: this.recurrentActivation.code };
  }

  protected recurrentConfig(): object {
    const o = this.options;
    return {
      units: this.units,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      activation: activationSpec(this.activation),
      recurrentActivation: activationSpec(this.recurrentActivation),
      useBias: this.useBias,
      kernelInitializer: serializableInitializer(o.kernelInitializer ?? 'glorotUniform'),
      recurrentInitializer: serializableInitializer(o.recurrentInitializer ?? 'orthogonal'),
      biasInitializer: serializableInitializer(o.biasInitializer ?? 'zeros'),
      ...(o.kernelRegularizer ? { kernelRegularizer: o.kernelRegularizer } : {}),
      ...(o.recurrentRegularizer ? { recurrentRegularizer: o.recurrentRegularizer } : {}),
      ...(o.biasRegularizer ? { biasRegularizer: o.biasRegularizer } : {}),
    };
  }
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

export interface StateTargets {
  h: Pointer;
  hStride: number;
  h2: Pointer;
  h2Stride: number;
}
