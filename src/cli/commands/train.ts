// hourglass train: any member of the family on images, arrays or a table, saved to a model folder.

import { Command, InvalidArgumentError, Option } from 'commander';
import { readDataset } from '../../data/datasets.js';
import { HourglassError } from '../../engine/errors.js';
import { trainAutoencoder, trainOnTable, type Trained, type TrainOptions } from '../../apps/train.js';
import {
  CONTRACTIVE_DEFAULTS,
  CONV_DEFAULTS,
  DENSE_DEFAULTS,
  SEQUENCE_DEFAULTS,
  SPARSE_DEFAULTS,
  VARIATIONAL_DEFAULTS,
} from '../../models/defaults.js';
import type { NoiseSpec } from '../../models/denoising_autoencoder.js';
import { describeArchitecture } from '../../models/describe.js';
import type { SparsitySpec } from '../../models/sparse_autoencoder.js';
import { trainDetectorCli } from '../detector_commands.js';
import { checkOutputPath } from '../files.js';
import { addSeriesTrainOptions, trainSeriesCommand } from '../series_commands.js';
import { writeReport } from './report.js';
import { DATA_HELP } from '../inputs.js';
import { earlyStopNote, planTraining } from '../train_plan.js';
import { recordTrainingScores } from '../training_scores.js';
import { fitPreprocessing, transformTable } from '../../data/tabular_preprocessing.js';
import { TRAINING_DEFAULTS } from '../../models/defaults.js';
import { fmt, report, run } from '../output.js';
import { STREAM_HELP, streamsData } from '../stream_data.js';
import { trainStreamCli } from '../stream_train.js';
import { choice, fraction, imageSize, intList, nonNegativeInt, positiveInt, positiveNumber } from '../parse.js';

const KINDS = ['plain', 'denoising', 'sparse', 'contractive', 'variational', 'sequence', 'detector'] as const;
const CONV_KINDS: readonly string[] = ['plain', 'denoising'];
const SEQUENCE_ARCHS = ['conv1d', 'lstm', 'gru'] as const;

/** --noise gaussian:0.5, masking:0.3 or saltpepper:0.1. */
function noise(value: string): NoiseSpec {
  const [type, amount] = value.split(':');
  const v = Number(amount);
  if (!(Number.isFinite(v) && v >= 0))
    throw new InvalidArgumentError('give a type and a number, e.g. gaussian:0.5, masking:0.3, saltpepper:0.1');
  if (type === 'gaussian') return { type: 'gaussian', stddev: v };
  if (type === 'masking') return { type: 'masking', rate: v };
  if (type === 'saltpepper' || type === 'saltAndPepper') return { type: 'saltAndPepper', rate: v };
  throw new InvalidArgumentError(`unknown noise '${type}' (gaussian, masking, saltpepper)`);
}

/** --sparsity l1:WEIGHT or kl:TARGET[:WEIGHT]; a KL weight left out is the library's. */
function sparsity(value: string): SparsitySpec {
  const [type, a, b] = value.split(':');
  const x = Number(a),
    w = Number(b);
  if (type === 'l1' && x > 0 && Number.isFinite(x)) return { l1: x };
  if (type === 'kl' && x > 0 && x < 1 && (b === undefined || (w > 0 && Number.isFinite(w))))
    return { target: x, ...(b === undefined ? {} : { weight: w }) };
  throw new InvalidArgumentError(
    `expected l1:WEIGHT (e.g. l1:1e-4) or kl:TARGET[:WEIGHT] (e.g. kl:0.05:1), got '${value}'`,
  );
}

// The help of the family's flags prints the library's defaults: an unset flag is left to them.
const D = DENSE_DEFAULTS,
  C = CONV_DEFAULTS,
  S = SPARSE_DEFAULTS,
  V = VARIATIONAL_DEFAULTS;
