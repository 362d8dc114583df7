// flatten and reshape (row-major over the channels-last order, as Keras: they permute back to
// channels-last first), zero padding (F.pad) and cropping (slices) on the spatial axes of the
// value's layout, and upsampling with F.interpolate: 'nearest' repeats cells exactly, 'bilinear'
// with align_corners=False is the half-pixel rule TensorFlow 2 and Hourglass use.

import type { Cropping1D, ZeroPadding1D } from '../../layers/padding1d.js';
import type { Cropping2D, ZeroPadding2D } from '../../layers/padding2d.js';
import type { UpSampling1D } from '../../layers/up_sampling1d.js';
import type { UpSampling2D } from '../../layers/up_sampling2d.js';
import type { PyContext } from './emitter.js';
import { tuple, type PyValue } from './writer.js';

export function emitFlatten(ctx: PyContext): PyValue {
  const x = ctx.w.channelsLast(ctx.inputs[0]!);
  ctx.w.assign(ctx.target, `${x.name}.flatten(1)`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
}

export function emitReshape(ctx: PyContext): PyValue {
  const x = ctx.w.channelsLast(ctx.inputs[0]!);
  ctx.w.assign(ctx.target, `${x.name}.reshape(${x.name}.shape[0], ${ctx.outputShape.join(', ')})`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
}

function spatialEnds(ctx: PyContext): [number, number][] {
  const l = ctx.layer as ZeroPadding2D | Cropping2D | ZeroPadding1D | Cropping1D;
  return 'sides' in l ? l.sides : [l.ends];
}

export function emitZeroPadding(ctx: PyContext): PyValue {
  const x = ctx.inputs[0]!;
  const rank = x.shape.length + 1;
  const pads: number[] = [];
  // F.pad lists (before, after) from the last axis backwards, up to the first padded one.
  const byAxis = new Map(spatialEnds(ctx).map((e, i) => [ctx.w.axisOf(x, i + 1), e] as const));
  const first = Math.min(...byAxis.keys());
  for (let axis = rank - 1; axis >= first; axis--) pads.push(...(byAxis.get(axis) ?? [0, 0]));
  ctx.w.assign(ctx.target, `F.pad(${x.name}, ${tuple(pads)})`);
  return { ...x, name: ctx.target, shape: ctx.outputShape };
}

export function emitCropping(ctx: PyContext): PyValue {
  const x = ctx.inputs[0]!;
  const rank = x.shape.length + 1;
  const slices = new Array<string>(rank).fill(':');
  spatialEnds(ctx).forEach(([lo, hi], i) => {
    slices[ctx.w.axisOf(x, i + 1)] = `${lo}:${x.shape[i]! - hi}`;
  });
  ctx.w.assign(ctx.target, `${x.name}[${slices.join(', ')}]`);
  return { ...x, name: ctx.target, shape: ctx.outputShape };
}

export function emitUpSampling2D(ctx: PyContext): PyValue {
  const l = ctx.layer as UpSampling2D;
  const x = ctx.w.channelsFirst(ctx.inputs[0]!);
  const mode = l.interpolation === 'nearest' ? `mode="nearest"` : `mode="bilinear", align_corners=False`;
  ctx.w.assign(ctx.target, `F.interpolate(${x.name}, scale_factor=${tuple(l.size)}, ${mode})`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsFirst' };
}

export function emitUpSampling1D(ctx: PyContext): PyValue {
  const l = ctx.layer as UpSampling1D;
  const x = ctx.w.channelsFirst(ctx.inputs[0]!);
  ctx.w.assign(ctx.target, `F.interpolate(${x.name}, scale_factor=${l.size}, mode="nearest")`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsFirst' };
}
