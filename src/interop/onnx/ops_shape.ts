// Layers that move values without arithmetic: flatten and reshape (row-major over the
// channels-last order, so they need channels-last), zero padding (Pad) and cropping (Slice) on the
// spatial axes of whatever layout the value has, and upsampling as Resize.

import type { Cropping1D, ZeroPadding1D } from '../../layers/padding1d.js';
import type { Cropping2D, ZeroPadding2D } from '../../layers/padding2d.js';
import type { Reshape } from '../../layers/reshape.js';
import type { UpSampling1D } from '../../layers/up_sampling1d.js';
import type { UpSampling2D } from '../../layers/up_sampling2d.js';
import type { Value } from './graph_builder.js';
import type { MapContext } from './mapper.js';
import { attr } from './proto.js';

export function mapFlatten(ctx: MapContext): Value {
  const b = ctx.builder;
  const x = b.channelsLast(ctx.inputs[0]!, ctx.base);
  return {
    name: b.node('Flatten', [x.name], ctx.base, [attr.int('axis', 1)]),
    shape: ctx.outputShape,
    layout: 'channelsLast',
  };
}

export function mapReshape(ctx: MapContext): Value {
  const b = ctx.builder;
  const x = b.channelsLast(ctx.inputs[0]!, ctx.base);
  // 0 keeps the (dynamic) batch size; the rest is the resolved target shape (no -1 left).
  const shape = b.int64Constant(`${ctx.base}/shape`, [0, ...ctx.outputShape]);
  void (ctx.layer as Reshape);
  return { name: b.node('Reshape', [x.name, shape], ctx.base), shape: ctx.outputShape, layout: 'channelsLast' };
}

/** Per Keras spatial axis (1-based), the cells added (padding) or removed (cropping) at each end. */
function spatialEnds(ctx: MapContext): [number, number][] {
  const l = ctx.layer as ZeroPadding2D | Cropping2D | ZeroPadding1D | Cropping1D;
  return 'sides' in l ? l.sides : [l.ends];
}

export function mapZeroPadding(ctx: MapContext): Value {
  const b = ctx.builder,
    x = ctx.inputs[0]!;
  const rank = x.shape.length + 1;
  const begin = new Array<number>(rank).fill(0),
    end = new Array<number>(rank).fill(0);
  spatialEnds(ctx).forEach(([lo, hi], i) => {
    const axis = b.axisOf(x, i + 1);
    begin[axis] = lo;
    end[axis] = hi;
  });
  const pads = b.int64Constant(`${ctx.base}/pads`, [...begin, ...end]);
  // Mode 'constant' with no value input pads with zeros.
  return {
    ...x,
    name: b.node('Pad', [x.name, pads], ctx.base, [attr.string('mode', 'constant')]),
    shape: ctx.outputShape,
  };
}

export function mapCropping(ctx: MapContext): Value {
  const b = ctx.builder,
    x = ctx.inputs[0]!;
  const ends = spatialEnds(ctx);
  const axes = ends.map((_, i) => b.axisOf(x, i + 1));
  const starts = ends.map(([lo]) => lo);
  const stops = ends.map(([, hi], i) => x.shape[i]! - hi);
  const inputs = [
    x.name,
    b.int64Constant(`${ctx.base}/starts`, starts),
    b.int64Constant(`${ctx.base}/ends`, stops),
    b.int64Constant(`${ctx.base}/axes`, axes),
  ];
  return { ...x, name: b.node('Slice', inputs, ctx.base), shape: ctx.outputShape };
}

/**
 * upSampling as Resize over channels-first values. 'nearest' repeats each cell: Resize's
 * 'asymmetric' coordinates with nearest_mode 'floor' map output i to input floor(i / factor)
 * exactly. 'bilinear' uses 'half_pixel' coordinates (source (i + 0.5) / factor - 0.5, clamped at
 * the edges), TensorFlow 2's and Hourglass's rule.
 */
function resize(ctx: MapContext, factors: number[], interpolation: 'nearest' | 'bilinear'): Value {
  const b = ctx.builder;
  const x = b.channelsFirst(ctx.inputs[0]!, ctx.base);
  const scales = b.floatConstant(`${ctx.base}/scales`, [factors.length + 2], [1, 1, ...factors]);
  const attributes =
    interpolation === 'nearest'
      ? [
          attr.string('mode', 'nearest'),
          attr.string('coordinate_transformation_mode', 'asymmetric'),
          attr.string('nearest_mode', 'floor'),
        ]
      : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel')];
  // The empty name is ONNX's "input not given" (roi is only used by tf_crop_and_resize).
  const y = b.node('Resize', [x.name, '', scales], ctx.base, attributes);
  return { name: y, shape: ctx.outputShape, layout: 'channelsFirst' };
}

export function mapUpSampling2D(ctx: MapContext): Value {
  const l = ctx.layer as UpSampling2D;
  return resize(ctx, l.size, l.interpolation);
}

export function mapUpSampling1D(ctx: MapContext): Value {
  const l = ctx.layer as UpSampling1D;
  return resize(ctx, [l.size], 'nearest');
}
