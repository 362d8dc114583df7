// hourglass report: one self-contained HTML page about a saved model (its training, and given
// data, its reconstructions, codes, anomalies, samples and compression); --png writes the main
// charts as PNG files for terminals and notebooks. `train --report` calls writeReport at the end.

import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { HourglassError } from '../../engine/errors.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { buildReport, type ReportOptions } from '../../report/report.js';
import { renderChart } from '../../report/raster.js';
import { encodeRgbaPng } from '../../report/png_bytes.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report as print, run } from '../output.js';
import { taskProgress, type TaskProgress } from '../progress.js';
import { fraction, positiveInt, positiveNumber } from '../parse.js';

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
}

/** Builds the report of a model and writes it (and its charts as PNGs); returns what was written. */
export async function writeReport(
  ae: Autoencoder,
  o: WriteReportOptions,
): Promise<{ bytes: number; rows: number; pngs: string[] }> {
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
  if (o.data) {
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
  return { bytes: Buffer.byteLength(built.html), rows, pngs };
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'write one self-contained HTML report of a model: training curves, and given data its reconstructions, codes, anomalies, samples and compression',
    )
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('[data]', `rows to report on: ${DATA_HELP}`)
    .option(
      '--labels <file>',
      'one label per row (integers or names); 0/1 labels (1 = anomaly) also give ROC and PR curves',
    )
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--png <dir>', 'also write the main charts as PNG files into this folder')
    .option('--title <text>', 'title of the report')
    .option('--contamination <r>', 'expected share of anomalies, for the threshold (default 0.05)', fraction)
    .option('--threshold <t>', 'anomaly threshold on the mean squared error', positiveNumber)
    .option('--map-points <n>', 'rows drawn in the code map (default 10000)', positiveInt)
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--json', 'print one JSON object as the last line')
    .option('--quiet', 'no progress output')
    .action((dir: string, data: string | undefined, o) =>
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
          },
        });
        print(
          o,
          [
            `wrote ${o.out} (${(written.bytes / 1e6).toFixed(2)} MB${written.rows ? `, ${written.rows} rows` : ', the model and its training'})`,
            ...(written.pngs.length ? [`charts: ${written.pngs.join(', ')}`] : []),
          ],
          {
            command: 'report',
            model: dir,
            data: data ?? null,
            out: o.out,
            bytes: written.bytes,
            rows: written.rows,
            pngs: written.pngs,
          },
        );
      }),
    );
}
