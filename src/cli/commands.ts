// The hourglass commands: each parses its flags, calls the library, and reports.

import { Command, Option } from 'commander';
import fs from 'node:fs';
import { runDemo } from '../apps/demo.js';
import { compressRows, decompressRows, meanSquaredError, psnr, type Bits } from '../apps/compress.js';
import { detectAnomalies, type ThresholdRule } from '../apps/anomaly.js';
import { averagePrecision, rocAuc } from '../apps/metrics.js';
import { readLabels } from '../data/labels.js';
import { checkRowsFileName, encodeRowsFile } from '../data/rows_file.js';
import { HourglassError } from '../engine/errors.js';
import { encodeRows, evaluateReconstruction, loadAutoencoder, trainAutoencoder } from '../apps/train.js';
import { loadDataset, type LoadOptions } from '../data/datasets.js';
import { checkOutputPath, writeFileAtomic } from './files.js';
import { report, run } from './output.js';
import { choice, fraction, imageSize, intList, nonNegativeInt, positiveInt, positiveNumber } from './parse.js';

const DATA_HELP = 'a .csv/.tsv/IDX file, a folder of PNG/JPEG images, or a built-in dataset: mnist:train|test, fashion-mnist:train|test';
/** Image folders are read at the size and channels the model was trained on. */
function imageOptionsFor(shape: number[]): LoadOptions {
  return shape.length === 3 && (shape[2] === 1 || shape[2] === 3) ? { imageSize: [shape[0]!, shape[1]!], channels: shape[2] } : {};
}

const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(5));

export function trainCommand(): Command {
  return new Command('train')
    .description('train a dense or convolutional autoencoder on the data and save it to a model folder')
    .argument('<data>', DATA_HELP)
    .addOption(new Option('--arch <kind>', 'dense, or conv for images').argParser(choice(['dense', 'conv'] as const)).default('dense'))
    .option('--hidden <sizes>', 'dense: encoder hidden layer sizes, comma-separated (decoder mirrors them)', intList, [128, 64])
    .option('--latent <n>', 'dense: size of the code', positiveInt, 32)
    .option('--filters <list>', 'conv: filters per encoder block (each halves the image; code = last filters x final size)', intList, [16, 8, 8])
    .addOption(new Option('--upsampling <how>', 'conv: how the decoder grows images').argParser(choice(['upsampling', 'transpose'] as const)).default('upsampling'))
    .option('--image-size <HxW>', 'image folders: size to resize to, e.g. 28x28', imageSize)
    .addOption(new Option('--channels <n>', 'image folders: 1 (grayscale) or 3 (RGB)').argParser(choice(['1', '3'] as const)).default('1'))
    .option('--epochs <n>', 'passes over the data', positiveInt, 10)
    .option('--batch <n>', 'rows per training step', positiveInt, 256)
    .option('--lr <x>', 'Adam learning rate', positiveNumber, 0.001)
    .addOption(new Option('--loss <name>', 'reconstruction loss (bce needs data in [0, 1])').argParser(choice(['mse', 'bce'] as const)).default('mse'))
    .option('--seed <n>', 'random seed (same seed, same model)', nonNegativeInt, 42)
    .option('--validation-split <f>', 'fraction of rows held out for validation', fraction)
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--overwrite', 'replace an existing --out folder', false)
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((data: string, o) => run(async () => {
      checkOutputPath(o.out, o.overwrite, '--out');
      const ds = loadDataset(data, { ...(o.imageSize ? { imageSize: o.imageSize } : {}), channels: Number(o.channels) as 1 | 3 });
      const { model, history, seconds } = await trainAutoencoder(ds.x, {
        arch: o.arch, filters: o.filters, upsampling: o.upsampling, ...(ds.image ? { imageShape: ds.image } : {}),
        hidden: o.hidden, latent: o.latent, epochs: o.epochs, batchSize: o.batch, learningRate: o.lr, loss: o.loss,
        seed: o.seed, verbose: !o.quiet && !o.json, ...(o.validationSplit ? { validationSplit: o.validationSplit } : {}),
      });
      model.save(o.out);
      const last = (k: string) => history.history[k]?.at(-1);
      report(o, [
        `trained ${o.arch === 'conv' ? `a convolutional autoencoder (filters ${o.filters.join(',')})` : `${model.name} ${ds.x.shape[1]}-${[...o.hidden, o.latent, ...[...o.hidden].reverse()].join('-')}-${ds.x.shape[1]}`} on ${ds.name} (${ds.x.shape[0]} rows) in ${seconds.toFixed(1)}s`,
        `final loss ${fmt(last('loss'))} (${o.loss}), mse ${fmt(last('mse'))}${last('val_loss') !== undefined ? `, validation loss ${fmt(last('val_loss'))}` : ''}`,
        `saved to ${o.out}`,
      ], { command: 'train', arch: o.arch, data: ds.name, rows: ds.x.shape[0], out: o.out, seconds, epochs: o.epochs, loss: last('loss'), mse: last('mse'), valLoss: last('val_loss') ?? null, history: history.history });
    }));
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('reconstruction loss of a saved model on data')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) => run(async () => {
      const model = loadAutoencoder(dir);
      const ds = loadDataset(data, imageOptionsFor(model.input.shape));
      const r = evaluateReconstruction(model, ds.x);
      const lossName = model.compiled?.loss.name ?? 'mse';
      report(o, [`${ds.name}: ${ds.x.shape[0]} rows, loss ${fmt(r['loss'])} (${lossName}), mse ${fmt(r['mse'])}`],
        { command: 'evaluate', model: dir, data: ds.name, rows: ds.x.shape[0], lossName, ...r });
    }));
}

