// Output sizes and padding of convolutions and pooling windows, TensorFlow/Keras conventions:
// 'same' gives ceil(size / stride) with the extra padding at the bottom/right.

import { HourglassError } from '../engine/errors.js';

export type Padding = 'same' | 'valid';
export type Pair = number | [number, number];

export function pair(v: Pair, what: string, where: string, min = 1): [number, number] {
  const p: [number, number] = Array.isArray(v) ? [v[0], v[1]] : [v, v];
  if (p.some((x) => !Number.isInteger(x) || x < min))
    throw new HourglassError(
      `${where}: ${what} must be ${min === 0 ? 'non-negative' : 'positive'} integers, got ${JSON.stringify(v)}`,
    );
  return p;
}

export function checkPadding(p: unknown, where: string): Padding {
  if (p !== 'same' && p !== 'valid')
    throw new HourglassError(`${where}: padding must be 'same' or 'valid', got ${JSON.stringify(p)}`);
  return p;
}

export interface Axis {
  out: number;
  padBefore: number;
}

/** One spatial axis of a convolution or pooling window. */
export function convAxis(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
  where: string,
): Axis {
  const span = dilation * (kernel - 1) + 1;
  if (padding === 'valid') {
    if (size < span)
      throw new HourglassError(
        `${where}: input size ${size} is smaller than the window (${span}) with padding 'valid'`,
      );
    return { out: Math.floor((size - span) / stride) + 1, padBefore: 0 };
  }
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** Output size of a transposed convolution (the size whose convolution gives `size`). */
export function transposedAxis(size: number, kernel: number, stride: number, dilation: number, padding: Padding): Axis {
  const span = dilation * (kernel - 1) + 1;
  const out = padding === 'same' ? size * stride : (size - 1) * stride + span;
  const total = Math.max((size - 1) * stride + span - out, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** Requires a [height, width, channels] input. */
export function imageShape(shape: number[], where: string): [number, number, number] {
  if (shape.length !== 3)
    throw new HourglassError(
      `${where} expects images [batch, height, width, channels], got [batch, ${shape.join(', ')}]`,
    );
  return [shape[0]!, shape[1]!, shape[2]!];
}

export interface ConvWindowOptions {
  kernelSize: Pair;
  strides?: Pair;
  padding?: Padding;
  dilationRate?: Pair;
}
export interface ConvWindow {
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
}

/** The window options of conv2d and conv2dTranspose, checked (Keras defaults: stride 1, 'valid'). */
export function convWindow(o: ConvWindowOptions, where: string): ConvWindow {
  return {
    kernelSize: pair(o.kernelSize, 'kernelSize', where),
    strides: pair(o.strides ?? 1, 'strides', where),
    dilation: pair(o.dilationRate ?? 1, 'dilationRate', where),
    padding: checkPadding(o.padding ?? 'valid', where),
  };
}

/** A convolution window over [h, w, c] inputs: sizes, kernel, strides, dilation, leading padding. */
export interface ConvPlanWindow {
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
}
