// Autoencoders on tables: fitting the preprocessing on the training table and keeping it with the
// model, preparing any later table with it, and naming features by their source columns.

import { HourglassError } from '../engine/errors.js';
import type { History } from '../model/fit.js';
import type { Autoencoder, AutoencoderFitOptions } from '../models/autoencoder.js';
import { isMissing, type Table } from '../data/table.js';
import {
  checkPreprocessing,
  fitPreprocessing,
  inverseRows,
  transformTable,
  type PreparedRows,
  type Scaling,
  type TabularPreprocessing,
} from '../data/tabular_preprocessing.js';

export const PREPROCESSING_KEY = 'preprocessing';

/** The preprocessing saved with the model, or null for models trained on images or arrays. */
export function preprocessingOf(ae: Autoencoder): TabularPreprocessing | null {
  const p = ae.extra[PREPROCESSING_KEY];
  return p === undefined ? null : checkPreprocessing(p, 'model.json');
}

/**
 * Fits the preprocessing on the table, stores it in the model, and trains on the prepared rows,
 * leaving missing cells out of the loss.
 */
export async function fitTable(
  ae: Autoencoder,
  table: Table,
  file: string,
  options: AutoencoderFitOptions & { scaling?: Scaling } = {},
): Promise<{ history: History; prepared: PreparedRows }> {
  const { scaling, ...fitOptions } = options;
  const p = fitPreprocessing(table, scaling ?? 'standard', file);
  const prepared = transformTable(p, table, file);
  ae.extra[PREPROCESSING_KEY] = p;
  const history = await ae.fit(prepared.x, {
    source: file,
    ...fitOptions,
    ...(prepared.missingCells ? { mask: prepared.mask } : {}),
  });
  return { history, prepared };
}

/** A later table prepared as the training table was (same columns, scaling and categories). */
export function prepareTable(ae: Autoencoder, table: Table, file: string): PreparedRows {
  const p = preprocessingOf(ae);
  if (!p)
    throw new HourglassError(
      `${file}: this model was not trained on a table, so it cannot read one with named columns`,
    );
  return transformTable(p, table, file);
}

/** Network rows as a table in the original columns and units. */
export function rowsToTable(p: TabularPreprocessing, x: Float32Array): Table {
  return { columns: p.columns.map((c) => c.name), rows: inverseRows(p, x) };
}

/**
 * Mean squared error of rebuilt rows against the table's observed numeric cells, in the
 * columns' original units (the error a user of the table sees).
 */
export function tableError(p: TabularPreprocessing, table: Table, rebuilt: Float32Array): number {
  const back = inverseRows(p, rebuilt);
  let s = 0,
    n = 0;
  p.columns.forEach((c, ci) => {
    if (c.kind !== 'numeric') return;
    const at = table.columns.indexOf(c.name);
    table.rows.forEach((row, r) => {
      if (isMissing(row[at]!)) return;
      s += (Number(back[r]![ci]) - Number(row[at])) ** 2;
      n++;
    });
  });
  return n ? s / n : 0;
}
