// timeDistributed(layer): the same layer applied to every step of [batch, steps, ...]. For dense
// (the one inner layer supported) that is one GEMM over batch * steps rows on the same buffer,
// which Dense already plans for inputs of any rank: this wrapper only fixes the shapes and names.

import { HourglassError } from '../engine/errors.js';
import { Dense } from './dense.js';
import {
  Layer,
  SymbolicTensor,
  formatShape,
  type LayerOptions,
  type LayerOps,
  type PlanContext,
  type Shape,
} from './layer.js';

export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';

  constructor(
    readonly layer: Layer,
    options: LayerOptions = {},
  ) {
    super(options, 'time_distributed');
    if (!(layer instanceof Dense))
      throw new HourglassError(
        `layer '${this.name}': timeDistributed supports a dense layer, got ${layer instanceof Layer ? layer.className : typeof layer}`,
      );
    // The planner reads the applied layer's regularizer: the wrapper carries the inner one's.
    this.activityRegularizer = layer.activityRegularizer;
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const s = this.singleInput(shapes);
    if (s.length < 2)
      throw new HourglassError(
        `layer '${this.name}' needs input of shape [batch, steps, features], got ${formatShape(s)}`,
      );
    return [s[0]!, ...this.layer.computeOutputShape([s.slice(1)])];
  }

  protected override build(shapes: Shape[]): void {
    // Builds the inner layer for one step (its weights are the wrapper's: saved under its name).
    this.layer.apply(new SymbolicTensor(shapes[0]!.slice(1), this, []));
    this.params = this.layer.params;
  }

  plan(ctx: PlanContext): LayerOps {
    return this.layer.plan(ctx);
  }

  override endsInSigmoid(): boolean {
    return this.layer.endsInSigmoid();
  }

  override hasPenalty(): boolean {
    return this.layer.hasPenalty();
  }

  override dispose(): void {
    this.layer.dispose();
    this.disposed = true;
  }

  getOptions(): object {
    return { layer: { className: this.layer.className, name: this.layer.name, options: this.layer.getOptions() } };
  }
}
