// The command line on time series: `hourglass train series.csv --kind sequence --window N` and
// what detect, encode, denoise and impute do with a model trained so. The existing commands call
// in here (train for --kind sequence; the others when the model folder holds a sequence model).

import { type Command, Option } from 'commander';
import {
  detectInSeries,
  imputeSeries,
  reconstructSeries,
  requireSeriesRecord,
  scoreSeriesWindows,
  trainOnSeries,
  type SeriesRule,
} from '../apps/series_model.js';
import { reportSeriesTraining, seriesModelOptions } from './series_train_output.js';
import { seriesStreams } from './stream_data.js';
import { trainSeriesStreamCli } from './stream_series_train.js';
import { checkRowsFileName, encodeRowsFile } from '../data/rows_file.js';
import { HourglassError } from '../engine/errors.js';
import type { Autoencoder } from '../models/autoencoder.js';
import type { NoiseSpec } from '../models/denoising_autoencoder.js';
import { SEQUENCE_DEFAULTS } from '../models/defaults.js';
import type { SeriesInterval } from '../series/intervals.js';
import { stepTime } from '../series/series.js';
import type { SeriesThresholdRule } from '../series/threshold.js';
import { writeReport } from './commands/report.js';
import { checkOutputPath, writeFileAtomic } from './files.js';
import { report } from './output.js';
import { choice, positiveInt } from './parse.js';
import { detectSeriesStream, encodeSeriesStream } from './stream_series.js';
import { denoiseSeriesStream, imputeSeriesStream } from './stream_series_repair.js';
import {
  addSeriesReadOptions,
  columnList,
  observedMask,
  readSeriesFor,
  readTrainingSeries,
  seriesCsv,
  valueColumns,
} from './series_inputs.js';

/** train's flags for --kind sequence. */
export function addSeriesTrainOptions(c: Command): Command {
  return addSeriesReadOptions(
    c
      .option('--window <n>', 'sequence: steps per window (Keras example: 288, one day of 5-minute steps)', positiveInt)
      .option('--stride <n>', 'sequence: steps between training windows', positiveInt, 1)
      .option('--time-column <name>', 'sequence: the timestamp column (default: timestamp, time, date or datetime)')
      .option('--columns <a,b>', 'sequence: value columns (default: every numeric column)', columnList)
      .option(
        '--units <n>',
        `sequence lstm/gru: units of encoder and decoder; the code size (default ${SEQUENCE_DEFAULTS.units})`,
        positiveInt,
      )
      .option(
        '--variational',
        `sequence: the variational variant (a Gaussian code of --latent values, default a quarter of window x features, 2-${SEQUENCE_DEFAULTS.latent}; KL weight --beta); hourglass sample draws windows from it`,
      ),
  );
}

export interface SeriesTrainFlags {
  arch: string;
  window?: number;
  stride: number;
  timeColumn?: string;
  columns?: string[];
  units?: number;
  filters?: number[];
  noise?: NoiseSpec;
  variational?: boolean;
  latent?: number;
  beta?: number;
  scaling: string;
  /** Left out: sized from the windows (src/models/defaults.ts). */
  epochs?: number;
  batch?: number;
  lr?: number;
  seed: number;
  validationSplit?: number;
  out: string;
  /** An HTML report of the model on the training series (train --report). */
  report?: string;
  json?: boolean;
  quiet?: boolean;
  missing?: 'error' | 'interpolate' | 'previous';
  gaps?: 'error' | 'keep' | 'interpolate' | 'previous';
  duplicates?: 'error' | 'mean' | 'first' | 'last';
  /** Train from the file in passes, at bounded memory (also above the streaming size). */
  stream?: boolean;
}

/** hourglass train series.csv --kind sequence --window N [--arch conv1d|lstm|gru]. */
export async function trainSeriesCommand(data: string, o: SeriesTrainFlags): Promise<void> {
  if (o.window === undefined)
    throw new HourglassError('--kind sequence needs --window, the steps per window (e.g. 288)');
  const arch = o.arch === 'dense' ? 'conv1d' : o.arch;
  if (arch !== 'conv1d' && arch !== 'lstm' && arch !== 'gru')
    throw new HourglassError(`--kind sequence takes --arch conv1d, lstm or gru, not ${o.arch}`);
  if (o.scaling !== 'standard' && o.scaling !== 'minmax')
    throw new HourglassError('--kind sequence scales the series with --scaling standard or minmax');
  if (o.units !== undefined && arch === 'conv1d') throw new HourglassError('--units is for --arch lstm or gru');
  if (!o.variational && (o.latent !== undefined || o.beta !== undefined))
    throw new HourglassError(
      `${o.latent !== undefined ? '--latent' : '--beta'} is for the variational sequence autoencoder (--variational)`,
    );
  if (seriesStreams(data, o.stream)) return trainSeriesStreamCli(data, o, arch);
  const series = readTrainingSeries(data, o);
  const t = await trainOnSeries(series, {
    ...seriesModelOptions(o, arch),
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.batch !== undefined ? { batchSize: o.batch } : {}),
    ...(o.lr !== undefined ? { learningRate: o.lr } : {}),
    seed: o.seed,
    verbose: !o.quiet && !o.json,
    ...(o.validationSplit ? { validationSplit: o.validationSplit } : {}),
  });
  t.ae.save(o.out);
  if (o.report) await writeReport(t.ae, { data, out: o.report, progress: !o.quiet && !o.json, series: o });
  reportSeriesTraining(data, o, arch, { ...t, steps: series.steps, columns: series.columns }, { epochs: o.epochs });
}

