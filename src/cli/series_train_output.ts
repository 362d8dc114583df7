// What train --kind sequence hands the library and prints when done, shared by the in-memory run
// (series_commands.ts) and the streamed one (stream_series_train.ts), so both give the same final
// lines and --json fields.

import type { SeriesModelRecord } from '../apps/series_model.js';
import type { History } from '../model/fit.js';
import type { SequenceArch } from '../models/sequence_autoencoder.js';
import type { SeriesScalingMethod } from '../series/scaling.js';
import { fmt, report } from './output.js';
import type { SeriesTrainFlags } from './series_commands.js';

/** The network and scaling flags as trainOnSeries (and trainOnSeriesFile) take them. */
export function seriesModelOptions(o: SeriesTrainFlags, arch: SequenceArch) {
  return {
    window: o.window!,
    stride: o.stride,
    arch,
    ...(o.units !== undefined ? { units: o.units } : {}),
    ...(o.filters ? { filters: o.filters } : {}),
    ...(o.noise ? { noise: o.noise } : {}),
    ...(o.variational ? { variational: true } : {}),
    ...(o.latent !== undefined ? { latent: o.latent } : {}),
    ...(o.beta !== undefined ? { beta: o.beta } : {}),
    scaling: o.scaling as SeriesScalingMethod,
  };
}

/** What a finished sequence training reports (in memory or streamed). */
export interface SeriesTrainingSummary {
  steps: number;
  columns: string[];
  windows: number;
  seconds: number;
  history: History;
  record: SeriesModelRecord;
}

/** The final lines and --json fields of train --kind sequence; `extra` adds the streamed run's fields. */
export function reportSeriesTraining(
  data: string,
  o: SeriesTrainFlags,
  arch: SequenceArch,
  t: SeriesTrainingSummary,
  extra: Record<string, unknown> & { streamed?: true },
): void {
  const last = (k: string) => t.history.history[k]?.at(-1);
  const maximum = t.record.training.quantiles.at(-1)!;
  const elbo = last('negative_elbo');
  const variant = `${o.noise ? 'denoising ' : ''}${o.variational ? 'variational ' : ''}`;
  const epochs = extra.streamed ? ` after ${t.history.epoch.length} epochs` : '';
  report(
    o,
    [
      `trained a ${variant}${arch} sequence autoencoder on ${data} (${t.steps} steps of ${t.columns.join(', ')}; ${t.windows} windows of ${o.window}${extra.streamed ? ', streamed' : ''}) in ${t.seconds.toFixed(1)}s`,
      `final loss ${fmt(last('loss'))} (mse${o.variational ? ' + KL' : ''})${epochs}${elbo !== undefined ? `, negative ELBO ${elbo.toFixed(2)} nats` : ''}${last('val_loss') !== undefined ? `, validation loss ${fmt(last('val_loss'))}` : ''}; largest training window error ${maximum.toPrecision(4)} (mae, the default threshold)`,
      `saved to ${o.out}${o.report ? `, report in ${o.report}` : ''}`,
    ],
    {
      command: 'train',
      kind: 'sequence',
      arch,
      variational: o.variational === true,
      data,
      steps: t.steps,
      columns: t.columns,
      window: o.window,
      stride: o.stride,
      windows: t.windows,
      out: o.out,
      seconds: t.seconds,
      loss: last('loss'),
      valLoss: last('val_loss') ?? null,
      ...(elbo !== undefined ? { negativeElbo: elbo } : {}),
      trainingMaximum: maximum,
      history: t.history.history,
      ...extra,
    },
  );
}
