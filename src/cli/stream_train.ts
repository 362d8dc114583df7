// hourglass train over a streamed file (see stream_data.ts): the rows are counted (arrays from
// their header, tables in the preprocessing pass), the budget sized from them as for an
// in-memory run, every row trains (no held-out share: a streamed run has no rows to spare in
// memory), and the training rows' scores for detect's default threshold come from a streaming pass.

import { fitFile } from '../apps/fit_file.js';
import { makeAutoencoder, type Architecture, type Kind, type TrainOptions } from '../apps/train.js';
import { TRAINING_SCORES_KEY } from '../apps/training_scores.js';
import { openFile } from '../data/dataset_files.js';
import { HourglassError } from '../engine/errors.js';
import type { Callback } from '../model/callbacks.js';
import { describeArchitecture } from '../models/describe.js';
import { trainDetectorStreamCli, type DetectorTrainFlags } from './detector_commands.js';
import { fmt, report } from './output.js';
import { writeReport } from './commands/report.js';
import { STREAM_ABOVE_BYTES, StreamProgress } from './stream_data.js';
import { trainingScoresStream } from './stream_jobs.js';
import { planTraining, type PlanFlags, type TrainPlan } from './train_plan.js';

/** The train command's flags a streamed run reads (commander gives them as parsed). */
export interface StreamTrainFlags
  extends
    PlanFlags,
    Pick<
      TrainOptions,
      | 'upsampling'
      | 'decoder'
      | 'downsampling'
      | 'filters'
      | 'codeChannels'
      | 'noise'
      | 'sparsity'
      | 'contractive'
      | 'beta'
      | 'scaling'
      | 'loss'
    > {
  out: string;
  seed: number;
  stream?: boolean;
  report?: string;
  quiet?: boolean;
  json?: boolean;
  imageSize?: [number, number];
  channels: string;
}

export async function trainStreamCli(data: string, o: StreamTrainFlags): Promise<void> {
  const why = o.stream ? '--stream' : `${data} is above ${STREAM_ABOVE_BYTES >> 20} MB, so it streams`;
  if (o.kind === 'detector') return trainDetectorStreamCli(data, o as unknown as DetectorTrainFlags);
  if (o.validationSplit !== undefined)
    throw new HourglassError(`${why}: a streamed run trains on every row; drop --validation-split`);
  const progress = !o.quiet && !o.json;
  const open = { ...(o.imageSize ? { imageSize: o.imageSize } : {}), channels: Number(o.channels) as 1 | 3 };
  const probe = await openFile(data, open);
  const image = probe.kind === 'array' ? probe.image : undefined;
  if (o.arch === 'conv' && !image)
    throw new HourglassError(
      probe.kind === 'table'
        ? '--arch conv needs images; a table trains a dense autoencoder (--arch dense)'
        : '--arch conv needs images: a uint8 .npy of [n, h, w] or [n, h, w, c], an IDX image file or a folder of PNG/JPEG files',
    );
  // makeAutoencoder reads the kind and sizes only; the budget comes from the plan below.
  const ae = makeAutoencoder({
    kind: o.kind as Kind,
    arch: o.arch as Architecture,
    ...pick(o, [
      'upsampling',
      'decoder',
      'downsampling',
      'filters',
      'codeChannels',
      'noise',
      'sparsity',
      'contractive',
      'beta',
    ]),
    ...(o.hidden ? { hidden: o.hidden } : {}),
    ...(o.latent !== undefined ? { latent: o.latent } : {}),
    ...(image ? { imageShape: image } : {}),
    loss: o.loss,
    seed: o.seed,
    epochs: 0,
    batchSize: 0,
    learningRate: 0,
  });
  let plan: TrainPlan | null = null;
  const bar = new StreamProgress(progress);
  const epochLine: Callback = {
    onEpochEnd: (epoch, logs) => {
      bar.stop();
      if (progress && process.stderr.isTTY)
        process.stderr.write(
          `epoch ${epoch + 1}/${plan?.budget.epochs ?? '?'}: loss ${fmt(logs['loss'])}, mse ${fmt(logs['mse'])}\n`,
        );
    },
  };
  const started = performance.now();
  const r = await fitFile(ae, data, {
    ...open,
    batchSize: (rows, inputs) => {
      plan = planTraining(rows, inputs, { ...o, validationSplit: 0 });
      // The in-memory wording of a run without early stopping does not fit: every streamed row trains.
      const line = plan.line.replace(/, no early stopping \(under [^)]*\)/, '');
      const stop = line.includes('no early stopping') ? '' : ', no early stopping';
      if (!o.json) process.stdout.write(`${line}; streamed from disk, every row trains${stop}\n`);
      return { epochs: plan.budget.epochs, batchSize: plan.budget.batchSize, learningRate: plan.budget.learningRate };
    },
    ...(o.scaling ? { scaling: o.scaling } : {}),
    ...(image && o.arch === 'conv' ? { inputShape: image } : {}),
    seed: o.seed,
    loss: o.loss,
    verbose: false,
    callbacks: [epochLine],
    source: data,
    onProgress: (phase, rows, file) =>
      bar.update(
        phase === 'preprocessing' ? 'Fitting the preprocessing' : `Training epoch ${phase.slice(9)}`,
        rows,
        file,
      ),
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  if (image) ae.extra['image'] = image;
  ae.extra[TRAINING_SCORES_KEY] = await trainingScoresStream(ae, data, progress);
  ae.save(o.out);
  // The report shows a sample of the rows, drawn in one more streaming pass (report_sample.ts).
  if (o.report) await writeReport(ae, { data, out: o.report, progress, stream: true });
  const h = r.history;
  const last = (k: string) => h.history[k]?.at(-1);
  const lossName = ae.model.compiled!.loss.name;
  const architecture = describeArchitecture(ae);
  const p = plan as TrainPlan | null;
  const columns = r.file.kind === 'table' ? `, ${r.file.columns.length} columns` : '';
  const missing = r.missingCells ? `; ${r.missingCells} missing cells left out of the loss` : '';
  report(
    o,
    [
      `trained a ${o.kind === 'plain' ? '' : `${o.kind} `}${architecture} autoencoder on ${data} (${r.rows} rows${columns}, streamed) in ${seconds.toFixed(1)}s${missing}`,
      `final loss ${fmt(last('loss'))} (${lossName}) after ${h.epoch.length} epochs, mse ${fmt(last('mse'))}`,
      `saved to ${o.out}${o.report ? `, report in ${o.report}` : ''}`,
    ],
    {
      command: 'train',
      kind: o.kind,
      arch: o.arch,
      architecture,
      data,
      rows: r.rows,
      streamed: true,
      out: o.out,
      seconds,
      epochs: h.epoch.length,
      batchSize: p?.budget.batchSize,
      learningRate: p?.budget.learningRate,
      plan: p?.line,
      lossName,
      loss: last('loss'),
      mse: last('mse'),
      valLoss: null,
      ...(r.file.kind === 'table' ? { missingCells: r.missingCells } : {}),
      history: h.history,
    },
  );
}

/** The flags that are set, as an object (commander leaves unset ones undefined). */
function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
