// hourglass train: any member of the family on images, arrays or a table, saved to a model folder.

import { Command, InvalidArgumentError, Option } from 'commander';
import { loadDataset } from '../../data/datasets.js';
import { HourglassError } from '../../engine/errors.js';
import { trainAutoencoder, trainOnTable, type TrainOptions } from '../../apps/train.js';
import { DEFAULT_FILTERS } from '../../models/conv_autoencoder.js';
import { parseNoise, type NoiseSpec } from '../../models/denoising_autoencoder.js';
import type { SparsitySpec } from '../../models/sparse_autoencoder.js';
import { checkOutputPath } from '../files.js';
import { DATA_HELP } from '../inputs.js';
import { fmt, report, run } from '../output.js';
import { choice, fraction, imageSize, intList, nonNegativeInt, positiveInt, positiveNumber } from '../parse.js';

function noise(value: string): NoiseSpec {
  try { return parseNoise(value); } catch (e) { throw new InvalidArgumentError((e as Error).message.replace(/^--noise \S+: /, '')); }
}

function sparsity(value: string): SparsitySpec {
  const [type, a, b] = value.split(':');
  const x = Number(a), w = b === undefined ? 1 : Number(b);
  if (type === 'l1' && x > 0 && Number.isFinite(x)) return { l1: x };
  if (type === 'kl' && x > 0 && x < 1 && w > 0 && Number.isFinite(w)) return { target: x, weight: w };
  throw new InvalidArgumentError(`expected l1:WEIGHT (e.g. l1:1e-4) or kl:TARGET[:WEIGHT] (e.g. kl:0.05:1), got '${value}'`);
}