export function encodeCommand(): Command {
  return new Command('encode')
    .description('write the code of every row as CSV, JSON or .npy (by the --out extension)')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .requiredOption('--out <file>', 'file to write: .csv, .json or .npy')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) => run(async () => {
      checkRowsFileName(o.out, '--out');
      checkOutputPath(o.out, o.overwrite, '--out');
      const model = loadAutoencoder(dir);
      const ds = loadDataset(data, imageOptionsFor(model.input.shape));
      const codes = encodeRows(model, ds.x);
      const [rows, dims] = codes.shape as [number, number];
      writeFileAtomic(o.out, encodeRowsFile(codes.data, rows, dims, o.out, 'codes', 'z'));
      report(o, [`wrote ${rows} codes of ${dims} values to ${o.out}`], { command: 'encode', model: dir, data: ds.name, rows, dims, out: o.out });
    }));
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('train an autoencoder on MNIST (about a minute), report train/test loss, and save a PNG of reconstructions')
    .addOption(new Option('--arch <kind>', 'conv (16-8-8 filters, 4x4x8 code) or dense (784-256-64-32)').argParser(choice(['conv', 'dense'] as const)).default('conv'))
    .addOption(new Option('--data <name>', 'the built-in dataset to train on').argParser(choice(['mnist', 'fashion-mnist'] as const)).default('mnist'))
    .option('--epochs <n>', 'passes over the 60,000 training images (default: 1 for conv, 10 for dense)', positiveInt)
    .option('--out <dir>', 'folder for the model and the picture (the demo replaces its own files there)', 'hourglass-demo')
    .option('--json', 'print one JSON object as the last line')
    .action((o) => run(async () => {
      const r = await runDemo({ arch: o.arch, data: o.data, ...(o.epochs ? { epochs: o.epochs } : {}), out: o.out, verbose: !o.json });
      report(o, [
        `${r.data === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} autoencoder, ${r.architecture}, ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} in ${r.seconds.toFixed(1)}s (${Math.round(r.samplesPerSecond)} samples/s)`,
        `train: binary cross-entropy ${fmt(r.train['loss'])} per pixel, mse ${fmt(r.train['mse'])}`,
        `test:  binary cross-entropy ${fmt(r.test['loss'])} per pixel, mse ${fmt(r.test['mse'])}`,
        `reconstructions: ${r.image} (top: test images, bottom: reconstructions)`,
        `model: ${r.modelDir}`,
      ], { command: 'demo', ...r });
    }));
}

