// batchNormalization in its inference form: ONNX BatchNormalization (training_mode 0) with the
// moving averages, which computes (x - mean) / sqrt(var + epsilon) * gamma + beta on axis 1, so
// the value goes channels-first (after a convolution it already is: no Transpose).

import type { BatchNormalization } from '../../layers/batch_normalization.js';
import type { Value } from './graph_builder.js';
import { paramData, type MapContext } from './mapper.js';
import { attr } from './proto.js';

export function mapBatchNormalization(ctx: MapContext): Value {
  const b = ctx.builder,
    l = ctx.layer as BatchNormalization;
  const x = b.channelsFirst(ctx.inputs[0]!, ctx.base);
  const c = (name: string, p: BatchNormalization['gamma']) =>
    b.floatConstant(`${ctx.base}/${name}`, p.shape, paramData(p));
  const inputs = [
    x.name,
    c('gamma', l.gamma),
    c('beta', l.beta),
    c('moving_mean', l.movingMean),
    c('moving_variance', l.movingVariance),
  ];
  const y = b.node('BatchNormalization', inputs, ctx.base, [attr.float('epsilon', l.epsilon)]);
  return { name: y, shape: ctx.outputShape, layout: 'channelsFirst' };
}
