// dense: MatMul with the Keras kernel [in, units] as it is (ONNX MatMul broadcasts over leading
// axes, so Keras's dense on the last axis of a sequence maps too), then Add of the bias and the
// activation. It needs channels-last: the last axis must be the features.

import type { Dense } from '../../layers/dense.js';
import type { Value } from './graph_builder.js';
import { paramData, type MapContext } from './mapper.js';
import { applyActivation } from './ops_activation.js';

export function mapDense(ctx: MapContext): Value {
  const b = ctx.builder,
    layer = ctx.layer as Dense;
  const x = b.channelsLast(ctx.inputs[0]!, ctx.base);
  const w = b.floatConstant(`${ctx.base}/kernel`, layer.kernel.shape, paramData(layer.kernel));
  let y = b.node('MatMul', [x.name, w], `${ctx.base}/matmul`);
  if (layer.bias) {
    const bias = b.floatConstant(`${ctx.base}/bias`, layer.bias.shape, paramData(layer.bias));
    y = b.node('Add', [y, bias], `${ctx.base}/add_bias`);
  }
  return applyActivation(b, { name: y, shape: ctx.outputShape, layout: 'channelsLast' }, layer.activation, ctx.base);
}
