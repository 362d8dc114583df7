// The Layer contract: a layer owns its parameters and its math (forward and backward over
// buffers the plan allocated). Applying a layer to symbolic tensors builds the model graph.

import { HourglassError } from '../engine/errors.js';
import type { Buf } from '../engine/memory.js';
import { arena } from '../engine/memory.js';
import type { Op } from '../engine/operation.js';
import type { FusedActivation } from '../model/fusion.js';
import type { ResolvedActivation } from './activations.js';
import { globalRandom } from '../engine/seed.js';
import { initialize, type Initializer } from './initializers.js';
import { checkRegularizer, type Regularizer } from './regularizers.js';

/** A shape without the batch axis. */
export type Shape = number[];

export const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
export const formatShape = (shape: Shape): string => `[${['batch', ...shape].join(', ')}]`;

let nextTensorId = 0;

/** A node of the graph: the output of one layer applied to its inputs. */
export class SymbolicTensor {
  readonly id = nextTensorId++;
  constructor(
    readonly shape: Shape,
    readonly layer: Layer,
    readonly inputs: SymbolicTensor[],
  ) {}
}

export interface Param {
  name: string;
  shape: number[];
  value: Buf;
  grad: Buf;
  trainable: boolean;
  regularizer?: Regularizer;
}

/** What the plan hands a layer when it plans one application of it. */
export interface PlanContext {
  /** A training plan (batch statistics, noise, gradients) or an inference plan (no gradients). */
  mode: 'train' | 'infer';
  /** The layer's name, for buffer labels. */
  name: string;
  maxBatch: number;
  inputShapes: Shape[];
  /**
   * Per input, whether its producer repeats one vector along axis 1 (repeatVector): a sequence
   * layer may then project that vector once per sample instead of once per step. Absent: unknown.
   */
  inputRepeated?: boolean[];
  outputShape: Shape;
  inputs: Buf[];
  output: Buf;
  /** Gradient buffers of the inputs; null where no gradient is needed. */
  dInputs: (Buf | null)[];
  /** Whether to add into dInputs (another consumer wrote first) rather than overwrite. */
  accumulateInputs: boolean[];
  dOutput: Buf | null;
  /** Whether parameter gradients are overwritten (first application in backward order) or added. */
  overwriteParamGrads: boolean;
  /**
   * When set, the loss is fused with this layer's sigmoid: in training the layer writes its
   * pre-activation here, and dOutput is the gradient with respect to it.
   */
  logits: Buf | null;
  /** Scratch owned by the plan, freed with it. */
  alloc(length: number, label: string): Buf;
  /** Draws for dropout masks and noise, seeded from the model's generator. */
  random: { uniform(): number; normal(): number };
  /** The planner's fusion rule for the activation ending this layer (src/model/fusion.ts). */
  activation(act: ResolvedActivation, producerHasEpilogue: boolean): FusedActivation;
}

/** A layer's part of a plan: operations in order (see src/engine/operation.ts). */
export interface LayerOps {
  forward: Op[];
  /** Run in reverse layer order; empty in inference plans. */
  backward: Op[];
  /**
   * Terms the layer adds to the loss (a KL divergence, a Jacobian penalty), for the batch just run
   * forward, as operations marked lossTerm; backward then adds their gradient.
   */
  penalty?: Op[];
}

export interface LayerOptions {
  name?: string;
  trainable?: boolean;
}

const nameCounts = new Map<string, number>();
function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

export abstract class Layer {
  readonly name: string;
  abstract readonly className: string;
  params: Param[] = [];
  trainable: boolean;
  activityRegularizer: Regularizer | undefined;
  private builtFor: Shape[] | null = null;
  /** Set by dispose(): the weights are freed and the layer cannot be planned again. */
  disposed = false;

