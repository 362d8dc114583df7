// The training options an autoencoder's fit fills in from the data when they are left out, by
// the rules of trainingBudget (defaults.ts): a step budget instead of a fixed number of epochs,
// a batch sized to the rows, and, for a run whose length is left to the library on a table large
// enough to spare a tenth, early stopping on that tenth (restoring the best weights).

import { EarlyStopping, type Callback } from '../model/callbacks.js';
import type { FitOptions } from '../model/fit.js';
import { trainingBudget } from './defaults.js';

export function sizedFitOptions<T extends FitOptions>(rows: number, options: T): T {
  const ownValidation = options.validationSplit !== undefined || options.validationData !== undefined;
  const budget = trainingBudget(rows, {
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    // The caller's own validation (or a fixed number of epochs) means no split of ours.
    ...(ownValidation || options.epochs !== undefined ? { validationSplit: options.validationSplit ?? 0 } : {}),
  });
  const stopEarly = options.epochs === undefined && !ownValidation && budget.validationSplit > 0;
  const callbacks: Callback[] = [
    ...(options.callbacks ?? []),
    ...(stopEarly ? [new EarlyStopping({ patience: budget.patience, restoreBestWeights: true })] : []),
  ];
  return {
    ...options,
    epochs: budget.epochs,
    batchSize: budget.batchSize,
    ...(stopEarly ? { validationSplit: budget.validationSplit } : {}),
    ...(callbacks.length ? { callbacks } : {}),
  };
}
