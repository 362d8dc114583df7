// hourglass report: one self-contained HTML page about a saved model (its training, and given
// data, its reconstructions, codes, anomalies, samples and compression); --png writes the main
// charts as PNG files for terminals and notebooks. `train --report` calls writeReport at the end.
// A sequence model (train --kind sequence) is reported on a series file: the series with its
// per-step scores, the threshold and the flagged intervals, scored as `hourglass detect` does.

import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { detectInSeries, seriesRecordOf, type SeriesRule } from '../../apps/series_model.js';
import { HourglassError } from '../../engine/errors.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { buildReport, type ReportOptions } from '../../report/report.js';
import { seriesSection } from '../../report/sections/series_section.js';
import { renderChart } from '../../report/raster.js';
import { encodeRgbaPng } from '../../report/png_bytes.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report as print, run } from '../output.js';
import { taskProgress, type TaskProgress } from '../progress.js';
import { fraction, nonNegativeInt, positiveInt, positiveNumber } from '../parse.js';
import { reportSample, REPORT_SAMPLE_ROWS } from '../report_sample.js';
import { STREAM_ABOVE_BYTES, streamsData } from '../stream_data.js';
import { addSeriesReadOptions, readSeriesFor, type SeriesReadFlags } from '../series_inputs.js';

/**
 * One label per line (a header line is allowed): integers, or names (numbered in sorted order).
 * 0/1 labels are anomaly labels too (1 = anomaly).
 */
