// hourglass train series.csv --kind sequence --window N --stream (and any .csv/.tsv series above
// the streaming size): trainOnSeriesFile reads the series in passes at bounded memory. One line
// says what the run does and why (every window trains, so no early stopping; the epochs from the
// step budget, at most Keras's 50), a bar over the file's bytes and steps runs through each pass,
// and the end is the in-memory run's lines and --json fields, with streamed: true.

import { trainOnSeriesFile, type SeriesFilePhase, type SeriesFilePlan } from '../apps/series_file_train.js';
import { HourglassError } from '../engine/errors.js';
import type { Callback } from '../model/callbacks.js';
import { TRAINING_DEFAULTS } from '../models/defaults.js';
import type { SequenceArch } from '../models/sequence_autoencoder.js';
import { fmt } from './output.js';
import type { SeriesTrainFlags } from './series_commands.js';
import { reportSeriesTraining, seriesModelOptions } from './series_train_output.js';
import { StreamProgress, streamAbove } from './stream_data.js';

const n = (v: number) => v.toLocaleString('en-US');

/** The plan line: what was chosen, and from what. */
export function seriesPlanLine(p: SeriesFilePlan, o: SeriesTrainFlags): string {
  const steps = p.epochs * Math.ceil(p.windows / Math.min(p.batchSize, Math.max(1, p.windows)));
  const t = TRAINING_DEFAULTS;
  return [
    `streamed from disk (${n(p.steps)} steps, ${n(p.windows)} windows of ${o.window}, stride ${o.stride}): every window trains, none held out, so no early stopping`,
    `batch ${p.batchSize} (${o.batch !== undefined ? '--batch' : "Keras's example"})`,
    o.epochs !== undefined
      ? `${p.epochs} epochs (--epochs, ${n(steps)} steps)`
      : `${p.epochs} epochs (${n(steps)} steps: at least ${n(t.steps)} steps and ${t.minEpochs} epochs, at most Keras's 50)`,
    `lr ${p.learningRate}${o.lr !== undefined ? ' (--lr)' : " (Adam's usual)"}`,
    p.inMemory
      ? `the windows fit the shuffle buffer of ${n(p.shuffleBuffer)}: read once, then trained from memory`
      : p.shuffleBuffer > 0
        ? `shuffle buffer of ${n(p.shuffleBuffer)} windows, read again each epoch`
        : 'windows in file order',
  ].join(', ');
}

function phaseLabel(phase: SeriesFilePhase, plan: SeriesFilePlan | null): string {
  if (phase === 'layout') return 'Checking the series';
  if (phase === 'sums') return 'Fitting the scaling';
  if (phase === 'deviations') return 'Fitting the scaling (deviations)';
  if (phase === 'scoring') return 'Scoring the training windows';
  if (plan?.inMemory) return 'Reading the windows';
  return `Training epoch ${phase.slice(9)}/${plan?.epochs ?? '?'}`;
}

export async function trainSeriesStreamCli(data: string, o: SeriesTrainFlags, arch: SequenceArch): Promise<void> {
  const why = o.stream ? '--stream' : `${data} is above ${Math.round(streamAbove() / (1 << 20))} MB, so it streams`;
  if (o.validationSplit !== undefined)
    throw new HourglassError(`${why}: a streamed run trains on every window; drop --validation-split`);
  if (o.report)
    throw new HourglassError(
      `${why}: --report on a sequence model plots the whole series, read into memory; train without --report, then write a report on a stretch of the series with hourglass report ${o.out} part.csv --out report.html`,
    );
  const shown = !o.quiet && !o.json;
  const bar = new StreamProgress(shown);
  let plan: SeriesFilePlan | null = null;
  const epochLine: Callback = {
    onEpochEnd: (epoch, logs) => {
      bar.stop();
      if (shown && process.stderr.isTTY)
        process.stderr.write(`epoch ${epoch + 1}/${plan?.epochs ?? '?'}: loss ${fmt(logs['loss'])}\n`);
    },
  };
  let t;
  try {
    t = await trainOnSeriesFile(data, {
      ...seriesModelOptions(o, arch),
      ...(o.timeColumn ? { timeColumn: o.timeColumn } : {}),
      ...(o.columns ? { valueColumns: o.columns } : {}),
      ...(o.missing ? { missing: o.missing } : {}),
      ...(o.gaps ? { gaps: o.gaps } : {}),
      ...(o.duplicates ? { duplicates: o.duplicates } : {}),
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(o.batch !== undefined ? { batchSize: o.batch } : {}),
      ...(o.lr !== undefined ? { learningRate: o.lr } : {}),
      seed: o.seed,
      callbacks: [epochLine],
      onPlan: (p) => {
        plan = p;
        if (!o.json) process.stdout.write(seriesPlanLine(p, o) + '\n');
      },
      onProgress: (phase, steps, file) => bar.update(phaseLabel(phase, plan), steps, file, 'steps'),
    });
  } finally {
    bar.stop();
  }
  t.ae.save(o.out);
  reportSeriesTraining(data, o, arch, t, {
    streamed: true,
    epochs: t.history.epoch.length,
    batchSize: t.plan.batchSize,
    learningRate: t.plan.learningRate,
    shuffleBuffer: t.plan.shuffleBuffer,
    plan: seriesPlanLine(t.plan, o),
    ...(t.record.training.sampled !== undefined ? { errorsSampled: t.record.training.sampled } : {}),
  });
}
