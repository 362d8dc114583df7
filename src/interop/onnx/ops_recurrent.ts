// lstm and gru as ONNX's LSTM and GRU ops, and the two layers around them in the sequence
// autoencoders (repeatVector as Unsqueeze + Expand, timeDistributed(dense) as the dense itself:
// MatMul broadcasts over the steps).
//
// Gate order. Keras's kernel columns are LSTM (i, f, c, o) and GRU (z, r, h); ONNX's W, R, B rows
// are LSTM (i, o, f, c) and GRU (z, r, h). W is [1, gates * units, features] (Keras's kernel
// transposed, blocks reordered), R likewise from the recurrent kernel, B = [Wb, Rb]: Keras's one
// bias goes in Wb with Rb zero, except GRU resetAfter's [2, 3u] bias whose rows are Wb and Rb.
// GRU resetAfter true is linear_before_reset = 1 (r multiplies h U + b_hU); false is 0 (r scales h
// before the product, Keras 1's form). Both update h = z h_prev + (1 - z) candidate, as ONNX.
//
// Layout. onnxruntime refuses layout = 1 (batch-major), so the op gets time-major X [T, N, F] by a
// Transpose, and its Y [T, 1, N, H] is squeezed and transposed back; without returnSequences the
// output is Y_h [1, N, H] squeezed. goBackwards is direction 'reverse': ONNX writes the reverse
// pass's Y by input time while Keras returns it in processing order, so Y is flipped (Gather with
// indices T-1..0); Y_h, the state after input step 0, is Keras's last output either way.

import { HourglassError } from '../../engine/errors.js';
import type { ResolvedActivation } from '../../layers/activations.js';
import type { GRU } from '../../layers/gru.js';
import type { LSTM } from '../../layers/lstm.js';
import type { RecurrentLayer } from '../../layers/recurrent.js';
import type { RepeatVector } from '../../layers/repeat_vector.js';
import type { TimeDistributed } from '../../layers/time_distributed.js';
import type { Value } from './graph_builder.js';
import { gateMatrix, gateVector } from '../recurrent_gates.js';
import { paramData, type MapContext } from './mapper.js';
import { mapDense } from './ops_dense.js';
import { attr, type AttributeProto } from './proto.js';

/** For each ONNX gate block, the Keras block it comes from. */
const LSTM_GATES = [0, 3, 1, 2]; // ONNX i, o, f, c <- Keras i, f, c, o
const GRU_GATES = [0, 1, 2]; // ONNX z, r, h <- Keras z, r, h

const ONNX_ACTIVATIONS: Partial<Record<ResolvedActivation['name'], string>> = {
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  linear: 'Affine',
  softplus: 'Softplus',
};

function activationAttributes(layer: RecurrentLayer, count: number): AttributeProto[] {
  // ONNX's f is the gates' activation, g the candidate's (and h, LSTM's, applied to the cell).
  const spec = [layer.recurrentActivation, ...Array.from({ length: count - 1 }, () => layer.activation)];
  const names = spec.map((a) => {
    const n = ONNX_ACTIVATIONS[a.name];
    if (!n) throw new HourglassError(`cannot export layer '${layer.name}' to ONNX: activation '${a.name}'`);
    return n;
  });
  const attributes = [attr.strings('activations', names)];
  // Affine (linear) reads alpha = 1, beta = 0. Every activation gets the same pair, so that the
  // values are right whether a runtime consumes them per activation or only for those that use them.
  if (names.includes('Affine'))
    attributes.push(
      attr.floats(
        'activation_alpha',
        names.map(() => 1),
      ),
      attr.floats(
        'activation_beta',
        names.map(() => 0),
      ),
    );
  return attributes;
}

