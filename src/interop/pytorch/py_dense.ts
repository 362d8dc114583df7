// dense as nn.Linear (on the last axis, channels-last, as Keras) and activations as torch
// functions with Keras's parameters (leaky ReLU's slope, ELU's alpha; GELU exact, as Hourglass).

import type { ResolvedActivation } from '../../layers/activations.js';
import type { Activation } from '../../layers/activation.js';
import type { Dense } from '../../layers/dense.js';
import type { PyContext } from './emitter.js';
import { pyFloat, type PyValue } from './writer.js';

export function activationExpr(a: ResolvedActivation, v: string): string | null {
  switch (a.name) {
    case 'linear':
      return null;
    case 'relu':
      return `torch.relu(${v})`;
    case 'leakyRelu':
      return `F.leaky_relu(${v}, ${pyFloat(a.alpha)})`;
    case 'elu':
      return `F.elu(${v}, ${pyFloat(a.alpha)})`;
    case 'sigmoid':
      return `torch.sigmoid(${v})`;
    case 'tanh':
      return `torch.tanh(${v})`;
    case 'softplus':
      return `F.softplus(${v})`;
    case 'gelu':
      return `F.gelu(${v})`;
  }
}

export function applyActivation(ctx: PyContext, a: ResolvedActivation, v: PyValue): PyValue {
  const e = activationExpr(a, v.name);
  if (e) ctx.w.assign(ctx.target, e);
  return { ...v, name: e ? ctx.target : v.name };
}

export function emitDense(ctx: PyContext): PyValue {
  const l = ctx.layer as Dense;
  const x = ctx.w.channelsLast(ctx.inputs[0]!);
  const inF = l.kernel.shape[0]!;
  ctx.w.init.push(`self.${ctx.attr} = nn.Linear(${inF}, ${l.units}, bias=${l.bias ? 'True' : 'False'})`);
  ctx.w.assign(
    ctx.target,
    `self.${ctx.attr}(${x.name})`,
    l.contractive
      ? `${l.name}: its contractive penalty (weight ${l.contractive}) is not part of the module`
      : undefined,
  );
  return applyActivation(ctx, l.activation, { name: ctx.target, shape: ctx.outputShape, layout: 'channelsLast' });
}

export function emitActivation(ctx: PyContext): PyValue {
  const l = ctx.layer as Activation;
  const e = activationExpr(l.activation, ctx.inputs[0]!.name);
  if (!e) return ctx.inputs[0]!;
  ctx.w.assign(ctx.target, e);
  return { ...ctx.inputs[0]!, name: ctx.target };
}