export function readLabelFile(file: string, rows: number): { labels: Int32Array; names?: string[] } {
  if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such labels file`);
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === rows + 1) lines.shift();
  if (lines.length !== rows)
    throw new HourglassError(`${file} has ${lines.length} labels but the data has ${rows} rows (one label per line)`);
  if (lines.every((l) => /^-?\d+$/.test(l))) return { labels: Int32Array.from(lines, Number) };
  const names = [...new Set(lines)].sort();
  if (names.length > 100)
    throw new HourglassError(`${file}: ${names.length} different labels; give at most 100 classes (or integers)`);
  return { labels: Int32Array.from(lines, (l) => names.indexOf(l)), names };
}

export interface WriteReportOptions {
  /** The data spec (file, folder or built-in dataset), or none for the model and its training only. */
  data?: string | undefined;
  labels?: string | undefined;
  out: string;
  png?: string | undefined;
  progress: boolean;
  report?: Omit<ReportOptions, 'labels' | 'labelNames' | 'onProgress' | 'source' | 'rawBytes'>;
  /** How a series file is read, for sequence models (--missing, --gaps, --duplicates). */
  series?: SeriesReadFlags;
  /** Report on a sample of the rows drawn in a streaming pass (report_sample.ts), not on them all. */
  stream?: boolean;
}

/** The rule detect uses for a sequence model: the given threshold or share, else the largest training window error. */
function seriesRule(o: WriteReportOptions['report']): { rule: SeriesRule; how: string } {
  if (o?.threshold !== undefined) return { rule: { threshold: o.threshold }, how: 'given' };
  if (o?.contamination !== undefined)
    return { rule: { contamination: o.contamination }, how: `contamination ${o.contamination}` };
  return { rule: { trainingMaximum: true }, how: 'the largest training window error, as hourglass detect' };
}

/** Builds the report of a model and writes it (and its charts as PNGs); returns what was written. */
export async function writeReport(
  ae: Autoencoder,
  o: WriteReportOptions,
): Promise<{ bytes: number; rows: number; unit: 'rows' | 'steps'; pngs: string[] }> {
  // The bar starts at the first step, when the report knows how many steps it has.
  let bar: TaskProgress | null = null;
  const options: ReportOptions = {
    ...o.report,
    onProgress: (done, total, step) => {
      bar ??= taskProgress('Report', total, o.progress);
      bar.update(done, step);
    },
  };
  let data: Parameters<typeof buildReport>[1] = null;
  let rows = 0;
  const record = seriesRecordOf(ae);
  if (record && o.data) {
    if (o.labels)
      throw new HourglassError(
        '--labels is for rows of data; the report of a sequence model flags intervals of the series by its threshold',
      );
    const { series } = readSeriesFor(record, o.data, o.series ?? {});
    const { rule, how } = seriesRule(o.report);
    const detection = detectInSeries(ae, series, rule);
    rows = series.steps;
    options.source = o.data;
    options.sections = [
      ...(options.sections ?? []),
      seriesSection(series, detection, 0, `mean absolute error of the windows; threshold: ${how}`),
    ];
  } else if (o.data && o.stream) {
    if (o.labels)
      throw new HourglassError(
        '--labels: a streamed report shows a sample of the rows; leave out --stream to use labels',
      );
    const s = await reportSample(ae, o.data, o.progress);
    rows = s.sampled;
    options.source = s.source;
    data = s.data;
    if (s.rawBytes !== undefined) options.rawBytes = s.rawBytes;
    if (s.image) options.image = s.image;
  } else if (o.data) {
    const r = await rowsFor(ae, o.data);
    rows = r.x.shape[0]!;
    options.source = r.ds.name;
    data = r.preprocessing && r.ds.table ? r.ds.table : r.x;
    if (!r.preprocessing && r.mask) options.mask = r.mask;
    if (r.ds.table && fs.existsSync(o.data) && fs.statSync(o.data).isFile())
      options.rawBytes = fs.statSync(o.data).size;
    if (r.ds.image) options.image = r.ds.image;
    if (o.labels) {
      const l = readLabelFile(o.labels, rows);
      options.labels = l.labels;
      if (l.names) options.labelNames = l.names;
    } else if (r.ds.labels) options.labels = r.ds.labels;
  } else if (o.labels) throw new HourglassError('--labels needs data: give the rows the labels belong to');
  let built;
  try {
    built = buildReport(ae, data, options);
  } finally {
    (bar as TaskProgress | null)?.stop();
  }
  writeFileAtomic(o.out, built.html);
  const pngs: string[] = [];
  if (o.png) {
    fs.mkdirSync(o.png, { recursive: true });
    for (const chart of built.charts) {
      const file = path.join(o.png, `${chart.id}.png`);
      writeFileAtomic(file, encodeRgbaPng(renderChart(chart)));
      pngs.push(file);
    }
  }
  return { bytes: Buffer.byteLength(built.html), rows, unit: record && o.data ? 'steps' : 'rows', pngs };
}

export function reportCommand(): Command {
  const command = new Command('report')
    .description(
      'write one self-contained HTML report of a model: training curves, and given data its reconstructions, codes, anomalies, samples and compression',
    )
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('[data]', `rows to report on: ${DATA_HELP}; for a sequence model, a series CSV file`)
    .option(
      '--labels <file>',
      'one label per row (integers or names); 0/1 labels (1 = anomaly) also give ROC and PR curves',
    )
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--png <dir>', 'also write the main charts as PNG files into this folder')
    .option('--title <text>', 'title of the report')
    .option(
      '--contamination <r>',
      'expected share of anomalies, for the threshold (default 0.05; sequence models: the largest training window error)',
      fraction,
    )
    .option(
      '--threshold <t>',
      "anomaly threshold on the mean squared error (sequence models: on the windows' mean absolute error)",
      positiveNumber,
    )
    .option('--map-points <n>', 'rows drawn in the code map (default 10000)', positiveInt)
    .option(
      '--umap-rows <n>',
      'rows drawn in the UMAP map of the codes at most, a seeded sample beyond (default 2000; 0: no UMAP map)',
      nonNegativeInt,
    )
    .option('--umap-seed <n>', 'seed of the UMAP map (default 42)', nonNegativeInt)
    .option('--overwrite', 'replace an existing --out file', false)
    .option(
      '--stream',
      `report on a uniform sample of ${REPORT_SAMPLE_ROWS} rows drawn in one streaming pass, at bounded memory (automatic for files above ${STREAM_ABOVE_BYTES >> 20} MB)`,
    )
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output');
  return addSeriesReadOptions(command).action((dir: string, data: string | undefined, o) =>
    run(async () => {
      checkOutputPath(o.out, o.overwrite, '--out');
      if (o.contamination !== undefined && o.threshold !== undefined)
        throw new HourglassError('give at most one of --contamination or --threshold');
      const ae = loadAutoencoder(dir);
      const written = await writeReport(ae, {
        data,
        labels: o.labels,
        out: o.out,
        png: o.png,
        progress: !o.quiet && !o.json,
        report: {
          ...(o.title ? { title: o.title } : {}),
          ...(o.contamination !== undefined ? { contamination: o.contamination } : {}),
          ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
          ...(o.mapPoints ? { mapPoints: o.mapPoints } : {}),
          ...(o.umapRows !== undefined ? { umapRows: o.umapRows } : {}),
          ...(o.umapSeed !== undefined ? { umapSeed: o.umapSeed } : {}),
        },
        series: o,
        stream: data !== undefined && !seriesRecordOf(ae) && streamsData(data, o.stream),
      });
      print(
        o,
        [
          `wrote ${o.out} (${(written.bytes / 1e6).toFixed(2)} MB${written.rows ? `, ${written.rows} ${written.unit}` : ', the model and its training'})`,
          ...(written.pngs.length ? [`charts: ${written.pngs.join(', ')}`] : []),
        ],
        {
          command: 'report',
          model: dir,
          data: data ?? null,
          out: o.out,
          bytes: written.bytes,
          [written.unit]: written.rows,
          pngs: written.pngs,
        },
      );
    }),
  );
}
