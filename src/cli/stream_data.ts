// When and how a command streams its <data>: files above STREAM_ABOVE_BYTES (or any file with
// --stream) are read a batch at a time instead of whole, so memory stays bounded whatever the
// size; the batches come prepared as the model reads them (a table through its saved
// preprocessing, gaps as masks). The progress bar counts megabytes of the file, so its ETA comes
// from the file's size, and names the rows done.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { size } from '../layers/layer.js';
import { type Dataset } from '../data/dataset.js';
import { openFile, type StreamedFile, type TableFile } from '../data/dataset_files.js';
import { maskedBatches, maskedRows } from '../data/table_stream.js';
import { featureNames, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { preprocessingOf } from '../apps/tabular.js';
import { createTaskProgress, type TaskReporter } from '../model/progress.js';
import { imageOptionsFor } from './inputs.js';

const MB = 1 << 20;

/** Files larger than this stream without --stream (HOURGLASS_STREAM_ABOVE_MB changes it). */
export const STREAM_ABOVE_BYTES = 256 * MB;

export const STREAM_HELP = `read the data a batch at a time, at bounded memory, writing output rows as they are computed (automatic for files above ${STREAM_ABOVE_BYTES / MB} MB)`;

/**
 * Whether a sequence model's detect or encode streams its series: --stream, or a .csv/.tsv above
 * the size (the series is read in one pass, in the file's order: series_stream.ts).
 */
export function seriesStreams(spec: string, flag: boolean | undefined): boolean {
  if (!fs.existsSync(spec)) {
    if (flag) throw new HourglassError(`--stream: ${spec} is not a file`);
    return false;
  }
  if (flag && !/\.(csv|tsv)$/i.test(spec))
    throw new HourglassError(`--stream: ${spec}: a series streams from a .csv or .tsv file`);
  return Boolean(flag) || (/\.(csv|tsv)$/i.test(spec) && fs.statSync(spec).size > streamAbove());
}

const STREAMABLE = /\.(csv|tsv|ndjson|jsonl|parquet|npy)$/i;

/** The size above which a file streams without --stream. */
export function streamAbove(): number {
  const v = Number(process.env['HOURGLASS_STREAM_ABOVE_MB']);
  return Number.isFinite(v) && v >= 0 && process.env['HOURGLASS_STREAM_ABOVE_MB'] ? v * MB : STREAM_ABOVE_BYTES;
}

/** Whether `spec` is streamed: asked for with --stream, or a streamable file above the size. */
export function streamsData(spec: string, flag: boolean | undefined): boolean {
  if (!fs.existsSync(spec)) {
    if (flag) throw new HourglassError(`--stream: ${spec} is not a file (built-in datasets are read into memory)`);
    return false;
  }
  const folder = fs.statSync(spec).isDirectory();
  const lower = spec.toLowerCase();
  const streamable = folder || STREAMABLE.test(spec) || lower.includes('idx') || lower.endsWith('ubyte');
  if (flag && !streamable)
    throw new HourglassError(
      `--stream: ${spec} cannot be streamed (stream .csv, .tsv, .ndjson, .parquet, .npy, IDX files or image folders; .json and .npz files are read whole)`,
    );
  return Boolean(flag) || (streamable && !folder && fs.statSync(spec).size > streamAbove());
}

/** Bytes of the file behind `rows` rows of the current pass. */
function bytesAt(file: StreamedFile, rows: number): number {
  if (file.kind === 'table' && file.position) return file.position();
  const count = file.count ?? 0;
  return count ? Math.min(file.bytes, (rows / count) * file.bytes) : 0;
}

/** A bar over the file's megabytes with the rows done, drawn at most ten times a second. */
export class StreamProgress {
  private bar: TaskReporter | null = null;
  private phase = '';
  private last = 0;

  constructor(private readonly enabled: boolean) {}

  /** `unit` names what `rows` counts (a series' steps). */
  update(phase: string, rows: number, file: StreamedFile, unit = 'rows'): void {
    if (!this.enabled) return;
    if (phase !== this.phase) {
      this.bar?.done();
      this.phase = phase;
      this.bar = createTaskProgress(phase, Math.max(1, Math.ceil(file.bytes / MB)));
    }
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.bar?.update(Math.round(bytesAt(file, rows) / MB), `MB, ${rows.toLocaleString('en-US')} ${unit}`);
  }

  stop(): void {
    this.bar?.done();
    this.bar = null;
    this.phase = '';
  }
}

export interface ModelBatch {
  x: Tensor;
  /** 1 observed, 0 missing; null when the batch has no gaps. */
  mask: Tensor | null;
  /** Index of the batch's first row in the file. */
  first: number;
}

export interface ModelStream {
  file: StreamedFile;
  batches: Dataset<ModelBatch>;
  preprocessing: TabularPreprocessing | null;
  features: string[] | undefined;
}

/** Rows per inference batch: large enough that a batch costs little against its rows. */
export const STREAM_BATCH = 1024;

/**
 * A table's rows read as numbers, for models trained on arrays (as numericRows reads a table in
 * memory): an empty or non-numeric cell is refused, naming its row and column.
 */
export function numericCells(file: TableFile, spec: string): Dataset<Float32Array> {
  return file.cells.map((cells, i) =>
    Float32Array.from(cells, (c, j) => {
      const v = Number(c);
      if (c === '' || !Number.isFinite(v))
        throw new HourglassError(
          `${spec}: data row ${i + 1}, column ${j + 1} ('${file.columns[j]}') is ${c === '' ? 'empty' : `'${c}'`}, not a number`,
        );
      return v;
    }),
  );
}

/** The file's rows as the model reads them, in batches, read ahead of the work on them. */
export async function modelStream(ae: Autoencoder, spec: string, batchSize = STREAM_BATCH): Promise<ModelStream> {
  const file = await openFile(spec, imageOptionsFor(ae.model.input.shape));
  const p = preprocessingOf(ae);
  const inputs = size(ae.model.input.shape);
  let batches: Dataset<Tensor | { x: Tensor; mask: Tensor }>;
  if (p) {
    if (file.kind !== 'table')
      throw new HourglassError(
        `${spec}: this model was trained on a table (columns ${p.columns
          .slice(0, 4)
          .map((c) => `'${c.name}'`)
          .join(', ')}${p.columns.length > 4 ? ', ...' : ''}); give it a table (CSV, NDJSON or Parquet)`,
      );
    batches = maskedBatches(maskedRows(p, file.columns, file.cells, spec), batchSize);
  } else if (file.kind === 'table') {
    // A model trained on arrays reads a table's cells as numbers (as numericRows does in memory).
    const width = file.columns.length;
    if (width !== inputs)
      throw new HourglassError(`${spec}: its rows have ${width} values, this model reads ${inputs}`);
    batches = numericCells(file, spec).batch(batchSize);
  } else {
    if (file.width !== inputs)
      throw new HourglassError(`${spec}: its rows have ${file.width} values, this model reads ${inputs}`);
    batches = file.rows.batch(batchSize);
  }
  let first = 0;
  const prepared = batches.map((b, i): ModelBatch => {
    if (i === 0) first = 0;
    const out = 'mask' in b ? { x: b.x, mask: b.mask, first } : { x: b, mask: null, first };
    first += out.x.shape[0]!;
    return out;
  });
  return {
    file,
    batches: prepared.prefetch(4),
    preprocessing: p,
    features: p ? featureNames(p) : file.kind === 'table' ? file.columns : undefined,
  };
}