function mapRecurrent(ctx: MapContext, op: 'LSTM' | 'GRU', order: number[], extra: AttributeProto[]): Value {
  const b = ctx.builder,
    layer = ctx.layer as RecurrentLayer;
  const x = ctx.inputs[0]!;
  const [steps, features] = x.shape as [number, number];
  const units = layer.units,
    width = order.length * units;
  // To time-major [T, N, F] from [N, T, F] (channels-last) or [N, F, T] (channels-first).
  const perm = x.layout === 'channelsFirst' ? [2, 0, 1] : [1, 0, 2];
  const xt = b.node('Transpose', [x.name], `${ctx.base}/time_major`, [attr.ints('perm', perm)]);
  const w = b.floatConstant(
    `${ctx.base}/W`,
    [1, width, features],
    gateMatrix(paramData(layer.kernel), features, units, order),
  );
  const r = b.floatConstant(
    `${ctx.base}/R`,
    [1, width, units],
    gateMatrix(paramData(layer.recurrentKernel), units, units, order),
  );
  const inputs = [xt, w, r];
  if (layer.bias) {
    const bias = paramData(layer.bias);
    const both = new Float32Array(2 * width);
    both.set(gateVector(bias, 0, units, order), 0);
    // GRU resetAfter's second row is the recurrent bias; otherwise Rb stays zero.
    if (bias.length === 2 * width) both.set(gateVector(bias, width, units, order), width);
    inputs.push(b.floatConstant(`${ctx.base}/B`, [1, 2 * width], both));
  }
  const attributes = [
    attr.int('hidden_size', units),
    attr.string('direction', layer.goBackwards ? 'reverse' : 'forward'),
    ...activationAttributes(layer, op === 'LSTM' ? 3 : 2),
    ...extra,
  ];
  const seq = layer.returnSequences;
  const [y, yh] = b.multiNode(op, inputs, ctx.base, [seq, !seq], attributes);
  if (!seq) {
    const axes = b.int64Constant(`${ctx.base}/direction_axis`, [0]);
    return {
      name: b.node('Squeeze', [yh!, axes], `${ctx.base}/last_state`),
      shape: ctx.outputShape,
      layout: 'channelsLast',
    };
  }
  const axes = b.int64Constant(`${ctx.base}/direction_axis`, [1]);
  let ys = b.node('Squeeze', [y!, axes], `${ctx.base}/states`);
  if (layer.goBackwards) {
    const reversed = b.int64Constant(
      `${ctx.base}/reversed_steps`,
      Array.from({ length: steps }, (_, i) => steps - 1 - i),
    );
    ys = b.node('Gather', [ys, reversed], `${ctx.base}/processing_order`, [attr.int('axis', 0)]);
  }
  const out = b.node('Transpose', [ys], `${ctx.base}/batch_major`, [attr.ints('perm', [1, 0, 2])]);
  return { name: out, shape: ctx.outputShape, layout: 'channelsLast' };
}

export function mapLSTM(ctx: MapContext): Value {
  void (ctx.layer as LSTM);
  return mapRecurrent(ctx, 'LSTM', LSTM_GATES, []);
}

export function mapGRU(ctx: MapContext): Value {
  const layer = ctx.layer as GRU;
  return mapRecurrent(ctx, 'GRU', GRU_GATES, [attr.int('linear_before_reset', layer.resetAfter ? 1 : 0)]);
}

export function mapRepeatVector(ctx: MapContext): Value {
  const b = ctx.builder,
    layer = ctx.layer as RepeatVector;
  const x = ctx.inputs[0]!;
  const axis = b.int64Constant(`${ctx.base}/step_axis`, [1]);
  const one = b.node('Unsqueeze', [x.name, axis], `${ctx.base}/one_step`);
  const shape = b.int64Constant(`${ctx.base}/shape`, [1, layer.n, x.shape[0]!]);
  return { name: b.node('Expand', [one, shape], ctx.base), shape: ctx.outputShape, layout: 'channelsLast' };
}

export function mapTimeDistributed(ctx: MapContext): Value {
  const layer = ctx.layer as TimeDistributed;
  if (layer.layer.className !== 'Dense')
    throw new HourglassError(
      `cannot export layer '${layer.name}' to ONNX: timeDistributed of ${layer.layer.className}`,
    );
  return mapDense({ ...ctx, layer: layer.layer });
}
