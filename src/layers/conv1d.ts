// conv1d(filters, {kernelSize, strides, padding: 'valid' | 'same' | 'causal', dilationRate,
// activation}): convolution along the steps of [batch, steps, features] sequences. It runs as a
// conv2d over [batch, 1, steps, features] (the same buffer): im2col + GEMM with the bias and the
// activation in the GEMM epilogue, or the direct one-filter kernels. Kernel [kernelSize, features,
// filters] as Keras, which is the conv2d kernel [1, kernelSize, features, filters] value for value.

import { HourglassError } from '../engine/errors.js';
import { planConvolution } from './conv2d.js';
import type { Axis } from './conv_geometry.js';
import { Conv1DLayer, type Conv1DLayerOptions } from './conv1d_layer.js';
import type { LayerOps, PlanContext, Shape } from './layer.js';
import { sequenceAxis } from './sequence_geometry.js';

export type Conv1DOptions = Conv1DLayerOptions;

export class Conv1D extends Conv1DLayer {
  readonly className = 'Conv1D';

  constructor(filters: number, options: Conv1DOptions) {
    super(filters, options, 'conv1d', true);
    if (this.strides > 1 && this.dilation > 1)
      throw new HourglassError(
        `layer '${this.name}': strides above 1 cannot be combined with dilationRate above 1 (as in Keras)`,
      );
  }

  protected axis(steps: number): Axis {
    return sequenceAxis(steps, this.kernelSize, this.strides, this.dilation, this.padding, `layer '${this.name}'`);
  }

  protected override build(shapes: Shape[]): void {
    this.buildKernel([this.kernelSize, shapes[0]![1]!, this.filters], this.filters);
  }

  plan(ctx: PlanContext): LayerOps {
    const window = this.window(ctx.inputShapes[0]!);
    return planConvolution(ctx, window, this.filters, this.activation, this.kernel, this.bias);
  }
}