export function detectCommand(): Command {
  return new Command('detect')
    .description('score every row by reconstruction error and flag anomalies')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .option('--contamination <r>', 'expected share of anomalies in the data (flags the top share)', fraction)
    .option('--threshold <t>', 'flag rows whose mean squared error is above this', positiveNumber)
    .option('--labels <file>', 'one 0 (normal) or 1 (anomaly) per row: reports ROC-AUC and PR-AUC')
    .option('--top <k>', 'features named per flagged row', positiveInt, 3)
    .requiredOption('--out <file>', 'CSV of row, score, anomaly, top features')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) => run(async () => {
      if ((o.contamination === undefined) === (o.threshold === undefined)) throw new HourglassError('give exactly one of --contamination or --threshold');
      checkOutputPath(o.out, o.overwrite, '--out');
      const model = loadAutoencoder(dir);
      const ds = loadDataset(data, imageOptionsFor(model.input.shape));
      const labels = o.labels ? readLabels(o.labels, ds.x.shape[0]!) : null;
      const rule: ThresholdRule = o.threshold !== undefined ? { threshold: o.threshold } : { contamination: o.contamination };
      const d = detectAnomalies(model, ds.x, rule, o.top);
      const name = (j: number) => ds.columns?.[j] ?? `x${j}`;
      const lines = ['row,score,anomaly,top_features'];
      d.scores.forEach((s, r) => lines.push(`${r},${s},${d.flagged[r]},${(d.topFeatures.get(r) ?? []).map(name).join(' ')}`));
      writeFileAtomic(o.out, lines.join('\n') + '\n');
      const count = d.flagged.reduce((a, b) => a + b, 0);
      const quality = labels ? { rocAuc: rocAuc(d.scores, labels), prAuc: averagePrecision(d.scores, labels) } : null;
      report(o, [
        `${ds.name}: ${count} of ${d.scores.length} rows flagged (threshold ${d.threshold.toPrecision(4)}), scores in ${o.out}`,
        ...(quality ? [`ROC-AUC ${quality.rocAuc.toFixed(4)}, PR-AUC ${quality.prAuc.toFixed(4)}`] : []),
      ], { command: 'detect', model: dir, data: ds.name, rows: d.scores.length, flagged: count, threshold: d.threshold, out: o.out, ...(quality ?? {}) });
    }));
}

export function compressCommand(): Command {
  return new Command('compress')
    .description('store each row as its quantized code in a small checksummed file')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .addOption(new Option('--bits <n>', 'bits per code value').argParser(choice(['4', '8', '16'] as const)).default('8'))
    .requiredOption('--out <file>', 'compressed file to write')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) => run(async () => {
      checkOutputPath(o.out, o.overwrite, '--out');
      const model = loadAutoencoder(dir);
      const ds = loadDataset(data, imageOptionsFor(model.input.shape));
      const { bytes: file, quantized: q, rebuilt } = compressRows(model, ds.x, Number(o.bits) as Bits);
      writeFileAtomic(o.out, file);
      const images = ds.image !== undefined;
      // Images are compared with their 8-bit pixels, other data with float32 values.
      const raw = ds.x.data.length * (images ? 1 : 4);
      const mse = meanSquaredError(ds.x.data, rebuilt.data);
      const quality = images ? { psnr: psnr(ds.x.data, rebuilt.data) } : {};
      report(o, [
        `${ds.name}: ${q.rows} rows as ${q.dims} values x ${o.bits} bits, ${file.length} bytes in ${o.out} (${(raw / file.length).toFixed(1)}x smaller than ${images ? '8-bit pixels' : 'float32 values'})`,
        `reconstruction: mse ${mse.toPrecision(4)}${images ? `, PSNR ${quality.psnr!.toFixed(2)} dB` : ''}`,
      ], { command: 'compress', model: dir, data: ds.name, rows: q.rows, dims: q.dims, bits: q.bits, bytes: file.length, ratio: raw / file.length, mse, ...quality, out: o.out });
    }));
}

export function decompressCommand(): Command {
  return new Command('decompress')
    .description('rebuild the rows of a file made by hourglass compress')
    .argument('<dir>', 'the model folder the file was compressed with')
    .argument('<file>', 'compressed file')
    .requiredOption('--out <file>', 'rows to write: .csv, .json or .npy')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, file: string, o) => run(async () => {
      checkRowsFileName(o.out, '--out');
      checkOutputPath(o.out, o.overwrite, '--out');
      const model = loadAutoencoder(dir);
      if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such file`);
      const rebuilt = decompressRows(model, fs.readFileSync(file), file);
      const rows = rebuilt.shape[0]!, dims = rebuilt.data.length / rows;
      writeFileAtomic(o.out, encodeRowsFile(rebuilt.data, rows, dims, o.out, 'rows', 'x'));
      report(o, [`rebuilt ${rows} rows of ${dims} values into ${o.out}`], { command: 'decompress', model: dir, file, rows, dims, out: o.out });
    }));
}
