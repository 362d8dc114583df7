// lstm and gru as nn.LSTM / nn.GRU (batch_first=True) where PyTorch's module computes exactly the
// layer (tanh and sigmoid; GRU with resetAfter, which is PyTorch's GRU), otherwise as the
// written-out KerasLSTM / KerasGRU modules of model.py (any of the layers' activations, GRU with
// the reset gate before the recurrent product). goBackwards is x.flip(1) before the module: Keras
// runs the sequence from its end and returns the outputs in that processing order, which is what
// the module gives on the flipped sequence. Without returnSequences the output is the last
// step's state.
// repeatVector is x.unsqueeze(1).repeat(...); timeDistributed(dense) is the dense itself
// (nn.Linear works on the last axis).

import type { GRU } from '../../layers/gru.js';
import type { RecurrentLayer } from '../../layers/recurrent.js';
import type { RepeatVector } from '../../layers/repeat_vector.js';
import type { TimeDistributed } from '../../layers/time_distributed.js';
import type { PyContext } from './emitter.js';
import { emitDense } from './py_dense.js';
import { torchModuleFits } from './recurrent_weights.js';
import type { PyValue } from './writer.js';

const py = (b: boolean): string => (b ? 'True' : 'False');

export function emitRecurrent(ctx: PyContext): PyValue {
  const l = ctx.layer as RecurrentLayer;
  const x = ctx.w.channelsLast(ctx.inputs[0]!);
  const features = ctx.inputs[0]!.shape[1]!;
  const self = `self.${ctx.attr}`;
  if (!torchModuleFits(l)) {
    ctx.w.helpers.add('kerasRecurrent');
    const reset = l.className === 'GRU' ? `, reset_after=${py((l as GRU).resetAfter)}` : '';
    ctx.w.init.push(
      `${self} = Keras${l.className}(${features}, ${l.units}, activation="${l.activation.name}", recurrent_activation="${l.recurrentActivation.name}", bias=${py(l.useBias)}${reset}, return_sequences=${py(l.returnSequences)}, go_backwards=${py(l.goBackwards)})`,
    );
    ctx.w.assign(ctx.target, `${self}(${x.name})`);
    return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
  }
  const module = l.className === 'LSTM' ? 'nn.LSTM' : 'nn.GRU';
  ctx.w.init.push(`${self} = ${module}(${features}, ${l.units}, batch_first=True, bias=${py(l.useBias)})`);
  let input = x.name;
  if (l.goBackwards) {
    ctx.w.assign(ctx.target, `${input}.flip(1)`, `${l.name}: goBackwards, outputs in processing order (as Keras)`);
    input = ctx.target;
  }
  ctx.w.assign(`${ctx.target}, _`, `${self}(${input})`);
  if (!l.returnSequences) ctx.w.assign(ctx.target, `${ctx.target}[:, -1]`, `${l.name}: the last step's state`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
}

export function emitRepeatVector(ctx: PyContext): PyValue {
  const l = ctx.layer as RepeatVector;
  ctx.w.assign(ctx.target, `${ctx.inputs[0]!.name}.unsqueeze(1).repeat(1, ${l.n}, 1)`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' };
}

export function emitTimeDistributed(ctx: PyContext): PyValue {
  const l = ctx.layer as TimeDistributed;
  return emitDense({ ...ctx, layer: l.layer });
}
