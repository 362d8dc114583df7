// Training that diverges (a loss that is NaN or infinite, or weights that are no longer finite
// numbers after an update, as exploding gradients leave them) stops with a TrainingDivergedError
// and the model keeps the best weights the fit saw: those at the end of the epoch with the lowest
// training loss, or the weights it started from when no epoch finished. The optimizer starts
// afresh (its moments hold the explosion). A caller can catch the error and save or use the model.

import { HourglassError } from '../engine/errors.js';
import type { PlannedModel } from './model_types.js';

export class TrainingDivergedError extends HourglassError {
  constructor(
    message: string,
    /** 1-based epoch and batch where it was noticed (batch 0: at the end of the epoch). */
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
    /** The 1-based epoch whose weights the model holds now; 0: the weights the fit started from. */
    readonly restoredEpoch: number,
  ) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

/** The best weights of a fit so far (copies), updated at each epoch end. */
export class BestWeights {
  private weights: Float32Array[];
  private loss = Infinity;
  /** 1-based; 0 for the starting weights. */
  private epoch = 0;

  constructor(private readonly model: PlannedModel) {
    this.weights = model.getWeights();
  }

  /** Records the weights after epoch `epoch` (0-based) when its loss is the lowest so far. */
  epochEnd(epoch: number, loss: number): void {
    if (Number.isFinite(loss) && loss < this.loss && weightsAreFinite(this.model)) {
      this.loss = loss;
      this.epoch = epoch + 1;
      this.weights = this.model.getWeights();
    }
  }

  /** Restores the best weights, resets the optimizer and returns the error to throw. */
  diverged(what: string, epoch: number, batch: number, loss: number): TrainingDivergedError {
    this.model.setWeights(this.weights);
    this.model.compiled?.optimizer.reset();
    const kept =
      this.epoch === 0
        ? 'the model keeps the weights it started from'
        : `the model keeps the weights of epoch ${this.epoch} (loss ${this.loss.toPrecision(4)})`;
    return new TrainingDivergedError(
      `training stopped: ${what} at epoch ${epoch + 1}${batch > 0 ? `, batch ${batch}` : ''}; ${kept}; lower the learning rate, scale the data, or add gradient clipping`,
      epoch + 1,
      batch,
      loss,
      this.epoch,
    );
  }
}

export function weightsAreFinite(model: PlannedModel): boolean {
  for (const p of model.layers.flatMap((l) => l.params)) {
    const v = p.value.view();
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  }
  return true;
}
