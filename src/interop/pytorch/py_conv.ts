// Convolutions as nn.Conv1d/2d and nn.ConvTranspose1d/2d on channels-first values, with Keras's
// padding made explicit. A convolution whose Keras padding is the same at both ends of every axis
// uses the module's `padding`; otherwise (TensorFlow's 'same' puts the odd cell at the end,
// 'causal' pads the start only) F.pad pads first and the module pads nothing. A transposed
// convolution runs unpadded, then its output is cropped where the convolution it is the adjoint of
// padded; when Keras's output is longer than that (kernel smaller than stride), output_padding adds
// the cells at the end.

import { convAxis, transposedAxis, type Axis } from '../../layers/conv_geometry.js';
import type { Conv1D } from '../../layers/conv1d.js';
import type { Conv1DTranspose } from '../../layers/conv1d_transpose.js';
import type { Conv2D } from '../../layers/conv2d.js';
import type { Conv2DTranspose } from '../../layers/conv2d_transpose.js';
import type { KernelLayer } from '../../layers/kernel_layer.js';
import { sequenceAxis, transposedSequenceAxis } from '../../layers/sequence_geometry.js';
import { padAfter, transposedPads } from '../onnx/window.js';
import type { PyContext } from './emitter.js';
import { applyActivation } from './py_dense.js';
import { fPad, tuple, type PyValue } from './writer.js';

interface ConvWindow {
  kernel: number[];
  strides: number[];
  dilations: number[];
  sizes: number[];
  axes: Axis[];
  padding: string;
}

function emitConv(ctx: PyContext, win: ConvWindow, transposed: boolean): PyValue {
  const l = ctx.layer as KernelLayer;
  const d = win.kernel.length;
  const x = ctx.w.channelsFirst(ctx.inputs[0]!);
  const inC = ctx.inputs[0]!.shape[d]!;
  const outC = ctx.outputShape[d]!;
  const spans = win.kernel.map((k, i) => win.dilations[i]! * (k - 1) + 1);
  const common = `kernel_size=${tuple(win.kernel)}, stride=${tuple(win.strides)}, dilation=${tuple(win.dilations)}`;
  const bias = `bias=${l.bias ? 'True' : 'False'}`;
  const what = `${l.name}: Keras padding '${win.padding}' on ${win.sizes.join('x')}`;
  let input = x.name;
  if (!transposed) {
    const pads = win.axes.map((a, i): [number, number] => [
      a.padBefore,
      padAfter(win.sizes[i]!, spans[i]!, win.strides[i]!, a),
    ]);
    const symmetric = pads.every(([b, a]) => a === b);
    ctx.w.init.push(
      `self.${ctx.attr} = nn.Conv${d}d(${inC}, ${outC}, ${common}, padding=${symmetric ? tuple(pads.map(([b]) => b)) : 0}, ${bias})`,
    );
    if (!symmetric) {
      ctx.w.assign(
        ctx.target,
        `F.pad(${input}, ${fPad(pads)})`,
        `${what}: pads (before, after) per axis ${JSON.stringify(pads)}`,
      );
      input = ctx.target;
    }
    ctx.w.assign(ctx.target, `self.${ctx.attr}(${input})`);
  } else {
    const p = win.axes.map((a, i) => transposedPads(win.sizes[i]!, spans[i]!, win.strides[i]!, a));
    ctx.w.init.push(
      `self.${ctx.attr} = nn.ConvTranspose${d}d(${inC}, ${outC}, ${common}, output_padding=${tuple(p.map((q) => q.outputPadding))}, ${bias})`,
    );
    ctx.w.assign(ctx.target, `self.${ctx.attr}(${input})`);
    if (p.some((q) => q.begin > 0 || q.end > 0)) {
      const full = win.sizes.map((s, i) => (s - 1) * win.strides[i]! + spans[i]! + p[i]!.outputPadding);
      const slices = p.map((q, i) => `${q.begin}:${full[i]! - q.end}`).join(', ');
      ctx.w.assign(
        ctx.target,
        `${ctx.target}[:, :, ${slices}]`,
        `${what}: crops what the adjoint convolution pads, ${JSON.stringify(p.map((q) => [q.begin, q.end]))}`,
      );
    }
  }
  return applyActivation(ctx, l.activation, { name: ctx.target, shape: ctx.outputShape, layout: 'channelsFirst' });
}

export function emitConv2D(ctx: PyContext): PyValue {
  const l = ctx.layer as Conv2D;
  const sizes = ctx.inputs[0]!.shape.slice(0, 2);
  const axes = [0, 1].map((i) =>
    convAxis(sizes[i]!, l.kernelSize[i]!, l.strides[i]!, l.dilation[i]!, l.padding, l.name),
  );
  return emitConv(
    ctx,
    { kernel: l.kernelSize, strides: l.strides, dilations: l.dilation, sizes, axes, padding: l.padding },
    false,
  );
}

export function emitConv2DTranspose(ctx: PyContext): PyValue {
  const l = ctx.layer as Conv2DTranspose;
  const sizes = ctx.inputs[0]!.shape.slice(0, 2);
  const axes = [0, 1].map((i) => transposedAxis(sizes[i]!, l.kernelSize[i]!, l.strides[i]!, l.dilation[i]!, l.padding));
  return emitConv(
    ctx,
    { kernel: l.kernelSize, strides: l.strides, dilations: l.dilation, sizes, axes, padding: l.padding },
    true,
  );
}

export function emitConv1D(ctx: PyContext): PyValue {
  const l = ctx.layer as Conv1D;
  const steps = ctx.inputs[0]!.shape[0]!;
  const a = sequenceAxis(steps, l.kernelSize, l.strides, l.dilation, l.padding, l.name);
  return emitConv(
    ctx,
    {
      kernel: [l.kernelSize],
      strides: [l.strides],
      dilations: [l.dilation],
      sizes: [steps],
      axes: [a],
      padding: l.padding,
    },
    false,
  );
}

export function emitConv1DTranspose(ctx: PyContext): PyValue {
  const l = ctx.layer as Conv1DTranspose;
  const steps = ctx.inputs[0]!.shape[0]!;
  const a = transposedSequenceAxis(steps, l.kernelSize, l.strides, l.dilation, l.padding as 'same' | 'valid');
  return emitConv(
    ctx,
    {
      kernel: [l.kernelSize],
      strides: [l.strides],
      dilations: [l.dilation],
      sizes: [steps],
      axes: [a],
      padding: l.padding,
    },
    true,
  );
}
