// Batch norm, the training-only corruption layers, klSparsity and the variational sampling.
// Batch norm: PyTorch's momentum is the weight of the new batch, Keras's that of the old average,
// so momentum = 1 - Keras momentum. (PyTorch updates running_var with the unbiased batch
// variance, Keras with the biased one: a difference of n / (n - 1) in the statistics' update only.)

import type { BatchNormalization } from '../../layers/batch_normalization.js';
import type { SaltAndPepper, MaskingNoise } from '../../layers/corruption.js';
import type { Dropout } from '../../layers/dropout.js';
import type { GaussianNoise } from '../../layers/gaussian_noise.js';
import type { KLSparsity } from '../../layers/kl_sparsity.js';
import type { Sampling } from '../../layers/sampling.js';
import type { PyContext } from './emitter.js';
import { pyFloat, type PyValue } from './writer.js';

export function emitBatchNormalization(ctx: PyContext): PyValue {
  const l = ctx.layer as BatchNormalization;
  const x = ctx.w.channelsFirst(ctx.inputs[0]!);
  const c = ctx.inputs[0]!.shape.at(-1)!;
  const d = ctx.inputs[0]!.shape.length === 3 ? 2 : 1;
  const momentum = Number((1 - l.momentum).toPrecision(12));
  ctx.w.init.push(
    `self.${ctx.attr} = nn.BatchNorm${d}d(${c}, eps=${pyFloat(l.epsilon)}, momentum=${pyFloat(momentum)})`,
  );
  if (!l.gamma.trainable) ctx.w.init.push(`self.${ctx.attr}.weight.requires_grad_(False)  # scale=False in Hourglass`);
  if (!l.beta.trainable) ctx.w.init.push(`self.${ctx.attr}.bias.requires_grad_(False)  # center=False in Hourglass`);
  ctx.w.assign(ctx.target, `self.${ctx.attr}(${x.name})`);
  return { name: ctx.target, shape: ctx.outputShape, layout: 'channelsFirst' };
}

function trainingOnly(ctx: PyContext, module: string): PyValue {
  ctx.w.init.push(`self.${ctx.attr} = ${module}`);
  ctx.w.assign(ctx.target, `self.${ctx.attr}(${ctx.inputs[0]!.name})`);
  return { ...ctx.inputs[0]!, name: ctx.target };
}

export function emitDropout(ctx: PyContext): PyValue {
  return trainingOnly(ctx, `nn.Dropout(${pyFloat((ctx.layer as Dropout).rate)})`);
}

export function emitGaussianNoise(ctx: PyContext): PyValue {
  const l = ctx.layer as GaussianNoise;
  ctx.w.helpers.add('gaussianNoise');
  return trainingOnly(
    ctx,
    `GaussianNoise(${pyFloat(l.stddev)}${l.clip ? `, clip=(${l.clip.map(pyFloat).join(', ')})` : ''})`,
  );
}

export function emitMaskingNoise(ctx: PyContext): PyValue {
  ctx.w.helpers.add('corruption');
  return trainingOnly(ctx, `Corruption(${pyFloat((ctx.layer as MaskingNoise).rate)})`);
}

export function emitSaltAndPepper(ctx: PyContext): PyValue {
  const l = ctx.layer as SaltAndPepper;
  ctx.w.helpers.add('corruption');
  return trainingOnly(ctx, `Corruption(${pyFloat(l.rate)}, low=${pyFloat(l.low)}, high=${pyFloat(l.high)})`);
}

export function emitKLSparsity(ctx: PyContext): PyValue {
  const l = ctx.layer as KLSparsity;
  ctx.w.forward.push(
    `# ${l.name}: the identity; its loss term (weight ${l.weight} x KL(${l.target} || mean activation)) is not part of the module`,
  );
  return ctx.inputs[0]!;
}

export function emitSampling(ctx: PyContext): PyValue {
  const l = ctx.layer as Sampling;
  ctx.w.helpers.add('sampling');
  ctx.w.init.push(`self.${ctx.attr} = Sampling(kl_weight=${pyFloat(l.klWeight)})`);
  const [mean, logVar] = ctx.inputs as [PyValue, PyValue];
  ctx.w.assign(
    ctx.target,
    `self.${ctx.attr}(${mean.name}, ${logVar.name})`,
    `add self.${ctx.attr}.kl to the training loss`,
  );
  return { ...mean, name: ctx.target };
}
