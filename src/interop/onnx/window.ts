// Keras's window arithmetic made explicit as ONNX pads: TensorFlow's 'same' puts the odd padding
// cell at the end (bottom/right), while ONNX's auto_pad SAME_UPPER would too but hides the numbers
// and cannot express 'causal'; explicit pads say exactly what Keras does on every axis.

import type { Axis } from '../../layers/conv_geometry.js';

/** Padding after the last cell so that ONNX's floor((size + pads - span) / stride) + 1 is `out`. */
export function padAfter(size: number, span: number, stride: number, a: Axis): number {
  return Math.max(0, (a.out - 1) * stride + span - size - a.padBefore);
}

/**
 * A transposed convolution's pads and output_padding. ONNX's output size is
 * stride (in - 1) + output_padding + span - pads_begin - pads_end; Keras's is `a.out`, with the
 * convolution it is the adjoint of padding `a.padBefore` at the start. When Keras's output is longer
 * than the full transposed convolution (kernel smaller than stride, 'same'), output_padding adds the
 * missing cells at the end (they receive only the bias, as in Keras).
 */
export function transposedPads(
  size: number,
  span: number,
  stride: number,
  a: Axis,
): { begin: number; end: number; outputPadding: number } {
  const full = (size - 1) * stride + span;
  const total = Math.max(full - a.out, 0);
  return { begin: a.padBefore, end: total - a.padBefore, outputPadding: a.out - (full - total) };
}
