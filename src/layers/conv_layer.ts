// What conv2d and conv2dTranspose share beyond the kernel: the filter count and the window
// (kernel size, strides, dilation, padding), checked once, and their saved options.

import { HourglassError } from '../engine/errors.js';
import { convWindow, type ConvWindowOptions, type Padding } from './conv_geometry.js';
import type { Shape } from './layer.js';
import { KernelLayer, type KernelLayerOptions } from './kernel_layer.js';

export interface ConvLayerOptions extends KernelLayerOptions, ConvWindowOptions {}

export abstract class ConvLayer extends KernelLayer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilation: [number, number];
  readonly padding: Padding;

  constructor(
    readonly filters: number,
    options: ConvLayerOptions,
    baseName: string,
  ) {
    super(options, baseName);
    const where = `layer '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0)
      throw new HourglassError(`${where}: filters must be a positive integer, got ${filters}`);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilation: this.dilation,
      padding: this.padding,
    } = convWindow(options, where));
  }

  /** Input and output sizes and the padding before the first row and column. */
  protected abstract geometry(shape: Shape): {
    h: number;
    w: number;
    c: number;
    oh: number;
    ow: number;
    pt: number;
    pl: number;
  };

  computeOutputShape(shapes: Shape[]): Shape {
    const g = this.geometry(this.singleInput(shapes));
    return [g.oh, g.ow, this.filters];
  }

  getOptions(): object {
    return {
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilation,
      ...this.kernelConfig(),
    };
  }
}
