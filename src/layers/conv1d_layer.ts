// What conv1d and conv1dTranspose share: the window (kernel size, stride, dilation, padding)
// checked as single numbers, and the [1, steps] window the 2-D plans run on. The filter count and
// the saved options come from FilterLayer (conv_layer.ts), as for the 2-D layers.

import type { Axis, ConvPlanWindow } from './conv_geometry.js';
import { FilterLayer } from './conv_layer.js';
import type { KernelLayerOptions } from './kernel_layer.js';
import type { Shape } from './layer.js';
import { checkPadding1D, sequenceShape, single, type Padding1D, type Single } from './sequence_geometry.js';

export interface Conv1DWindowOptions {
  kernelSize: Single;
  strides?: Single;
  padding?: Padding1D;
  dilationRate?: Single;
}

export interface Conv1DLayerOptions extends KernelLayerOptions, Conv1DWindowOptions {}

export abstract class Conv1DLayer extends FilterLayer<number, Padding1D> {
  constructor(filters: number, options: Conv1DLayerOptions, baseName: string, allowCausal: boolean) {
    super(filters, options, baseName, (where) => ({
      kernelSize: single(options.kernelSize, 'kernelSize', where),
      strides: single(options.strides ?? 1, 'strides', where),
      dilation: single(options.dilationRate ?? 1, 'dilationRate', where),
      padding: checkPadding1D(options.padding ?? 'valid', where, allowCausal),
    }));
  }

  /** The steps axis: output length and the padding before the first step. */
  protected abstract axis(steps: number): Axis;

  /**
   * The window of the 2-D plan over [1, steps] images: input [1, steps, c] and output [1, out,
   * filters] for conv1d; for conv1dTranspose h/w are its input and oh/ow its output.
   */
  protected window(shape: Shape): ConvPlanWindow {
    const [steps, c] = sequenceShape(shape, `layer '${this.name}'`);
    const a = this.axis(steps);
    return {
      h: 1,
      w: steps,
      c,
      oh: 1,
      ow: a.out,
      kh: 1,
      kw: this.kernelSize,
      sh: 1,
      sw: this.strides,
      dh: 1,
      dw: this.dilation,
      pt: 0,
      pl: a.padBefore,
    };
  }

  computeOutputShape(shapes: Shape[]): Shape {
    return [this.window(this.singleInput(shapes)).ow, this.filters];
  }
}
