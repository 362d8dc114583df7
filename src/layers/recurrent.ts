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
import type { Pointer } from '../engine/operation.js';
import type { Geometry, Projection } from './recurrent_gemms.js';
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
    if (!Number.isInteger(units) || units <= 0)
      throw new HourglassError(`${baseName}: units must be a positive integer, got ${units}`);
    this.returnSequences = this.booleanOption('returnSequences', options.returnSequences, false);
    this.goBackwards = this.booleanOption('goBackwards', options.goBackwards, false);
    this.useBias = this.booleanOption('useBias', options.useBias, true);
    this.activation = this.gateActivation(options.activation ?? 'tanh', 'activation');
    this.recurrentActivation = this.gateActivation(options.recurrentActivation ?? 'sigmoid', 'recurrentActivation');
  }

  /** A true/false option (undefined: the fallback), refusing anything else. */
  protected booleanOption(key: string, value: unknown, fallback: boolean): boolean {
    if (value !== undefined && typeof value !== 'boolean')
      throw new HourglassError(
        `layer '${this.name}': option '${key}' must be true or false, got ${JSON.stringify(value)}`,
      );
    return typeof value === 'boolean' ? value : fallback;
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

export type { Geometry, Projection };

export interface StateTargets {
  h: Pointer;
  hStride: number;
  h2: Pointer;
  h2Stride: number;
}
