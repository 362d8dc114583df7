// Pooling as ONNX MaxPool / AveragePool (channels-first) with Keras's pads made explicit, and
// global average pooling as ReduceMean over the spatial axes (in whatever layout the value is).
// Average pooling uses count_include_pad = 0: Keras (and Hourglass) average only real cells.
// MaxPool never counts pads (they act as -infinity), as Keras's max pooling.

import { convAxis } from '../../layers/conv_geometry.js';
import type { AveragePooling1D, MaxPooling1D } from '../../layers/pooling1d.js';
import type { AveragePooling2D, MaxPooling2D } from '../../layers/pooling2d.js';
import { sequenceAxis } from '../../layers/sequence_geometry.js';
import type { Value } from './graph_builder.js';
import type { MapContext } from './mapper.js';
import { attr } from './proto.js';
import { padAfter } from './window.js';

function poolNode(
  ctx: MapContext,
  op: 'MaxPool' | 'AveragePool',
  pool: number[],
  strides: number[],
  sizes: number[],
  before: number[],
  outs: number[],
): Value {
  const b = ctx.builder;
  const x = b.channelsFirst(ctx.inputs[0]!, ctx.base);
  const after = sizes.map((s, i) => padAfter(s, pool[i]!, strides[i]!, { out: outs[i]!, padBefore: before[i]! }));
  const attributes = [
    attr.ints('kernel_shape', pool),
    attr.ints('strides', strides),
    attr.ints('pads', [...before, ...after]),
  ];
  if (op === 'AveragePool') attributes.push(attr.int('count_include_pad', 0));
  return { name: b.node(op, [x.name], ctx.base, attributes), shape: ctx.outputShape, layout: 'channelsFirst' };
}

export function mapPooling2D(ctx: MapContext): Value {
  const l = ctx.layer as MaxPooling2D | AveragePooling2D;
  const [h, w] = ctx.inputs[0]!.shape as [number, number, number];
  const where = `layer '${l.name}'`;
  const axes = [0, 1].map((i) => convAxis([h, w][i]!, l.poolSize[i]!, l.strides[i]!, 1, l.padding, where));
  const op = l.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
  return poolNode(
    ctx,
    op,
    l.poolSize,
    l.strides,
    [h, w],
    axes.map((a) => a.padBefore),
    axes.map((a) => a.out),
  );
}

export function mapPooling1D(ctx: MapContext): Value {
  const l = ctx.layer as MaxPooling1D | AveragePooling1D;
  const steps = ctx.inputs[0]!.shape[0]!;
  const a = sequenceAxis(steps, l.poolSize, l.strides, 1, l.padding, `layer '${l.name}'`);
  const op = l.className === 'MaxPooling1D' ? 'MaxPool' : 'AveragePool';
  return poolNode(ctx, op, [l.poolSize], [l.strides], [steps], [a.padBefore], [a.out]);
}

export function mapGlobalAveragePooling(ctx: MapContext): Value {
  const b = ctx.builder,
    x = ctx.inputs[0]!;
  // Keras axes 1..rank-1 of [batch, ...spatial, channels] are the spatial ones.
  const axes = x.shape.slice(0, -1).map((_, i) => b.axisOf(x, i + 1));
  const y = b.node('ReduceMean', [x.name], ctx.base, [attr.ints('axes', axes), attr.int('keepdims', 0)]);
  return { name: y, shape: ctx.outputShape, layout: 'channelsLast' };
}
