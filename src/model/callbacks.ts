// Training callbacks: per-batch and per-epoch hooks, and early stopping with best-weight restore.

import { HourglassError } from '../engine/errors.js';

export type Logs = Record<string, number>;

/** What fit() tells callbacks about the run. */
export interface TrainingContext {
  epochs: number;
  stepsPerEpoch: number;
  samples: number;
  /** Set to true to stop after the current batch. */
  stopTraining: boolean;
  getWeights(): Float32Array[];
  setWeights(weights: Float32Array[]): void;
}

export interface Callback {
  onTrainBegin?(ctx: TrainingContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainingContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  onTrainEnd?(logs: Logs, ctx: TrainingContext): void | Promise<void>;
}

export interface EarlyStoppingOptions {
  /** The log to watch: 'val_loss' (default when validation data exists) or 'loss'. */
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: 'min' | 'max';
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements Callback {
  private best = Infinity;
  private wait = 0;
  private bestWeights: Float32Array[] | null = null;
  stoppedEpoch: number | null = null;
  bestEpoch: number | null = null;

  constructor(readonly options: EarlyStoppingOptions = {}) {
    if (options.patience !== undefined && !(Number.isInteger(options.patience) && options.patience >= 0)) {
      throw new HourglassError(`earlyStopping: patience must be a non-negative integer, got ${options.patience}`);
    }
  }

  onTrainBegin(): void {
    this.best = Infinity;
    this.wait = 0;
    this.bestWeights = null;
    this.stoppedEpoch = null;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const monitor = this.options.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
    const value = logs[monitor];
    if (value === undefined)
      throw new HourglassError(
        `earlyStopping: no '${monitor}' in the epoch logs (have: ${Object.keys(logs).join(', ')})`,
      );
    const signed = this.options.mode === 'max' ? -value : value;
    if (signed < this.best - (this.options.minDelta ?? 0)) {
      this.best = signed;
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.options.restoreBestWeights) this.bestWeights = ctx.getWeights();
      return;
    }
    this.wait++;
    if (this.wait >= (this.options.patience ?? 0)) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
    }
  }

  onTrainEnd(_logs: Logs, ctx: TrainingContext): void {
    if (this.options.restoreBestWeights && this.bestWeights && this.stoppedEpoch !== null)
      ctx.setWeights(this.bestWeights);
  }
}

export const callbacks = {
  earlyStopping: (o: EarlyStoppingOptions = {}) => new EarlyStopping(o),
  /** A callback from plain functions. */
  lambda: (hooks: Callback): Callback => hooks,
};
