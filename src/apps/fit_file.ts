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
import type { Scaling, TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { PREPROCESSING_KEY } from './tabular.js';

/** Rows held by the shuffle buffer by default: a few MB for typical rows, and a good mix. */
export const SHUFFLE_ROWS = 8192;

export interface FileFitOptions extends AutoencoderDatasetFitOptions, OpenOptions {
  batchSize: number;
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
  const { batchSize, scaling, shuffleBuffer, preprocessingRows, prefetch, imageSize, channels, ...fitOptions } = o;
  const file = await openFile(path, {
    ...(imageSize ? { imageSize } : {}),
    ...(channels ? { channels } : {}),
  });
  const seed = o.seed ?? 42;
  let rows = 0,
    missingCells = 0,
    preprocessing: TabularPreprocessing | null = null;
  let prepared: Dataset<PreparedRow>;
  if (file.kind === 'table') {
    const cells = preprocessingRows !== undefined ? file.cells.take(preprocessingRows) : file.cells;
    preprocessing = await fitPreprocessingStream(file.columns, cells, scaling ?? 'standard', path);
    ae.extra[PREPROCESSING_KEY] = preprocessing;
    prepared = maskedRows(preprocessing, file.columns, file.cells, path);
  } else {
    // A copy per row: the reader's rows are views into 4 MB chunks, which a shuffle buffer would keep alive.
    prepared = file.rows.map((x) => ({ x: shuffleBuffer === 0 ? x : x.slice(), mask: null, missing: 0 }));
  }
  const counted = prepared.map((r, i) => {
    if (i === 0) rows = missingCells = 0;
    rows++;
    missingCells += r.missing;
    return r;
  });
  const mixed = shuffleBuffer === 0 ? counted : counted.shuffle(shuffleBuffer ?? SHUFFLE_ROWS, seed);
  const batches = maskedBatches(mixed, batchSize).prefetch(prefetch ?? 4);
  const history = await ae.fitDataset(batches, { source: path, ...fitOptions });
  return { history, file, rows, missingCells, preprocessing };
}
