// Window sizes of the 1-D layers over sequences [batch, steps, features], Keras conventions.
// The 1-D layers run as their 2-D counterparts over [batch, 1, steps, features] (the same buffer),
// so what is particular to them is here: the sequence shape, single sizes, causal padding, and the
// transposed-convolution length Keras computes.

import { HourglassError } from '../engine/errors.js';
import type { Axis } from './conv_geometry.js';

export type Padding1D = 'valid' | 'same' | 'causal';
/** A size along the steps: a number, or a one-number array as Keras accepts. */
export type Single = number | [number];

export function single(v: Single, what: string, where: string, min = 1): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min)
    throw new HourglassError(
      `${where}: ${what} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(v)}`,
    );
  return n;
}

/** Requires a [steps, features] input. */
export function sequenceShape(shape: number[], where: string): [number, number] {
  if (shape.length !== 2)
    throw new HourglassError(
      `${where} expects sequences [batch, steps, features], got [batch, ${shape.join(', ')}]` +
        (shape.length === 1 ? ' (reshape to [steps, 1] for one feature per step)' : ''),
    );
  return [shape[0]!, shape[1]!];
}

export function checkPadding1D(p: unknown, where: string, causal: boolean): Padding1D {
  if (p === 'same' || p === 'valid' || (causal && p === 'causal')) return p;
  const allowed = causal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'";
  const hint = p === 'causal' ? ' (causal padding is for conv1d only)' : '';
  throw new HourglassError(`${where}: padding must be ${allowed}, got ${JSON.stringify(p)}${hint}`);
}

/**
 * The steps axis of a convolution or pooling window. 'causal' pads dilation * (kernel - 1) zeros on
 * the left only, so output t sees inputs up to t (Keras pads, then convolves 'valid').
 */
export function sequenceAxis(
  steps: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding1D,
  where: string,
): Axis {
  const span = dilation * (kernel - 1) + 1;
  if (padding === 'causal') return { out: Math.floor((steps - 1) / stride) + 1, padBefore: span - 1 };
  if (padding === 'valid') {
    if (steps < span)
      throw new HourglassError(
        `${where}: the input has ${steps} steps, fewer than the window (${span}) with padding 'valid'`,
      );
    return { out: Math.floor((steps - span) / stride) + 1, padBefore: 0 };
  }
  const out = Math.ceil(steps / stride);
  const total = Math.max((out - 1) * stride + span - steps, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/**
 * The output length of a transposed convolution as Keras computes it (deconv_output_length):
 * steps * stride ('same') or steps * stride + max(span - stride, 0) ('valid'); padBefore is what
 * the convolution this is the adjoint of pads on the left (TensorFlow's 'same' split).
 */
export function transposedSequenceAxis(
  steps: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'same' | 'valid',
): Axis {
  const span = dilation * (kernel - 1) + 1;
  const out = steps * stride + (padding === 'valid' ? Math.max(span - stride, 0) : 0);
  const total = Math.max((steps - 1) * stride + span - out, 0);
  return { out, padBefore: Math.floor(total / 2) };
}