/** detect's flags for sequence models (--contamination and --threshold are detect's own). */
export function addSeriesDetectOptions(c: Command): Command {
  return addSeriesReadOptions(
    // --quantile is detect's own (for sequence models: of the training window errors).
    c
      .option('--intervals <file>', 'sequence models: CSV of the anomaly intervals (start, end, peak)')
      .addOption(
        new Option(
          '--flag-rule <rule>',
          "sequence models: a step is flagged when every window covering it is (Keras's rule) or when its mean score is above the threshold",
        )
          .argParser(choice(['all-windows', 'mean'] as const))
          .default('all-windows'),
      ),
  );
}

interface OutFlags {
  out: string;
  overwrite?: boolean;
  json?: boolean;
  missing?: 'error' | 'interpolate' | 'previous';
  gaps?: 'error' | 'keep' | 'interpolate' | 'previous';
  duplicates?: 'error' | 'mean' | 'first' | 'last';
}

/** hourglass detect DIR series.csv --out scores.csv [--intervals intervals.csv]. */
export async function detectSeriesCommand(
  ae: Autoencoder,
  dir: string,
  data: string,
  stream: boolean,
  o: OutFlags & {
    quantile?: number;
    contamination?: number;
    threshold?: number;
    intervals?: string;
    flagRule: 'all-windows' | 'mean';
  },
): Promise<void> {
  const record = requireSeriesRecord(ae, dir);
  const given = [o.quantile, o.contamination, o.threshold].filter((v) => v !== undefined).length;
  if (given > 1) throw new HourglassError('give at most one of --quantile, --contamination or --threshold');
  if (o.intervals) checkOutputPath(o.intervals, o.overwrite ?? false, '--intervals');
  const rule: SeriesRule =
    o.quantile !== undefined
      ? { quantile: o.quantile }
      : o.contamination !== undefined
        ? { contamination: o.contamination }
        : o.threshold !== undefined
          ? { threshold: o.threshold }
          : { trainingMaximum: true };
  let steps: number, flagged: number, threshold: number, intervals: SeriesInterval[];
  if (stream) {
    const training = record.training.quantiles;
    const thresholdRule: SeriesThresholdRule =
      'trainingMaximum' in rule
        ? { trainingMaximum: training }
        : 'quantile' in rule
          ? { quantile: rule.quantile, trainingScores: training }
          : rule;
    ({ steps, flagged, threshold, intervals } = await detectSeriesStream(
      ae,
      record,
      data,
      o.out,
      thresholdRule,
      o.flagRule,
      o,
      !o.json,
    ));
  } else {
    const { series } = readSeriesFor(record, data, o);
    const d = detectInSeries(ae, series, rule, { flagRule: o.flagRule });
    writeFileAtomic(
      o.out,
      seriesCsv(series, [
        ...valueColumns(series, series.values),
        { name: 'score', at: (i) => d.scores[i]! },
        { name: 'anomaly', at: (i) => d.flagged[i]! },
      ]),
    );
    [steps, flagged, threshold, intervals] = [
      series.steps,
      d.flagged.reduce((a, b) => a + b, 0),
      d.threshold,
      d.intervals,
    ];
  }
  if (o.intervals) {
    const lines = ['start,end,start_time,end_time,steps,peak,peak_time,peak_score'];
    for (const v of intervals)
      lines.push([v.start, v.end, v.startTime, v.endTime, v.steps, v.peak, v.peakTime, v.peakScore].join(','));
    writeFileAtomic(o.intervals, lines.join('\n') + '\n');
  }
  const how =
    'trainingMaximum' in rule
      ? 'the largest training window error'
      : 'quantile' in rule
        ? `the ${o.quantile} quantile of the training errors`
        : 'contamination' in rule
          ? `contamination ${o.contamination}`
          : 'given';
  report(
    o,
    [
      `${data}: ${flagged} of ${steps} steps flagged in ${intervals.length} interval${intervals.length === 1 ? '' : 's'} (threshold ${threshold.toPrecision(4)}, ${how}; window ${record.window}), scores in ${o.out}`,
      ...intervals
        .slice(0, 10)
        .map(
          (v) =>
            `  ${v.startTime} .. ${v.endTime} (${v.steps} steps), peak ${v.peakScore.toPrecision(4)} at ${v.peakTime}`,
        ),
      ...(intervals.length > 10
        ? [`  ... ${intervals.length - 10} more${o.intervals ? ` in ${o.intervals}` : ''}`]
        : []),
    ],
    {
      command: 'detect',
      model: dir,
      data,
      steps,
      window: record.window,
      flagged,
      threshold,
      rule: Object.keys(rule)[0],
      flagRule: o.flagRule,
      out: o.out,
      ...(o.intervals ? { intervalsFile: o.intervals } : {}),
      intervals,
      ...(stream ? { streamed: true } : {}),
    },
  );
}

