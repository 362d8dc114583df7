// activation(name): an activation as a layer of its own, as Keras `Activation`.

import { getEngine } from '../engine/kernels.js';
import { activationSpec, needsPreactivation, resolveActivation, type ActivationSpec, type ResolvedActivation } from './activations.js';
import { Layer, size, type LayerOptions, type LayerSteps, type PlanContext, type Shape } from './layer.js';

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ResolvedActivation;
  constructor(spec: ActivationSpec, options: LayerOptions = {}) {
    super(options, 'activation');
    this.activation = resolveActivation(spec, `layer '${this.name}'`);
  }
  computeOutputShape(shapes: Shape[]): Shape { return this.singleInput(shapes); }
  override endsInSigmoid(): boolean { return this.activation.name === 'sigmoid'; }

  plan(ctx: PlanContext): LayerSteps {
    const k = getEngine().kernels;
    const n = size(ctx.outputShape);
    const x = ctx.inputs[0]!, y = ctx.output, dX = ctx.dInputs[0], dY = ctx.dOutput;
    const a = this.activation;
    return {
      forward: (batch, training) => {
        if (training && ctx.logits) k.copy(batch * n, x.ptr, ctx.logits.ptr);
        else k.activationForward(batch * n, x.ptr, y.ptr, a.code, a.alpha);
      },
      backward: (batch) => {
        if (!dX || !dY) return;
        if (ctx.logits) { k.addTo(batch * n, dY.ptr, dX.ptr, ctx.accumulateInputs[0] ? 1 : 0); return; }
        const from = needsPreactivation(a) ? x : y;
        k.activationBackward(batch * n, from.ptr, dY.ptr, dX.ptr, a.code, a.alpha, ctx.accumulateInputs[0] ? 1 : 0);
      },
    };
  }
  getOptions(): object { return { activation: activationSpec(this.activation) }; }
}
