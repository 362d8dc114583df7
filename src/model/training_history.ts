// history.json: every fit of a model appends one record (its options, data, and per-epoch losses,
// metrics, time and speed), saved beside model.json so a model folder tells how it was trained.
// Loading keeps it and a later fit appends to it; a folder saved before it existed has none.

import { HourglassError } from '../engine/errors.js';
import { LIBRARY_VERSION } from '../version.js';

export const HISTORY_FILE = 'history.json';
export const HISTORY_FORMAT = 'hourglass-history';

export interface EpochRecord {
  /** The epoch's index in its fit (from initialEpoch). */
  epoch: number;
  /** loss, val_loss and each metric with and without the val_ prefix, as fit() returns them. */
  logs: Record<string, number>;
  seconds: number;
  samplesPerSecond: number;
}

export interface FitRecord {
  /** When the fit started (ISO 8601). */
  startedAt: string;
  /** hourglass-ae's version that ran the fit. */
  library: string;
  /** The member of the autoencoder family (dense, conv, variational, ...), when fitted through one. */
  member?: string;
  /** Where the rows came from (a file, a built-in dataset), when the caller said. */
  source?: string;
  /** Shape of the x given to fit (all rows, before any validation split). */
  dataShape: number[];
  trainingRows: number;
  validationRows: number;
  /** The fit's options and the compiled optimizer, loss and metrics (plain JSON). */
  options: Record<string, unknown>;
  epochs: EpochRecord[];
  /** The loss of every training step, kept for short runs only (see MAX_STEP_LOSSES). */
  stepLoss?: number[];
  seconds: number;
}

export interface TrainingHistory {
  format: typeof HISTORY_FORMAT;
  version: 1;
  runs: FitRecord[];
}

/** Runs longer than this many steps keep their per-epoch record only (history.json stays small). */
export const MAX_STEP_LOSSES = 5000;

export function emptyHistory(): TrainingHistory {
  return { format: HISTORY_FORMAT, version: 1, runs: [] };
}

export function newFitRecord(fields: Omit<FitRecord, 'library' | 'epochs' | 'seconds'>): FitRecord {
  return { ...fields, library: LIBRARY_VERSION, epochs: [], seconds: 0 };
}

export function historyToBytes(h: TrainingHistory): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(h) + '\n');
}

/** Every epoch of every run in order, numbered 1, 2, ... across runs (a continued training goes on counting). */
export function allEpochs(h: TrainingHistory): (EpochRecord & { run: number; index: number })[] {
  let index = 0;
  return h.runs.flatMap((r, run) => r.epochs.map((e) => ({ ...e, run, index: ++index })));
}

/** history.json read back, checked enough that a report or a continued fit can rely on it. */
export function historyFromBytes(bytes: Uint8Array, file: string): TrainingHistory {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new HourglassError(
      `${file}: not valid JSON (${(e as Error).message}); delete it to load the model without its history`,
    );
  }
  const h = v as Partial<TrainingHistory>;
  if (typeof v !== 'object' || v === null || h.format !== HISTORY_FORMAT || !Array.isArray(h.runs))
    throw new HourglassError(`${file}: not a training history (format '${HISTORY_FORMAT}' with a list of runs)`);
  if (h.version !== 1)
    throw new HourglassError(`${file}: history version ${String(h.version)} is newer than this hourglass-ae reads (1)`);
  h.runs.forEach((r, i) => {
    const ok =
      typeof r === 'object' &&
      r !== null &&
      Array.isArray(r.epochs) &&
      Array.isArray(r.dataShape) &&
      r.epochs.every((e) => typeof e === 'object' && e !== null && typeof e.logs === 'object' && e.logs !== null);
    if (!ok) throw new HourglassError(`${file}: run ${i + 1} is damaged (it needs dataShape and a list of epochs)`);
  });
  return h as TrainingHistory;
}
