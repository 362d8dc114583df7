// Activations as ONNX ops. Element-wise, so they work in either layout and never add a Transpose.

import type { ResolvedActivation } from '../../layers/activations.js';
import { type Activation } from '../../layers/activation.js';
import type { OnnxGraphBuilder, Value } from './graph_builder.js';
import type { MapContext } from './mapper.js';
import { attr } from './proto.js';

export function applyActivation(b: OnnxGraphBuilder, v: Value, a: ResolvedActivation, base: string): Value {
  const out = (name: string): Value => ({ ...v, name });
  switch (a.name) {
    case 'linear':
      return v;
    case 'relu':
      return out(b.node('Relu', [v.name], `${base}/relu`));
    case 'leakyRelu':
      return out(b.node('LeakyRelu', [v.name], `${base}/leaky_relu`, [attr.float('alpha', a.alpha)]));
    case 'elu':
      return out(b.node('Elu', [v.name], `${base}/elu`, [attr.float('alpha', a.alpha)]));
    case 'sigmoid':
      return out(b.node('Sigmoid', [v.name], `${base}/sigmoid`));
    case 'tanh':
      return out(b.node('Tanh', [v.name], `${base}/tanh`));
    case 'softplus':
      // ONNX Softplus is log(exp(x) + 1); onnxruntime evaluates it without overflow, as Hourglass's
      // max(x, 0) + log1p(exp(-|x|)).
      return out(b.node('Softplus', [v.name], `${base}/softplus`));
    case 'gelu': {
      // Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), as Hourglass computes it. ONNX has a Gelu op only
      // from opset 20, so it is spelled out with Erf (opset 9+).
      const invSqrt2 = b.floatConstant(`${base}/gelu/inv_sqrt2`, [], [Math.SQRT1_2]);
      const one = b.floatConstant(`${base}/gelu/one`, [], [1]);
      const half = b.floatConstant(`${base}/gelu/half`, [], [0.5]);
      const scaled = b.node('Mul', [v.name, invSqrt2], `${base}/gelu/scaled`);
      const erf = b.node('Erf', [scaled], `${base}/gelu/erf`);
      const cdf = b.node('Add', [erf, one], `${base}/gelu/one_plus_erf`);
      const xs = b.node('Mul', [v.name, cdf], `${base}/gelu/x_cdf`);
      return out(b.node('Mul', [xs, half], `${base}/gelu`));
    }
  }
}

export function mapActivation(ctx: MapContext): Value {
  const layer = ctx.layer as Activation;
  return applyActivation(ctx.builder, ctx.inputs[0]!, layer.activation, ctx.base);
}
