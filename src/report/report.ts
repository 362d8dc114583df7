// report(ae, data, options): one self-contained HTML page about an autoencoder and its job:
// the model and its training, and, given rows, its reconstructions, codes, anomalies, samples
// and compression. Runs wherever the library runs (no Node module), so a page can offer it too.

import type { Bits } from '../apps/compress.js';
import type { Table } from '../data/table.js';
import { HourglassError } from '../engine/errors.js';
import type { TensorLike } from '../engine/tensor.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { LIBRARY_VERSION } from '../version.js';
import { rowsContext, type RowsContext } from './context.js';
import type { ChartSpec } from './chart_spec.js';
import { reportPage, type Section } from './html.js';
import type { ImageShape } from './image_grid.js';
import { anomaliesSection } from './sections/anomalies_section.js';
import { codesSection } from './sections/codes_section.js';
import { compressionSection } from './sections/compression_section.js';
import { imagesSection } from './sections/images_section.js';
import { modelSection } from './sections/model_section.js';
import { tableSection } from './sections/table_section.js';
import { trainingSection } from './sections/training_section.js';
import { vaeSection } from './sections/vae_section.js';

export interface ReportOptions {
  title?: string;
  /** Names the data in the report (a file, a dataset). */
  source?: string;
  /**
   * One integer label per row (digits, classes): the code map is coloured by them and the codes'
   * k-NN accuracy is given. Labels that are all 0 or 1 are also anomaly labels (1 = anomaly):
   * ROC and precision-recall curves with their areas.
   */
  labels?: ArrayLike<number>;
  /** A name for each label value (labelNames[label]). */
  labelNames?: string[];
  /** [height, width, channels] of image rows (default: saved with the model, or the network's input shape). */
  image?: ImageShape;
  /** 1 observed, 0 missing, for rows given as numbers (tables given as a Table bring their own). */
  mask?: TensorLike;
  /** The anomaly threshold on the mean squared error, or the expected share of anomalies (default 0.05). */
  threshold?: number;
  contamination?: number;
  /** Rows drawn in the code map (default 10,000: the first ones). */
  mapPoints?: number;
  /**
   * Rows drawn in the UMAP map of the codes at most (default 2,000; beyond, a random sample of
   * that many); 0 leaves the UMAP map out. UMAP takes seconds where PCA takes milliseconds.
   */
  umapRows?: number;
  /** Seeds the UMAP map's sample and layout (default 42): the same seed, the same map. */
  umapSeed?: number;
  /** Bits per code value for the compression section (default 8). */
  compressionBits?: Bits;
  /** Bytes of the data as stored (a file's size), for the compression ratio. */
  rawBytes?: number;
  /**
   * More sections, placed after the built-in ones: the hook for kinds of data the report does not
   * know yet (series: the series with its per-step scores, the threshold and the flagged intervals).
   */
  sections?: Section[];
  /** Called before each step of the work, for a progress bar. */
  onProgress?: (done: number, total: number, step: string) => void;
  /** The time printed in the report (default now). */
  generatedAt?: Date;
}

type Step = [name: string, run: () => Section | null];

/**
 * The report as one HTML string: scripts, styles, chart data and images inlined, nothing fetched.
 * Without data it has the model and its training; with rows (a tensor, or a Table for models
 * trained on tables) also the sections that apply to them.
 */
export function report(ae: Autoencoder, data?: TensorLike | Table | null, options: ReportOptions = {}): string {
  return buildReport(ae, data, options).html;
}

export interface BuiltReport {
  html: string;
  sections: Section[];
  /** Every chart of the page, in order (what `hourglass report --png` draws). */
  charts: ChartSpec[];
}

/** The report with its parts: the page, and the sections and charts it is made of. */
export function buildReport(
  ae: Autoencoder,
  data?: TensorLike | Table | null,
  options: ReportOptions = {},
): BuiltReport {
  if (!ae.built)
    throw new HourglassError('report: the autoencoder has not been trained yet; fit it or load a saved one');
  if (options.mapPoints !== undefined && !(Number.isInteger(options.mapPoints) && options.mapPoints > 0))
    throw new HourglassError(`report: mapPoints must be a positive integer, got ${options.mapPoints}`);
  if (options.umapRows !== undefined && !(Number.isInteger(options.umapRows) && options.umapRows >= 0))
    throw new HourglassError(
      `report: umapRows must be a whole number of rows (0 for no UMAP map), got ${options.umapRows}`,
    );
  if (options.umapSeed !== undefined && !Number.isInteger(options.umapSeed))
    throw new HourglassError(`report: umapSeed must be an integer, got ${options.umapSeed}`);
  if (options.contamination !== undefined && !(options.contamination > 0 && options.contamination < 0.5))
    throw new HourglassError(`report: contamination must be between 0 and 0.5, got ${options.contamination}`);
  let ctx: RowsContext | null = null;
  const withRows = (f: (c: RowsContext) => Section | null) => () => (ctx ? f(ctx) : null);
  const steps: Step[] = [
    ['model', () => modelSection(ae)],
    ['training curves', () => trainingSection(ae)],
  ];
  if (data !== undefined && data !== null) {
    steps.push(
      [
        'reconstructing',
        () => {
          ctx = rowsContext(ae, data, options);
          return null;
        },
      ],
      ['images', withRows(imagesSection)],
      ['table', withRows(tableSection)],
      [
        'codes',
        withRows((c) =>
          codesSection(c, {
            maxPoints: options.mapPoints ?? 10_000,
            umapRows: options.umapRows,
            umapSeed: options.umapSeed,
          }),
        ),
      ],
      ['anomalies', withRows((c) => anomaliesSection(c, options))],
      ['samples', withRows(vaeSection)],
      ['compression', withRows((c) => compressionSection(c, options.compressionBits ?? 8, options.rawBytes))],
    );
  }
  const sections: Section[] = [];
  steps.forEach(([name, run], i) => {
    options.onProgress?.(i, steps.length, name);
    const s = run();
    if (s) sections.push(s);
  });
  sections.push(...(options.sections ?? []));
  options.onProgress?.(steps.length, steps.length, 'done');
  const rows = ctx ? (ctx as RowsContext).rows : 0;
  const generated = (options.generatedAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const html = reportPage(
    {
      title: options.title ?? `Hourglass report: ${ae.kind} autoencoder`,
      // Without rows, the source names what the added sections read (a series file), if anything.
      subtitle: `${rows ? `${rows.toLocaleString('en-US')} rows of ${options.source ?? 'data'}` : (options.source ?? 'the model without data')} · hourglass-ae ${LIBRARY_VERSION}`,
      generated,
    },
    sections,
  );
  return { html, sections, charts: sections.flatMap((s) => s.charts) };
}

export type { Section };