/** hourglass encode DIR series.csv --out codes.csv: one code per window (every --stride steps). */
export async function encodeSeriesCommand(
  ae: Autoencoder,
  dir: string,
  data: string,
  stream: boolean,
  o: OutFlags & { stride?: number },
): Promise<void> {
  const record = requireSeriesRecord(ae, dir);
  checkRowsFileName(o.out, '--out');
  const stride = o.stride ?? record.stride;
  if (stream) {
    // The window start times are left out of the JSON: one per window, as many as the codes.
    const { rows, dims } = await encodeSeriesStream(ae, record, data, o.out, stride, o, !o.json);
    report(o, [`wrote ${rows} codes of ${dims} values (one per window of ${record.window} steps) to ${o.out}`], {
      command: 'encode',
      model: dir,
      data,
      rows,
      dims,
      window: record.window,
      out: o.out,
      streamed: true,
    });
    return;
  }
  const { series } = readSeriesFor(record, data, o);
  const { windows } = scoreSeriesWindows(ae, series, stride);
  const codes = ae.encode(windows);
  const [rows, dims] = codes.shape as [number, number];
  writeFileAtomic(o.out, encodeRowsFile(codes.data, rows, dims, o.out, 'codes', 'z'));
  report(o, [`wrote ${rows} codes of ${dims} values (one per window of ${record.window} steps) to ${o.out}`], {
    command: 'encode',
    model: dir,
    data,
    rows,
    dims,
    window: record.window,
    windowStarts: Array.from(windows.starts, (s) => stepTime(series, s)),
    out: o.out,
  });
}

function checkCsvOut(out: string): void {
  if (!/\.csv$/i.test(out)) throw new HourglassError(`--out ${out}: a series is written as a .csv file`);
}

/** hourglass denoise DIR series.csv --out clean.csv: every step rebuilt (mean over its windows). */
export async function denoiseSeriesCommand(
  ae: Autoencoder,
  dir: string,
  data: string,
  stream: boolean,
  o: OutFlags & { quiet?: boolean },
): Promise<void> {
  const record = requireSeriesRecord(ae, dir);
  checkCsvOut(o.out);
  let steps: number, columns: string[];
  if (stream) {
    ({ steps } = await denoiseSeriesStream(ae, record, data, o.out, o, !o.quiet && !o.json));
    columns = record.scaling.columns.map((c) => c.name);
  } else {
    const { series } = readSeriesFor(record, data, o);
    const cleaned = reconstructSeries(ae, series);
    writeFileAtomic(o.out, seriesCsv(series, valueColumns(series, cleaned)));
    [steps, columns] = [series.steps, series.columns];
  }
  report(o, [`${data}: wrote ${steps} cleaned steps of ${columns.join(', ')} to ${o.out}`], {
    command: 'denoise',
    model: dir,
    data,
    steps,
    out: o.out,
    ...(stream ? { streamed: true } : {}),
  });
}

/** hourglass impute DIR series.csv --out filled.csv: missing values filled by the model. */
export async function imputeSeriesCommand(
  ae: Autoencoder,
  dir: string,
  data: string,
  stream: boolean,
  o: OutFlags & { maxRounds: number; quiet?: boolean },
): Promise<void> {
  const record = requireSeriesRecord(ae, dir);
  checkCsvOut(o.out);
  const rounds = Math.min(o.maxRounds, 10);
  let steps: number, missing: number;
  if (stream) {
    ({ steps, filledCells: missing } = await imputeSeriesStream(
      ae,
      record,
      data,
      o.out,
      rounds,
      o,
      !o.quiet && !o.json,
    ));
  } else {
    // Missing cells start from linear interpolation; gaps are filled only when asked.
    const { series, text } = readSeriesFor(record, data, {
      ...o,
      missing: o.missing === 'previous' ? 'previous' : 'interpolate',
    });
    const mask = observedMask(series, text);
    missing = mask.length - mask.reduce((a, b) => a + b, 0);
    const filled = imputeSeries(ae, series, mask, rounds);
    writeFileAtomic(o.out, seriesCsv(series, valueColumns(series, filled)));
    steps = series.steps;
  }
  report(o, [`${data}: filled ${missing} missing values of ${steps} steps; wrote ${o.out}`], {
    command: 'impute',
    model: dir,
    data,
    steps,
    filledCells: missing,
    out: o.out,
    ...(stream ? { streamed: true } : {}),
  });
}