const HELP = {
  hidden: `dense and variational: encoder hidden layer sizes, comma-separated; the decoder mirrors them (default: twice the inputs halving toward the code, at most ${D.hidden.join(',')}; variational ${V.hidden.join(',')})`,
  latent: `dense, variational and conv pooling: size of the code (default: a quarter of the inputs, 2 to ${D.latent}; variational ${V.latent}; conv pooling at most ${C.latent} and the pooled map's size; sequence --variational ${SEQUENCE_DEFAULTS.latent})`,
  filters: `conv: filters per encoder block, each halves the image (default ${C.filters.denseDecoder.join(',')} pooling with the dense decoder, ${C.filters.pooling.join(',')} with the conv decoder, ${C.filters.strided.join(',')} strided)`,
  decoder: `conv pooling with a dense code: conv (dense to the pooled map, then conv + upsampling blocks, Keras's) or dense (the dense preset's encoder layers after the conv block, and its decoder: layers to every pixel; better for one-class detection, see the README); default ${C.decoder}`,
  codeChannels: `conv strided: channels of the code (default ${C.codeChannels}; code = channels x final size)`,
  sparsity: `sparse: l1:WEIGHT or kl:TARGET[:WEIGHT] (default l1:${S.sparsity.l1}; KL weight ${S.klWeight})`,
  contractive: `contractive: weight of the Jacobian penalty (default ${CONTRACTIVE_DEFAULTS.weight})`,
  beta: `variational (and sequence --variational): weight of the KL term (default ${V.beta})`,
};

/** Flag combinations the library would refuse, refused here in the flags' own words. */
function checkFlags(o: {
  kind: string;
  arch: string;
  noise?: NoiseSpec;
  codeChannels?: number;
  latent?: number;
  downsampling: string;
  upsampling?: string;
  decoder?: string;
  variational?: boolean;
}): void {
  if (o.variational && o.kind !== 'sequence')
    throw new HourglassError(
      '--variational is for --kind sequence (a dense variational autoencoder is --kind variational)',
    );
  if (o.noise && o.kind !== 'denoising' && o.kind !== 'sequence')
    throw new HourglassError('--noise is for --kind denoising (or sequence)');
  if ((SEQUENCE_ARCHS as readonly string[]).includes(o.arch) && o.kind !== 'sequence')
    throw new HourglassError(`--arch ${o.arch} is for --kind sequence`);
  if (o.kind === 'denoising' && !o.noise)
    throw new HourglassError('--kind denoising needs --noise, e.g. gaussian:0.5, masking:0.3 or saltpepper:0.1');
  if (o.arch === 'conv' && o.kind !== 'sequence' && !CONV_KINDS.includes(o.kind))
    throw new HourglassError(`--kind ${o.kind} is dense only; use --arch dense`);
  if (o.latent !== undefined && o.arch === 'conv' && o.downsampling === 'strided')
    throw new HourglassError(
      "--latent is for --arch conv --downsampling pooling (the strided layout's code is --code-channels x the final size)",
    );
  if (o.decoder !== undefined && (o.arch !== 'conv' || o.downsampling !== 'pooling'))
    throw new HourglassError('--decoder is for --arch conv --downsampling pooling');
  if (o.decoder === 'dense' && o.upsampling === 'transpose')
    throw new HourglassError('--upsampling transpose is for --decoder conv');
  if (o.decoder === 'dense' && o.kind === 'denoising' && o.latent === undefined)
    throw new HourglassError(
      '--decoder dense needs a dense code: give --latent N (the denoising conv variant keeps the pooled map as its code)',
    );
  if (o.codeChannels && o.downsampling !== 'strided')
    throw new HourglassError(
      "--code-channels is for --arch conv --downsampling strided (the pooling layout's code has the last --filters channels)",
    );
}

export function trainCommand(): Command {
  return addSeriesTrainOptions(trainFlags());
}