  constructor(options: LayerOptions & { activityRegularizer?: Regularizer }, baseName: string) {
    this.name = options.name ?? uniqueName(baseName);
    this.trainable = options.trainable ?? true;
    this.activityRegularizer = checkRegularizer(options.activityRegularizer, `layer '${this.name}'`);
  }

  /** The output shape for these input shapes; throws naming the layer when they do not fit. */
  abstract computeOutputShape(inputShapes: Shape[]): Shape;
  /** Creates parameters for these input shapes (called once, on first application). */
  protected build(_inputShapes: Shape[]): void {}
  abstract plan(ctx: PlanContext): LayerOps;
  /** The options that recreate this layer (saved in model.json). */
  abstract getOptions(): object;
  /** Whether the layer ends in a sigmoid that a loss may fuse with. */
  endsInSigmoid(): boolean {
    return false;
  }
  /**
   * Whether its output is one vector repeated along axis 1 (see PlanContext.inputRepeated). Such a
   * layer reads only the sum over axis 1 of its output gradient, so consumers may deliver that
   * gradient in step-summed form (all of it in step 0).
   */
  repeatsAlongSteps(): boolean {
    return false;
  }
  /** Whether its planned steps add a penalty of their own (the loss then cannot fuse with it). */
  hasPenalty(): boolean {
    return false;
  }

  /** Applies the layer to symbolic inputs, building it on first use; later uses share the weights. */
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    const inputs = Array.isArray(x) ? x : [x];
    for (const t of inputs) {
      if (!(t instanceof SymbolicTensor))
        throw new HourglassError(`layer '${this.name}': apply() takes the output of input() or of another layer`);
    }
    const shapes = inputs.map((t) => t.shape);
    const outShape = this.computeOutputShape(shapes);
    if (this.builtFor === null) {
      this.build(shapes);
      this.builtFor = shapes;
    } else if (JSON.stringify(this.builtFor) !== JSON.stringify(shapes)) {
      throw new HourglassError(
        `layer '${this.name}' was built for input ${this.builtFor.map(formatShape).join(', ')} and cannot be applied to ${shapes.map(formatShape).join(', ')}`,
      );
    }
    return new SymbolicTensor(outShape, this, inputs);
  }

  protected addParam(
    name: string,
    shape: number[],
    init: Initializer,
    options: { trainable?: boolean; regularizer?: Regularizer } = {},
  ): Param {
    const n = size(shape);
    const trainable = options.trainable ?? true;
    const label = `${this.name}.${name}`;
    // Refused before anything is allocated when the weights and their gradient cannot fit.
    arena.checkRoom(n * 4 * (trainable ? 2 : 1), `layer '${this.name}' ${name} (shape [${shape.join(', ')}])`);
    const value = arena.alloc(n, label);
    try {
      initialize(init, shape, value.view(), globalRandom(), `layer '${this.name}' ${name}`);
    } catch (e) {
      // A bad initializer (a damaged model.json) must not leave the buffer allocated.
      arena.release(value);
      throw e;
    }
    const param: Param = { name, shape, value, grad: trainable ? arena.alloc(n, `${label}.grad`) : value, trainable };
    // Listed before the regularizer is checked, so dispose() frees it if that check fails.
    this.params.push(param);
    const reg = checkRegularizer(options.regularizer, `layer '${this.name}' ${name}`);
    if (reg) param.regularizer = reg;
    return param;
  }

  /** Frees the weights and their gradients; every model using this layer becomes unusable. */
  dispose(): void {
    if (this.disposed) return;
    for (const p of this.params) {
      arena.release(p.value);
      if (p.grad !== p.value) arena.release(p.grad);
    }
    this.disposed = true;
  }

  countParams(): number {
    return this.params.reduce((s, p) => s + size(p.shape), 0);
  }

  /** Requires exactly one input and returns its shape. */
  protected singleInput(shapes: Shape[]): Shape {
    if (shapes.length !== 1) throw new HourglassError(`layer '${this.name}' takes one input, got ${shapes.length}`);
    return shapes[0]!;
  }
}
