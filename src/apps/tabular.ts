// Autoencoders on tables: fitting the preprocessing on the training table and keeping it with the
// model, preparing any later table with it, and naming features by their source columns.

import { HourglassError } from '../engine/errors.js';
import type { History } from '../model/fit.js';
import type { Autoencoder, AutoencoderFitOptions } from '../models/autoencoder.js';
import type { Table } from '../data/table.js';
import { checkPreprocessing, fitPreprocessing, transformTable, type PreparedRows, type Scaling, type TabularPreprocessing } from '../data/tabular_preprocessing.js';

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
export async function fitTable(ae: Autoencoder, table: Table, file: string, options: AutoencoderFitOptions & { scaling?: Scaling } = {}): Promise<{ history: History; prepared: PreparedRows }> {
  const { scaling, ...fitOptions } = options;
  const p = fitPreprocessing(table, scaling ?? 'standard', file);
  const prepared = transformTable(p, table, file);
  ae.extra[PREPROCESSING_KEY] = p;
  const history = await ae.fit(prepared.x, { ...fitOptions, ...(prepared.missingCells ? { mask: prepared.mask } : {}) });
  return { history, prepared };
}

/** A later table prepared as the training table was (same columns, scaling and categories). */
export function prepareTable(ae: Autoencoder, table: Table, file: string): PreparedRows {
  const p = preprocessingOf(ae);
  if (!p) throw new HourglassError(`${file}: this model was not trained on a table, so it cannot read one with named columns`);
  return transformTable(p, table, file);
}
