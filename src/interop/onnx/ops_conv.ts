// conv2d, conv2dTranspose, conv1d, conv1dTranspose as ONNX Conv / ConvTranspose, channels-first.
// Kernels are reordered from Keras's layouts to ONNX's:
//   conv2d          [kh, kw, in, filters]  -> Conv W          [filters, in, kh, kw]
//   conv2dTranspose [kh, kw, filters, in]  -> ConvTranspose W [in, filters, kh, kw]
//   conv1d          [k, in, filters]       -> Conv W          [filters, in, k]
//   conv1dTranspose [k, filters, in]       -> ConvTranspose W [in, filters, k]
// No kernel flip is needed: both Keras's and ONNX's ConvTranspose are the adjoint of the same
// cross-correlation. The bias goes in as the op's B input; the activation follows.

import { convAxis, transposedAxis, type Axis } from '../../layers/conv_geometry.js';
import type { Conv1D } from '../../layers/conv1d.js';
import type { Conv1DTranspose } from '../../layers/conv1d_transpose.js';
import type { Conv2D } from '../../layers/conv2d.js';
import type { Conv2DTranspose } from '../../layers/conv2d_transpose.js';
import type { KernelLayer } from '../../layers/kernel_layer.js';
import { sequenceAxis, transposedSequenceAxis } from '../../layers/sequence_geometry.js';
import type { Value } from './graph_builder.js';
import { paramData, permute, type MapContext } from './mapper.js';
import { applyActivation } from './ops_activation.js';
import { attr } from './proto.js';
import { padAfter, transposedPads } from './window.js';

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  sizes: number[];
  axes: Axis[];
}

function convNode(ctx: MapContext, w: Window, transposed: boolean): Value {
  const b = ctx.builder,
    layer = ctx.layer as KernelLayer;
  const x = b.channelsFirst(ctx.inputs[0]!, ctx.base);
  const spatial = w.kernel.length;
  // Keras kernel [...spatial, a, b] -> [b, a, ...spatial] (see the table above).
  const perm = [spatial + 1, spatial, ...w.kernel.map((_, i) => i)];
  const k = permute(paramData(layer.kernel), layer.kernel.shape, perm);
  const inputs = [x.name, b.floatConstant(`${ctx.base}/kernel`, k.shape, k.data)];
  if (layer.bias) inputs.push(b.floatConstant(`${ctx.base}/bias`, layer.bias.shape, paramData(layer.bias)));
  const spans = w.kernel.map((kk, i) => w.dilations[i]! * (kk - 1) + 1);
  const attributes = [
    attr.ints('kernel_shape', w.kernel),
    attr.ints('strides', w.strides),
    attr.ints('dilations', w.dilations),
  ];
  if (transposed) {
    const p = w.axes.map((a, i) => transposedPads(w.sizes[i]!, spans[i]!, w.strides[i]!, a));
    attributes.push(attr.ints('pads', [...p.map((q) => q.begin), ...p.map((q) => q.end)]));
    attributes.push(
      attr.ints(
        'output_padding',
        p.map((q) => q.outputPadding),
      ),
    );
  } else {
    const after = w.axes.map((a, i) => padAfter(w.sizes[i]!, spans[i]!, w.strides[i]!, a));
    attributes.push(attr.ints('pads', [...w.axes.map((a) => a.padBefore), ...after]));
  }
  const y = b.node(transposed ? 'ConvTranspose' : 'Conv', inputs, ctx.base, attributes);
  return applyActivation(b, { name: y, shape: ctx.outputShape, layout: 'channelsFirst' }, layer.activation, ctx.base);
}

export function mapConv2D(ctx: MapContext): Value {
  const l = ctx.layer as Conv2D;
  const [h, w] = ctx.inputs[0]!.shape as [number, number, number];
  const where = `layer '${l.name}'`;
  const axes = [0, 1].map((i) =>
    convAxis([h, w][i]!, l.kernelSize[i]!, l.strides[i]!, l.dilation[i]!, l.padding, where),
  );
  return convNode(ctx, { kernel: l.kernelSize, strides: l.strides, dilations: l.dilation, sizes: [h, w], axes }, false);
}

export function mapConv2DTranspose(ctx: MapContext): Value {
  const l = ctx.layer as Conv2DTranspose;
  const [h, w] = ctx.inputs[0]!.shape as [number, number, number];
  const axes = [0, 1].map((i) =>
    transposedAxis([h, w][i]!, l.kernelSize[i]!, l.strides[i]!, l.dilation[i]!, l.padding),
  );
  return convNode(ctx, { kernel: l.kernelSize, strides: l.strides, dilations: l.dilation, sizes: [h, w], axes }, true);
}

export function mapConv1D(ctx: MapContext): Value {
  const l = ctx.layer as Conv1D;
  const steps = ctx.inputs[0]!.shape[0]!;
  // 'causal' is explicit pads too: dilation (kernel - 1) at the start, none at the end.
  const a = sequenceAxis(steps, l.kernelSize, l.strides, l.dilation, l.padding, `layer '${l.name}'`);
  return convNode(
    ctx,
    { kernel: [l.kernelSize], strides: [l.strides], dilations: [l.dilation], sizes: [steps], axes: [a] },
    false,
  );
}

export function mapConv1DTranspose(ctx: MapContext): Value {
  const l = ctx.layer as Conv1DTranspose;
  const steps = ctx.inputs[0]!.shape[0]!;
  const a = transposedSequenceAxis(steps, l.kernelSize, l.strides, l.dilation, l.padding as 'same' | 'valid');
  return convNode(
    ctx,
    { kernel: [l.kernelSize], strides: [l.strides], dilations: [l.dilation], sizes: [steps], axes: [a] },
    true,
  );
}
