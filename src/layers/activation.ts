// activation(name): an activation as a layer of its own, as Keras `Activation`.

import { flag, kernelOp } from '../engine/operation.js';
import {
  activationSpec,
  needsPreactivation,
  resolveActivation,
  type ActivationSpec,
  type ResolvedActivation,
} from './activations.js';
import { Layer, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ResolvedActivation;
  constructor(spec: ActivationSpec, options: LayerOptions = {}) {
    super(options, 'activation');
    this.activation = resolveActivation(spec, `layer '${this.name}'`);
  }
  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }
  override endsInSigmoid(): boolean {
    return this.activation.name === 'sigmoid';
  }

  plan(ctx: PlanContext): LayerOps {
    const n = { perSample: size(ctx.outputShape) };
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0],
      dY = ctx.dOutput;
    const a = this.activation;
    const acc = flag(ctx.accumulateInputs[0]);
    // The input is this layer's pre-activation, so backward never needs a buffer of its own.
    if (ctx.mode === 'train' && ctx.logits) {
      return {
        forward: [kernelOp('copy', { n, src: x, dst: ctx.logits })],
        backward: dX && dY ? [kernelOp('addTo', { n, x: dY, y: dX, accumulate: acc })] : [],
      };
    }
    return {
      forward: [kernelOp('activationForward', { n, x, y, act: a.code, alpha: a.alpha })],
      backward:
        dX && dY
          ? [
              kernelOp('activationBackward', {
                n,
                y: needsPreactivation(a) ? x : y,
                dy: dY,
                dz: dX,
                act: a.code,
                alpha: a.alpha,
                accumulate: acc,
              }),
            ]
          : [],
    };
  }
  getOptions(): object {
    return { activation: activationSpec(this.activation) };
  }
}
