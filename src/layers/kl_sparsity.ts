// klSparsity({target, weight}): the identity, adding weight * sum_j KL(target || mean_j) to the
// loss, where mean_j is unit j's mean activation over the batch: the sparse autoencoder's penalty
// (Ng's lecture notes), pushing each code unit to be active only a `target` share of the time.
// The activations must lie in (0, 1): put it after a sigmoid code.

import { HourglassError } from '../engine/errors.js';
import { hostOp, kernelOp } from '../engine/operation.js';
import { Layer, size, type LayerOptions, type LayerOps, type PlanContext, type Shape } from './layer.js';

export interface KLSparsityOptions extends LayerOptions {
  target?: number;
  weight?: number;
}

// Keeps the logarithms finite when a unit is fully off or on for a whole batch.
const EDGE = 1e-6;

export class KLSparsity extends Layer {
  readonly className = 'KLSparsity';
  readonly target: number;
  readonly weight: number;

  constructor(options: KLSparsityOptions = {}) {
    super(options, 'kl_sparsity');
    this.target = options.target ?? 0.05;
    this.weight = options.weight ?? 1;
    if (!(this.target > 0 && this.target < 1))
      throw new HourglassError(`klSparsity: target must be between 0 and 1, got ${this.target}`);
    if (!(this.weight >= 0 && Number.isFinite(this.weight)))
      throw new HourglassError(`klSparsity: weight must be a non-negative number, got ${this.weight}`);
  }

  computeOutputShape(shapes: Shape[]): Shape {
    return this.singleInput(shapes);
  }
  override hasPenalty(): boolean {
    return this.weight > 0;
  }

  plan(ctx: PlanContext): LayerOps {
    const d = size(ctx.outputShape);
    const x = ctx.inputs[0]!,
      y = ctx.output,
      dX = ctx.dInputs[0],
      dY = ctx.dOutput;
    const means = new Float64Array(d);
    const rho = this.target,
      w = this.weight;
    const unitMeans = (batch: number) => {
      const v = x.view();
      means.fill(0);
      for (let b = 0; b < batch; b++) for (let j = 0; j < d; j++) means[j]! += v[b * d + j]!;
      for (let j = 0; j < d; j++) means[j] = Math.min(1 - EDGE, Math.max(EDGE, means[j]! / batch));
    };
    const penalty = hostOp(
      `${ctx.name}.KL sparsity`,
      { reads: [x], writes: [] },
      (batch) => {
        unitMeans(batch);
        let kl = 0;
        for (let j = 0; j < d; j++) {
          const m = means[j]!;
          kl += rho * Math.log(rho / m) + (1 - rho) * Math.log((1 - rho) / (1 - m));
        }
        return w * kl;
      },
      { lossTerm: true },
    );
    const backward = dX
      ? [
          hostOp(`${ctx.name}.gradient`, { reads: [x, ...(dY ? [dY] : [])], writes: [dX] }, (batch) => {
            unitMeans(batch);
            const out = dX.view(),
              g = dY ? dY.view() : null,
              add = ctx.accumulateInputs[0];
            for (let b = 0; b < batch; b++) {
              for (let j = 0; j < d; j++) {
                const m = means[j]!;
                const v = (g ? g[b * d + j]! : 0) + (w / batch) * (-rho / m + (1 - rho) / (1 - m));
                const i = b * d + j;
                out[i] = add ? out[i]! + v : v;
              }
            }
          }),
        ]
      : [];
    return {
      forward: [kernelOp('copy', { n: { perSample: d }, src: x, dst: y })],
      backward,
      penalty: w > 0 ? [penalty] : [],
    };
  }
  getOptions(): object {
    return { target: this.target, weight: this.weight };
  }
}