function trainFlags(): Command {
  return new Command('train')
    .description(
      'train an autoencoder (plain, denoising, sparse, contractive or variational) or the anomaly detector on the data and save it to a model folder; sizes and budget left out are chosen from the data',
    )
    .argument('<data>', DATA_HELP)
    .addOption(
      new Option(
        '--kind <kind>',
        'member of the family, or detector (an ensemble for hourglass detect; images get the image detector)',
      )
        .argParser(choice(KINDS))
        .default('plain'),
    )
    .option(
      '--contamination <r>',
      'detector: expected share of anomalies in the data (trimmed; default flag rate) (default 0.1; images: the share of training images flagged, default 0.01)',
      fraction,
    )
    .option('--members <n>', 'detector: autoencoders in the ensemble (default 5; images 3)', positiveInt)
    .option('--steps <n>', 'detector: optimizer steps per member (default 1500; images 2000)', positiveInt)
    .addOption(
      new Option(
        '--arch <arch>',
        'dense, or conv for images (plain and denoising); sequence: conv1d (default), lstm or gru',
      )
        .argParser(choice(['dense', 'conv', ...SEQUENCE_ARCHS] as const))
        .default('dense'),
    )
    .option('--hidden <sizes>', HELP.hidden, intList)
    .option('--latent <n>', HELP.latent, positiveInt)
    .addOption(
      new Option(
        '--downsampling <how>',
        "conv: pooling (Keras's conv + max pooling blocks, then a dense code of --latent values; denoising keeps the pooled map) or strided (convs with stride 2 and a linear code; reconstructs better)",
      )
        .argParser(choice(['pooling', 'strided'] as const))
        .default(C.downsampling),
    )
    .option('--filters <list>', HELP.filters, intList)
    .option('--code-channels <n>', HELP.codeChannels, positiveInt)
    .addOption(
      new Option('--upsampling <how>', 'conv pooling: how the decoder grows images')
        .argParser(choice(['upsampling', 'transpose'] as const))
        .default(C.upsampling),
    )
    .addOption(new Option('--decoder <kind>', HELP.decoder).argParser(choice(['dense', 'conv'] as const)))
    .option('--noise <type:amount>', 'denoising (needed): gaussian:SIGMA, masking:RATE or saltpepper:RATE', noise)
    .option('--sparsity <spec>', HELP.sparsity, sparsity)
    .option('--contractive <w>', HELP.contractive, positiveNumber)
    .option('--beta <b>', HELP.beta, positiveNumber)
    .addOption(
      new Option('--scaling <how>', 'tables: scaling of numeric columns, fitted on this data')
        .argParser(choice(['standard', 'minmax', 'none'] as const))
        .default('standard'),
    )
    .option('--image-size <HxW>', 'image folders: size to resize to, e.g. 28x28', imageSize)
    .addOption(
      new Option('--channels <n>', 'image folders: 1 (grayscale) or 3 (RGB)')
        .argParser(choice(['1', '3'] as const))
        .default('1'),
    )
    .option(
      '--epochs <n>',
      `passes over the data (default: enough for ${TRAINING_DEFAULTS.steps} steps, at least ${TRAINING_DEFAULTS.minEpochs}; early stopping from ${TRAINING_DEFAULTS.validationRows} rows)`,
      positiveInt,
    )
    .option(
      '--batch <n>',
      `rows per training step (default: rows/${TRAINING_DEFAULTS.batch.rowsPerBatch}, ${TRAINING_DEFAULTS.batch.min}-${TRAINING_DEFAULTS.batch.max})`,
      positiveInt,
    )
    .option('--lr <x>', `Adam learning rate (default ${TRAINING_DEFAULTS.learningRate})`, positiveNumber)
    .addOption(
      new Option('--loss <name>', 'reconstruction loss: auto is bce for data in [0, 1], else mse')
        .argParser(choice(['auto', 'mse', 'bce'] as const))
        .default('auto'),
    )
    .option('--seed <n>', 'random seed (same seed, same model)', nonNegativeInt, 42)
    .option('--validation-split <f>', 'fraction of rows held out for validation', fraction)
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--report <file>', 'also write an HTML report of the model on the training data (see hourglass report)')
    .option('--overwrite', 'replace an existing --out folder', false)
    .option(
      '--stream',
      `${STREAM_HELP}; every row trains (no held-out rows), tables get their preprocessing in a first pass, a sequence model its scaling (every window trains)`,
    )
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((data: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        if (o.report) checkOutputPath(o.report, o.overwrite, '--report');
        const detectorFlag = (['contamination', 'members', 'steps'] as const).find((k) => o[k] !== undefined);
        if (o.kind !== 'detector' && detectorFlag) throw new HourglassError(`--${detectorFlag} is for --kind detector`);
        if (o.kind !== 'detector') checkFlags(o);
        // A series streams (--stream, or above the size) in passes of its own (stream_series_train.ts).
        if (o.kind === 'sequence') return trainSeriesCommand(data, o);
        if (streamsData(data, o.stream)) return trainStreamCli(data, o);
        const ds = await readDataset(data, {
          ...(o.imageSize ? { imageSize: o.imageSize } : {}),
          channels: Number(o.channels) as 1 | 3,
        });
        if (o.kind === 'detector') return trainDetectorCli(ds, data, o);
        if (o.arch === 'conv' && !ds.image) {
          throw new HourglassError(
            ds.table
              ? '--arch conv needs images; a table trains a dense autoencoder (--arch dense)'
              : '--arch conv needs images: a built-in image dataset (mnist:train, fashion-mnist:train) or a folder of PNG/JPEG files',
          );
        }
        // Sizes and budget left out are chosen from the rows and inputs (models/defaults.ts).
        const rows = ds.table ? ds.table.rows.length : ds.x.shape[0]!;
        const inputs = ds.table
          ? transformTable(fitPreprocessing(ds.table, o.scaling, data), ds.table, data).x.shape[1]!
          : ds.x.data.length / Math.max(1, rows);
        const plan = planTraining(rows, inputs, o);
        if (!o.json) process.stdout.write(plan.line + '\n');
        const options: TrainOptions = {
          kind: o.kind,
          arch: o.arch,
          upsampling: o.upsampling,
          ...(o.decoder ? { decoder: o.decoder } : {}),
          downsampling: o.downsampling,
          ...(ds.image ? { imageShape: ds.image } : {}),
          ...(o.filters ? { filters: o.filters } : {}),
          ...(o.codeChannels ? { codeChannels: o.codeChannels } : {}),
          ...(o.hidden ? { hidden: o.hidden } : {}),
          ...(o.latent !== undefined ? { latent: o.latent } : {}),
          epochs: plan.budget.epochs,
          batchSize: plan.budget.batchSize,
          learningRate: plan.budget.learningRate,
          loss: o.loss,
          seed: o.seed,
          verbose: !o.quiet && !o.json,
          scaling: o.scaling,
          ...(o.noise ? { noise: o.noise } : {}),
          ...(o.sparsity ? { sparsity: o.sparsity } : {}),
          ...(o.contractive !== undefined ? { contractive: o.contractive } : {}),
          ...(o.beta !== undefined ? { beta: o.beta } : {}),
          ...(plan.budget.validationSplit ? { validationSplit: plan.budget.validationSplit } : {}),
          ...(plan.callbacks.length ? { callbacks: plan.callbacks } : {}),
          source: ds.name,
        };
        const t: Trained & { missingCells?: number } = ds.table
          ? await trainOnTable(ds.table, data, options)
          : await trainAutoencoder(ds.x, options);
        // Image models remember their picture size for denoise and sample.
        if (ds.image) t.ae.extra['image'] = ds.image;
        // detect with no rule flags above a quantile of these.
        recordTrainingScores(t.ae, ds, data);
        t.ae.save(o.out);
        if (o.report) await writeReport(t.ae, { data, out: o.report, progress: !o.quiet && !o.json });
        const last = (k: string) => t.history.history[k]?.at(-1);
        const lossName = t.model.compiled!.loss.name;
        const architecture = describeArchitecture(t.ae);
        const missing = t.missingCells ? `; ${t.missingCells} missing cells left out of the loss` : '';
        const elbo = last('negative_elbo');
        report(
          o,
          [
            `trained a ${o.kind === 'plain' ? '' : `${o.kind} `}${architecture} autoencoder on ${ds.name} (${rows} rows${ds.table ? `, ${ds.table.columns.length} columns` : ''}) in ${t.seconds.toFixed(1)}s${missing}`,
            `final loss ${fmt(last('loss'))} (${lossName}) after ${t.history.epoch.length} epochs${earlyStopNote(plan)}, mse ${fmt(last('mse'))}${elbo !== undefined ? `, negative ELBO ${elbo.toFixed(2)} nats` : ''}${last('val_loss') !== undefined ? `, validation loss ${fmt(last('val_loss'))}` : ''}`,
            `saved to ${o.out}${o.report ? `, report in ${o.report}` : ''}`,
          ],
          {
            command: 'train',
            kind: o.kind,
            arch: o.arch,
            architecture,
            data: ds.name,
            rows,
            out: o.out,
            seconds: t.seconds,
            epochs: t.history.epoch.length,
            batchSize: plan.budget.batchSize,
            learningRate: plan.budget.learningRate,
            plan: plan.line,
            lossName,
            loss: last('loss'),
            mse: last('mse'),
            valLoss: last('val_loss') ?? null,
            ...(elbo !== undefined ? { negativeElbo: elbo } : {}),
            ...(t.missingCells !== undefined ? { missingCells: t.missingCells } : {}),
            history: t.history.history,
          },
        );
      }),
    );
}