export function trainCommand(): Command {
  return new Command('train')
    .description('train an autoencoder (plain, denoising, sparse, contractive or variational) on the data and save it to a model folder')
    .argument('<data>', DATA_HELP)
    .addOption(new Option('--kind <kind>', 'member of the family').argParser(choice(['plain', 'denoising', 'sparse', 'contractive', 'variational'] as const)).default('plain'))
    .addOption(new Option('--arch <arch>', 'dense, or conv for images (plain and denoising)').argParser(choice(['dense', 'conv'] as const)).default('dense'))
    .option('--hidden <sizes>', 'dense: encoder hidden layer sizes, comma-separated (decoder mirrors them)', intList, [128, 64])
    .option('--latent <n>', 'dense: size of the code', positiveInt, 32)
    .addOption(new Option('--downsampling <how>', 'conv: pooling (Keras\'s classic: conv + max pooling) or strided (convs with stride 2 and a linear code; reconstructs better)').argParser(choice(['pooling', 'strided'] as const)).default('pooling'))
    .option('--filters <list>', 'conv: filters per encoder block, each halves the image (default 16,8,8 pooling, 32,64,128 strided)', intList)
    .option('--code-channels <n>', 'conv strided: channels of the code (default 8; code = channels x final size)', positiveInt)
    .addOption(new Option('--upsampling <how>', 'conv pooling: how the decoder grows images').argParser(choice(['upsampling', 'transpose'] as const)).default('upsampling'))
    .option('--noise <type:amount>', 'denoising: gaussian:SIGMA, masking:RATE or saltpepper:RATE', noise)
    .option('--sparsity <spec>', 'sparse: l1:WEIGHT or kl:TARGET[:WEIGHT] (default l1:1e-4)', sparsity)
    .option('--contractive <w>', 'contractive: weight of the Jacobian penalty (default 0.01)', positiveNumber)
    .option('--beta <b>', 'variational: weight of the KL term (default 1)', positiveNumber)
    .addOption(new Option('--scaling <how>', 'tables: scaling of numeric columns, fitted on this data').argParser(choice(['standard', 'minmax', 'none'] as const)).default('standard'))
    .option('--image-size <HxW>', 'image folders: size to resize to, e.g. 28x28', imageSize)
    .addOption(new Option('--channels <n>', 'image folders: 1 (grayscale) or 3 (RGB)').argParser(choice(['1', '3'] as const)).default('1'))
    .option('--epochs <n>', 'passes over the data', positiveInt, 10)
    .option('--batch <n>', 'rows per training step', positiveInt, 256)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, 0.001)
    .addOption(new Option('--loss <name>', 'reconstruction loss: auto is bce for data in [0, 1], else mse').argParser(choice(['auto', 'mse', 'bce'] as const)).default('auto'))
    .option('--seed <n>', 'random seed (same seed, same model)', nonNegativeInt, 42)
    .option('--validation-split <f>', 'fraction of rows held out for validation', fraction)
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--overwrite', 'replace an existing --out folder', false)
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((data: string, o) => run(async () => {
      checkOutputPath(o.out, o.overwrite, '--out');
      if (o.noise && o.kind !== 'denoising') throw new HourglassError('--noise is for --kind denoising');
      if (o.codeChannels && o.downsampling !== 'strided') throw new HourglassError('--code-channels is for --arch conv --downsampling strided (the pooling layout\'s code has the last --filters channels)');
      const ds = loadDataset(data, { ...(o.imageSize ? { imageSize: o.imageSize } : {}), channels: Number(o.channels) as 1 | 3 });
      const options: TrainOptions = {
        kind: o.kind, arch: o.arch, upsampling: o.upsampling, downsampling: o.downsampling, ...(ds.image ? { imageShape: ds.image } : {}),
        ...(o.filters ? { filters: o.filters } : {}), ...(o.codeChannels ? { codeChannels: o.codeChannels } : {}),
        hidden: o.hidden, latent: o.latent, epochs: o.epochs, batchSize: o.batch, learningRate: o.lr, loss: o.loss,
        seed: o.seed, verbose: !o.quiet && !o.json, scaling: o.scaling,
        ...(o.noise ? { noise: o.noise } : {}), ...(o.sparsity ? { sparsity: o.sparsity } : {}),
        ...(o.contractive !== undefined ? { contractive: o.contractive } : {}), ...(o.beta !== undefined ? { beta: o.beta } : {}),
        ...(o.validationSplit ? { validationSplit: o.validationSplit } : {}),
      };
      const t = ds.table ? await trainOnTable(ds.table, data, options) : await trainAutoencoder(ds.x, options);
      // Image models remember their picture size for denoise and sample.
      if (ds.image) t.ae.extra['image'] = ds.image;
      t.ae.save(o.out);
      const rows = ds.table ? ds.table.rows.length : ds.x.shape[0]!;
      const last = (k: string) => t.history.history[k]?.at(-1);
      const lossName = t.model.compiled!.loss.name;
      const shape = o.arch === 'conv'
        ? `convolutional (${o.downsampling}, filters ${(o.filters ?? DEFAULT_FILTERS[o.downsampling as 'pooling' | 'strided']).join(',')}, code ${t.ae.encoder().output.shape.join('x')})`
        : `dense ${t.model.input.shape.join('x')}-${[...o.hidden, o.latent, ...[...o.hidden].reverse()].join('-')}`;
      const missing = 'missingCells' in t && t.missingCells ? `; ${t.missingCells} missing cells left out of the loss` : '';
      const elbo = last('negative_elbo');
      report(o, [
        `trained a ${o.kind === 'plain' ? '' : `${o.kind} `}${shape} autoencoder on ${ds.name} (${rows} rows${ds.table ? `, ${ds.table.columns.length} columns` : ''}) in ${t.seconds.toFixed(1)}s${missing}`,
        `final loss ${fmt(last('loss'))} (${lossName}), mse ${fmt(last('mse'))}${elbo !== undefined ? `, negative ELBO ${elbo.toFixed(2)} nats` : ''}${last('val_loss') !== undefined ? `, validation loss ${fmt(last('val_loss'))}` : ''}`,
        `saved to ${o.out}`,
      ], {
        command: 'train', kind: o.kind, arch: o.arch, data: ds.name, rows, out: o.out, seconds: t.seconds, epochs: o.epochs, lossName,
        loss: last('loss'), mse: last('mse'), valLoss: last('val_loss') ?? null, ...(elbo !== undefined ? { negativeElbo: elbo } : {}),
        ...('missingCells' in t ? { missingCells: t.missingCells } : {}), history: t.history.history,
      });
    }));
}
