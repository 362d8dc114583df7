// conv1dTranspose(filters, {kernelSize, strides, padding: 'valid' | 'same', dilationRate,
// activation}): the adjoint of conv1d, used by sequence decoders to upsample. It runs as a
// conv2dTranspose over [batch, 1, steps, features]; the output length is Keras's: steps * stride
// ('same') or steps * stride + max(kernel - stride, 0) ('valid'). Kernel [kernelSize, filters,
// features] as Keras.

import type { Axis } from './conv_geometry.js';
import { planTransposedConvolution } from './conv2d_transpose.js';
import { Conv1DLayer, type Conv1DLayerOptions } from './conv1d_layer.js';
import type { LayerOps, PlanContext, Shape } from './layer.js';
import { transposedSequenceAxis } from './sequence_geometry.js';

export interface Conv1DTransposeOptions extends Conv1DLayerOptions {
  padding?: 'valid' | 'same';
}

export class Conv1DTranspose extends Conv1DLayer {
  readonly className = 'Conv1DTranspose';

  constructor(filters: number, options: Conv1DTransposeOptions) {
    // Causal padding has no transposed counterpart in Keras: refused by the padding check.
    super(filters, options, 'conv1d_transpose', false);
  }

  protected axis(steps: number): Axis {
    return transposedSequenceAxis(
      steps,
      this.kernelSize,
      this.strides,
      this.dilation,
      this.padding as 'same' | 'valid',
    );
  }

  protected override build(shapes: Shape[]): void {
    this.buildKernel([this.kernelSize, this.filters, shapes[0]![1]!], this.filters);
  }

  plan(ctx: PlanContext): LayerOps {
    const window = this.window(ctx.inputShapes[0]!);
    return planTransposedConvolution(ctx, window, this.filters, this.activation, this.kernel, this.bias);
  }
}
