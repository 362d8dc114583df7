// The operations of a layer that passes its input through unchanged (reshape, flatten, and the
// noise layers at inference): a copy forward and the output gradient added back.

import { flag, kernelOp } from '../engine/operation.js';
import { size, type LayerOps, type PlanContext } from './layer.js';

export function identityOps(ctx: PlanContext): LayerOps {
  const n = { perSample: size(ctx.outputShape) };
  const x = ctx.inputs[0]!,
    y = ctx.output,
    dX = ctx.dInputs[0],
    dY = ctx.dOutput;
  return {
    forward: [kernelOp('copy', { n, src: x, dst: y })],
    backward: dX && dY ? [kernelOp('addTo', { n, x: dY, y: dX, accumulate: flag(ctx.accumulateInputs[0]) })] : [],
  };
}
