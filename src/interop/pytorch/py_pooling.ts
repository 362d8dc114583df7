// Pooling with Keras's pads made explicit: max pooling pads with -inf (a pad never wins, as in
// Keras), average pooling divides by the real cells only (keras_average_pool in the prelude);
// global average pooling is a mean over the spatial axes in whatever layout the value has.

import { convAxis, type Axis } from '../../layers/conv_geometry.js';
import type { AveragePooling1D, MaxPooling1D } from '../../layers/pooling1d.js';
import type { AveragePooling2D, MaxPooling2D } from '../../layers/pooling2d.js';
import { sequenceAxis } from '../../layers/sequence_geometry.js';
import { padAfter } from '../onnx/window.js';
import type { PyContext } from './emitter.js';
import { fPad, tuple, type PyValue } from './writer.js';

function emitPool(
  ctx: PyContext,
  max: boolean,
  pool: number[],
  strides: number[],
  sizes: number[],
  axes: Axis[],
  padding: string,
): PyValue {
  const d = pool.length;
  const x = ctx.w.channelsFirst(ctx.inputs[0]!);
  const pads = axes.map((a, i): [number, number] => [a.padBefore, padAfter(sizes[i]!, pool[i]!, strides[i]!, a)]);
  const padded = pads.some(([b, a]) => b > 0 || a > 0);
  const comment = padded
    ? `${ctx.layer.name}: Keras padding '${padding}', pads (before, after) per axis ${JSON.stringify(pads)}`
    : undefined;
  if (max) {
    const input = padded ? `F.pad(${x.name}, ${fPad(pads)}, value=float("-inf"))` : x.name;
    ctx.w.assign(ctx.target, `F.max_pool${d}d(${input}, ${tuple(pool)}, ${tuple(strides)})`, comment);
  } else if (padded) {
    ctx.w.helpers.add('avgPool');
    ctx.w.assign(
      ctx.target,
      `keras_average_pool(${x.name}, ${tuple(pool)}, ${tuple(strides)}, ${fPad(pads)})`,
      comment,
    );
  } else {
    ctx.w.assign(ctx.target, `F.avg_pool${d}d(${x.name}, ${tuple(pool)}, ${tuple(strides)})`);
  }
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsFirst' };
}

export function emitPooling2D(ctx: PyContext): PyValue {
  const l = ctx.layer as MaxPooling2D | AveragePooling2D;
  const sizes = ctx.inputs[0]!.shape.slice(0, 2);
  const axes = [0, 1].map((i) => convAxis(sizes[i]!, l.poolSize[i]!, l.strides[i]!, 1, l.padding, l.name));
  return emitPool(ctx, l.className === 'MaxPooling2D', l.poolSize, l.strides, sizes, axes, l.padding);
}

export function emitPooling1D(ctx: PyContext): PyValue {
  const l = ctx.layer as MaxPooling1D | AveragePooling1D;
  const steps = ctx.inputs[0]!.shape[0]!;
  const a = sequenceAxis(steps, l.poolSize, l.strides, 1, l.padding, l.name);
  return emitPool(ctx, l.className === 'MaxPooling1D', [l.poolSize], [l.strides], [steps], [a], l.padding);
}

export function emitGlobalAveragePooling(ctx: PyContext): PyValue {
  const x = ctx.inputs[0]!;
  const axes = x.shape.slice(0, -1).map((_, i) => ctx.w.axisOf(x, i + 1));
  ctx.w.assign(ctx.target, `${x.name}.mean(dim=${tuple(axes)})`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
}
