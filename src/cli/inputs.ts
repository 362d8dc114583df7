// Reading a command's <data> for a model: images at the size the model was trained on, tables
// through the preprocessing saved with it, anything else as rows of numbers.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { readDataset, type Dataset, type LoadOptions } from '../data/datasets.js';
import { featureNames, transformTable, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { preprocessingOf } from '../apps/tabular.js';

export const DATA_HELP =
  'a table (.csv, .tsv, .json, .ndjson, .parquet), an array (.npy, .npz[:name]), an IDX file, a folder of PNG/JPEG images, or a built-in dataset: mnist:train|test, fashion-mnist:train|test';

/** Image folders are read at the size and channels the model was trained on. */
export function imageOptionsFor(shape: number[]): LoadOptions {
  return shape.length === 3 && (shape[2] === 1 || shape[2] === 3)
    ? { imageSize: [shape[0]!, shape[1]!], channels: shape[2] }
    : {};
}

export interface ModelRows {
  ds: Dataset;
  x: Tensor;
  /** 1 observed, 0 missing; null when nothing is missing. */
  mask: Tensor | null;
  /** Set for models trained on tables. */
  preprocessing: TabularPreprocessing | null;
  /** A name per network value (columns, or column=category). */
  features: string[] | undefined;
}

export async function rowsFor(ae: Autoencoder, spec: string): Promise<ModelRows> {
  return modelRowsOf(ae, await readDataset(spec, imageOptionsFor(ae.model.input.shape)), spec);
}

/** Rows of a loaded dataset as the model reads them (a table through its saved preprocessing). */
export function modelRowsOf(ae: Autoencoder, ds: Dataset, spec: string): ModelRows {
  const p = preprocessingOf(ae);
  if (p) {
    if (!ds.table)
      throw new HourglassError(
        `${spec}: this model was trained on a table (columns ${p.columns
          .slice(0, 4)
          .map((c) => `'${c.name}'`)
          .join(', ')}${p.columns.length > 4 ? ', ...' : ''}); give it a table (CSV, JSON, NDJSON or Parquet)`,
      );
    const prepared = transformTable(p, ds.table, spec);
    return {
      ds,
      x: prepared.x,
      mask: prepared.missingCells ? prepared.mask : null,
      preprocessing: p,
      features: featureNames(p),
    };
  }
  return { ds, x: ds.x, mask: null, preprocessing: null, features: ds.columns };
}
