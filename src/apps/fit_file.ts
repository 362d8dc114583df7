// Training an autoencoder straight from a file on disk, at constant memory: arrays (.npy, IDX,
// image folders) stream as rows; tables (CSV/TSV, NDJSON, Parquet) get their preprocessing
// fitted in a first streaming pass over the file (or over its first rows, when asked) and saved
// with the model, then stream as prepared rows with their masks, so gaps stay out of the loss.
// Rows go through a seeded shuffle buffer, are batched, and are read ahead of the step.

import type { Autoencoder, AutoencoderDatasetFitOptions } from '../models/autoencoder.js';
import type { History } from '../model/fit.js';
import { type Dataset } from '../data/dataset.js';
import { openFile, type OpenOptions, type StreamedFile } from '../data/dataset_files.js';
import { fitPreprocessingStream, maskedBatches, maskedRows, type PreparedRow } from '../data/table_stream.js';
import type { Tensor } from '../engine/tensor.js';
import type { MaskedBatch } from '../model/fit_dataset.js';
import { rowWidth, type Scaling, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { PREPROCESSING_KEY } from './tabular.js';

/** Rows held by the shuffle buffer by default: a few MB for typical rows, and a good mix. */
export const SHUFFLE_ROWS = 8192;

/** What a run chooses once the rows are counted (the command line sizes its budget from them). */
export interface FilePlan {
  epochs?: number;
  batchSize: number;
  learningRate?: number;
}

export interface FileFitOptions extends AutoencoderDatasetFitOptions, OpenOptions {
  /** Rows per step, or a plan made from the rows and inputs (counted in the first pass for tables). */
  batchSize: number | ((rows: number, inputs: number) => FilePlan);
  /** Called as rows are read: the phase ('preprocessing', or 'training' with the epoch), rows this pass. */
  onProgress?: (phase: string, rows: number, file: StreamedFile) => void;
  /** Tables: how numeric columns are scaled (default standard). */
  scaling?: Scaling;
  /** Rows of the shuffle buffer (default SHUFFLE_ROWS); 0 trains in file order. */
  shuffleBuffer?: number;
  /** Tables: fit the preprocessing on the first n rows only (default: one pass over every row). */
  preprocessingRows?: number;
  /** Batches read ahead of the training step (default 4). */
  prefetch?: number;
}

export interface FileFit {
  history: History;
  file: StreamedFile;
  /** Rows trained on in the last epoch. */
  rows: number;
  /** Missing cells seen in the last pass (tables). */
  missingCells: number;
  preprocessing: TabularPreprocessing | null;
}

/** Opens the file, fits what it needs and trains `ae` on it (the preprocessing is kept in ae.extra). */
export async function fitFile(ae: Autoencoder, path: string, o: FileFitOptions): Promise<FileFit> {
  const { batchSize, scaling, shuffleBuffer, preprocessingRows, prefetch, imageSize, channels, onProgress, ...rest } =
    o;
  const file = await openFile(path, {
    ...(imageSize ? { imageSize } : {}),
    ...(channels ? { channels } : {}),
  });
  const seed = o.seed ?? 42;
  let rows = 0,
    missingCells = 0,
    preprocessing: TabularPreprocessing | null = null;
  let prepared: Dataset<PreparedRow>;
  let counted = file.kind === 'array' ? file.count : 0;
  if (file.kind === 'table') {
    const head = preprocessingRows !== undefined ? file.cells.take(preprocessingRows) : file.cells;
    const cells = head.map((r, i) => {
      counted = i + 1;
      onProgress?.('preprocessing', i + 1, file);
      return r;
    });
    preprocessing = await fitPreprocessingStream(file.columns, cells, scaling ?? 'standard', path);
    ae.extra[PREPROCESSING_KEY] = preprocessing;
    prepared = maskedRows(preprocessing, file.columns, file.cells, path);
  } else {
    // The reader's rows are views into its 4 MB chunks: shuffleRows copies each into its block
    // (no chunk is kept alive), and unshuffled batches copy them as they are grouped.
    prepared = file.rows.map((x) => ({ x, mask: null, missing: 0 }));
  }
  const inputs = preprocessing ? rowWidth(preprocessing) : file.kind === 'array' ? file.width : 0;
  const plan: FilePlan = typeof batchSize === 'number' ? { batchSize } : batchSize(counted, inputs);
  let epoch = 0;
  // Counts a pass's rows (the i-th of this pass) for the progress bar and the summary.
  const tally = (i: number, missing: number, count = 1): void => {
    if (i === 0) {
      rows = missingCells = 0;
      epoch++;
    }
    rows += count;
    missingCells += missing;
    onProgress?.(`training ${epoch}`, rows, file);
  };
  const tallied = prepared.map((r, i) => {
    tally(i, r.missing);
    return r;
  });
  let batches: Dataset<Tensor | MaskedBatch>;
  if (file.kind === 'array' && shuffleBuffer !== 0) {
    // Arrays have no masks: their rows are shuffled in one block and batched as they come out,
    // the same batches as below without a copy per row (see Dataset.shuffleRows).
    // Straight from the reader's rows, counted as batches (each stage a row passes is an async
    // step of its own, most of a streamed fit's own cost); the count lags by the shuffle buffer.
    const buffer = shuffleBuffer ?? SHUFFLE_ROWS;
    batches = (
      file.chunks
        ? file.chunks.shuffleBlockBatches(file.width, buffer, plan.batchSize, seed)
        : file.rows.shuffleBatches(buffer, plan.batchSize, seed)
    )
      .map((b, i) => {
        tally(i, 0, b.shape[0]);
        return b;
      })
      .prefetch(prefetch ?? 4);
  } else {
    const mixed = shuffleBuffer === 0 ? tallied : tallied.shuffle(shuffleBuffer ?? SHUFFLE_ROWS, seed);
    batches = maskedBatches(mixed, plan.batchSize).prefetch(prefetch ?? 4);
  }
  const history = await ae.fitDataset(batches, {
    source: path,
    ...rest,
    ...(plan.epochs !== undefined ? { epochs: plan.epochs } : {}),
    ...(plan.learningRate !== undefined ? { learningRate: plan.learningRate } : {}),
  });
  return { history, file, rows, missingCells, preprocessing };
}
