// The operations of a layer that passes its input through unchanged (reshape, flatten, and the
// noise layers at inference): a copy forward and the output gradient added back.

import type { Buf } from '../engine/memory.js';
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

/** What a training-only noise layer (dropout, Gaussian noise, input corruptions) plans with. */
export interface NoiseLayerBuffers {
  /** Values per sample, and the element count of its kernels. */
  values: number;
  n: { perSample: number };
  x: Buf;
  y: Buf;
  dX: Buf | null | undefined;
  dY: Buf | null;
  /** Whether dX accumulates (another branch also feeds the input). */
  acc: number;
}

/**
 * The buffers of a noise layer that draws in training, or null where it is the identity: at
 * inference, and when `active` is false (a rate or a deviation of zero).
 */
export function noiseLayerBuffers(ctx: PlanContext, active: boolean): NoiseLayerBuffers | null {
  if (ctx.mode === 'infer' || !active) return null;
  const values = size(ctx.outputShape);
  return {
    values,
    n: { perSample: values },
    x: ctx.inputs[0]!,
    y: ctx.output,
    dX: ctx.dInputs[0],
    dY: ctx.dOutput,
    acc: flag(ctx.accumulateInputs[0]),
  };
}
