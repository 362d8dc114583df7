// What `hourglass train` leaves to the data: the sizes and training budget of defaults.ts for
// every flag not given, and one line saying what was chosen and why (a flag's value is marked as
// given). The network's sizes are not passed on: the library chooses the same ones itself, so a
// model trained with no size flags saves no size options.

import { EarlyStopping, type Callback } from '../model/callbacks.js';
import {
  denseSizes,
  TRAINING_DEFAULTS,
  trainingBudget,
  variationalSizes,
  type TrainingBudget,
} from '../models/defaults.js';

export interface PlanFlags {
  kind: string;
  arch: string;
  hidden?: number[];
  latent?: number;
  epochs?: number;
  batch?: number;
  lr?: number;
  validationSplit?: number;
}

export interface TrainPlan {
  budget: TrainingBudget;
  /** Early stopping on the held-out share, when it was chosen here. */
  callbacks: Callback[];
  line: string;
}

const n = (v: number) => v.toLocaleString('en-US');

export function planTraining(rows: number, inputs: number, f: PlanFlags): TrainPlan {
  const budget = trainingBudget(rows, {
    ...(f.epochs !== undefined ? { epochs: f.epochs } : {}),
    ...(f.batch !== undefined ? { batchSize: f.batch } : {}),
    ...(f.lr !== undefined ? { learningRate: f.lr } : {}),
    // A fixed number of epochs is the user's run: no split of ours unless asked for.
    ...(f.validationSplit !== undefined || f.epochs !== undefined ? { validationSplit: f.validationSplit ?? 0 } : {}),
  });
  const stopEarly = f.epochs === undefined && budget.validationSplit > 0;
  const parts: string[] = [];
  if (f.arch === 'dense') {
    const sized = f.kind === 'variational' ? variationalSizes(inputs) : denseSizes(inputs);
    const latent = f.latent ?? sized.latent;
    parts.push(
      f.latent !== undefined
        ? `code ${latent} (--latent)`
        : `code ${latent} (a quarter of the ${n(inputs)} inputs, 2-${f.kind === 'variational' ? 20 : 32})`,
      `hidden ${(f.hidden ?? sized.hidden).join(',')}${f.hidden ? ' (--hidden)' : ' (twice the inputs, capped)'}`,
    );
  }
  const trainRows = rows - Math.floor(rows * budget.validationSplit);
  const b = TRAINING_DEFAULTS.batch;
  parts.push(
    f.batch !== undefined
      ? `batch ${budget.batchSize} (--batch)`
      : `batch ${budget.batchSize} (rows/${b.rowsPerBatch}, ${b.min}-${b.max})`,
    f.epochs !== undefined
      ? `${budget.epochs} epochs (--epochs, ${n(budget.steps)} steps)`
      : `${budget.epochs} epochs (${n(budget.steps)} steps: at least ${n(TRAINING_DEFAULTS.steps)} steps and ${TRAINING_DEFAULTS.minEpochs} epochs)`,
    `lr ${budget.learningRate}${f.lr !== undefined ? ' (--lr)' : " (Adam's usual)"}`,
    stopEarly
      ? `early stopping on ${n(rows - trainRows)} held-out rows (${f.validationSplit !== undefined ? '--validation-split' : `a tenth, from ${n(TRAINING_DEFAULTS.validationRows)} rows`}; patience ${budget.patience}, best weights kept)`
      : f.epochs !== undefined
        ? `no early stopping (--epochs given${budget.validationSplit > 0 ? `; validation on ${n(rows - trainRows)} rows` : ''})`
        : `no early stopping (under ${n(TRAINING_DEFAULTS.validationRows)} rows every row trains)`,
  );
  return {
    budget,
    callbacks: stopEarly ? [new EarlyStopping({ patience: budget.patience, restoreBestWeights: true })] : [],
    line: `sized from the data (${n(rows)} rows, ${n(inputs)} inputs): ${parts.join(', ')}`,
  };
}

/** After training: how early stopping ended, for the report ('' when it did not stop the run). */
export function earlyStopNote(plan: TrainPlan): string {
  const stop = plan.callbacks.find((c): c is EarlyStopping => c instanceof EarlyStopping);
  if (!stop || stop.stoppedEpoch === null || stop.bestEpoch === null) return '';
  return ` (stopped early; the weights of epoch ${stop.bestEpoch + 1} kept)`;
}
