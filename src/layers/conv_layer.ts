// What the convolution layers share beyond the kernel: the filter count and the window (kernel
// size, strides, dilation, padding), checked once, their saved options, and the kernels' window
// arguments. conv2d and conv2dTranspose window with pairs; conv1d and conv1dTranspose
// (conv1d_layer.ts) with single numbers, through the same base.

import { HourglassError } from '../engine/errors.js';
import { convWindow, type ConvPlanWindow, type ConvWindowOptions, type Padding } from './conv_geometry.js';
import type { Shape } from './layer.js';
import { KernelLayer, type KernelLayerOptions } from './kernel_layer.js';

/** A checked convolution window: numbers for 1-D layers, [height, width] pairs for 2-D ones. */
export interface CheckedWindow<Size, Pad> {
  kernelSize: Size;
  strides: Size;
  dilation: Size;
  padding: Pad;
}

export abstract class FilterLayer<Size, Pad> extends KernelLayer {
  readonly kernelSize: Size;
  readonly strides: Size;
  readonly dilation: Size;
  readonly padding: Pad;

  constructor(
    readonly filters: number,
    options: KernelLayerOptions,
    baseName: string,
    /** Checks the window options (after the filter count), naming the layer as `where`. */
    checkWindow: (where: string) => CheckedWindow<Size, Pad>,
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
    } = checkWindow(where));
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

export interface ConvLayerOptions extends KernelLayerOptions, ConvWindowOptions {}

export abstract class ConvLayer extends FilterLayer<[number, number], Padding> {
  constructor(filters: number, options: ConvLayerOptions, baseName: string) {
    super(filters, options, baseName, (where) => convWindow(options, where));
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

  /** The geometry of this input with the layer's kernel size, strides and dilation: what the plans take. */
  protected planWindow(shape: Shape): ConvPlanWindow {
    const [kh, kw] = this.kernelSize,
      [sh, sw] = this.strides,
      [dh, dw] = this.dilation;
    return { ...this.geometry(shape), kh, kw, sh, sw, dh, dw };
  }

  computeOutputShape(shapes: Shape[]): Shape {
    const g = this.geometry(this.singleInput(shapes));
    return [g.oh, g.ow, this.filters];
  }
}

/** A window without dilation: what the one-filter kernels take. */
export type UndilatedWindow = Omit<ConvPlanWindow, 'dh' | 'dw'>;

/** The image kernels' window arguments (im2col, col2im, convSingle), one image per sample. */
export function windowArgs(g: UndilatedWindow) {
  return {
    b: { perSample: 1 },
    h: g.h,
    w: g.w,
    c: g.c,
    oh: g.oh,
    ow: g.ow,
    kh: g.kh,
    kw: g.kw,
    sh: g.sh,
    sw: g.sw,
    pt: g.pt,
    pl: g.pl,
  };
}

/** windowArgs with the dilation (im2col, col2im). */
export function dilatedWindowArgs(g: ConvPlanWindow) {
  return { ...windowArgs(g), dh: g.dh, dw: g.dw };
}
