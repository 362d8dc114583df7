// lstm and gru weights <-> PyTorch.
//
// With tanh / sigmoid (and, for gru, resetAfter) the layer is nn.LSTM / nn.GRU:
//   LSTM: PyTorch's row blocks i, f, g, o are Keras's column blocks i, f, c, o: weight_ih_l0 =
//         kernel^T, weight_hh_l0 = recurrentKernel^T. Keras's one bias is bias_ih + bias_hh (both
//         enter every gate as a sum): exported as bias_ih = bias, bias_hh = 0, imported as the sum.
//   GRU:  PyTorch's blocks r, z, n from Keras's z, r, h (its equations are Keras's resetAfter);
//         the bias's rows [2, 3u] are bias_ih_l0 and bias_hh_l0, reordered the same way.
// Otherwise model.py has a written-out KerasLSTM / KerasGRU module whose parameters are Keras's
// own (kernel, recurrent_kernel, bias), in Keras's layout.

import type { GRU } from '../../layers/gru.js';
import type { Layer, Param } from '../../layers/layer.js';
import type { RecurrentLayer } from '../../layers/recurrent.js';
import { gateMatrix, gateVector, kerasGateMatrix, kerasGateVector } from '../recurrent_gates.js';
import { permutedLink, type WeightLink } from './links.js';

const TORCH_LSTM_GATES = [0, 1, 2, 3]; // PyTorch i, f, g, o <- Keras i, f, c, o
const TORCH_GRU_GATES = [1, 0, 2]; // PyTorch r, z, n <- Keras z, r, h

const isRecurrent = (layer: Layer): layer is RecurrentLayer => layer.className === 'LSTM' || layer.className === 'GRU';

/** Whether PyTorch's own nn.LSTM / nn.GRU computes this layer (else model.py writes it out). */
export function torchModuleFits(layer: RecurrentLayer): boolean {
  if (layer.activation.name !== 'tanh' || layer.recurrentActivation.name !== 'sigmoid') return false;
  return layer.className === 'LSTM' || (layer as GRU).resetAfter;
}

function gateLink(param: Param, torchName: string, units: number, order: number[]): WeightLink {
  const [rows, width] = param.shape as [number, number];
  return {
    param,
    parts: [{ name: torchName, shape: [width, rows] }],
    toTorch: (data) => [gateMatrix(data, rows, units, order)],
    fromTorch: ([data]) => kerasGateMatrix(data!, rows, units, order),
    perm: null,
    transform: `transposed, gate blocks [${order.join(', ')}] of Keras's`,
  };
}

function biasLink(param: Param, attribute: string, units: number, order: number[]): WeightLink {
  const width = order.length * units;
  const split = param.shape.length === 2; // GRU resetAfter: [input bias, recurrent bias]
  const parts = ['bias_ih_l0', 'bias_hh_l0'].map((n) => ({ name: `${attribute}.${n}`, shape: [width] }));
  return {
    param,
    parts,
    toTorch: (data) =>
      split
        ? [gateVector(data, 0, units, order), gateVector(data, width, units, order)]
        : [gateVector(data, 0, units, order), new Float32Array(width)],
    fromTorch: ([ih, hh]) => {
      if (split) {
        const out = new Float32Array(2 * width);
        out.set(kerasGateVector(ih!, units, order), 0);
        out.set(kerasGateVector(hh!, units, order), width);
        return out;
      }
      const sum = ih!.map((v, i) => v + hh![i]!);
      return kerasGateVector(sum, units, order);
    },
    perm: null,
    transform: split
      ? `rows are bias_ih and bias_hh, gate blocks [${order.join(', ')}] of Keras's`
      : `bias_ih + bias_hh, gate blocks [${order.join(', ')}] of Keras's (exported with bias_hh = 0)`,
  };
}

export function recurrentLinks(layer: Layer, attribute: string): WeightLink[] | null {
  if (!isRecurrent(layer)) return null;
  const keras = { kernel: 'kernel', recurrentKernel: 'recurrent_kernel', bias: 'bias' } as Record<string, string>;
  if (!torchModuleFits(layer)) return layer.params.map((p) => permutedLink(p, `${attribute}.${keras[p.name]!}`, null));
  const order = layer.className === 'LSTM' ? TORCH_LSTM_GATES : TORCH_GRU_GATES;
  return layer.params.map((p) => {
    if (p.name === 'kernel') return gateLink(p, `${attribute}.weight_ih_l0`, layer.units, order);
    if (p.name === 'recurrentKernel') return gateLink(p, `${attribute}.weight_hh_l0`, layer.units, order);
    return biasLink(p, attribute, layer.units, order);
  });
}
