// What an autoencoder learns about a streamed dataset before it builds its network: the shape of
// a row and whether the values lie in [0, 1] (which picks a sigmoid output and binary
// cross-entropy). Streaming knows no set up front, so this is read from a stated sample, the first
// rows of a pass; the rest of the set is checked batch by batch as it trains (outsideUnitRange).

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Dataset } from '../data/dataset.js';
import type { TrainBatch } from '../model/fit_dataset.js';

/** Rows read to choose the output activation of a network built on a dataset. */
export const SAMPLE_ROWS = 10_000;

export interface DatasetSample {
  /** One row's shape (the batch axis dropped). */
  rowShape: number[];
  /** Whether every target value of the sampled rows is in [0, 1]. */
  unit: boolean;
  rows: number;
}

/** The inputs and targets of a batch, whatever its form. */
export function batchParts(b: TrainBatch): { x: Tensor; y: Tensor } {
  if (Array.isArray(b)) return { x: b[0], y: b[1] };
  if ('mask' in b) return { x: b.x, y: b.y ?? b.x };
  return { x: b, y: b };
}

function allInUnit(t: Tensor): boolean {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) return false;
  }
  return true;
}

/** Reads batches from the start of a pass until `rows` rows are seen (or the pass ends). */
export async function sampleDataset(ds: Dataset<TrainBatch>, rows = SAMPLE_ROWS): Promise<DatasetSample> {
  let seen = 0;
  let unit = true;
  let rowShape: number[] | null = null;
  const it = ds[Symbol.asyncIterator]();
  try {
    while (seen < rows) {
      const r = await it.next();
      if (r.done) break;
      const { x, y } = batchParts(r.value);
      rowShape ??= x.shape.slice(1);
      if (unit) unit = allInUnit(y);
      seen += x.shape[0]!;
    }
  } finally {
    await it.return?.();
  }
  if (!rowShape) throw new HourglassError('fit: the dataset yields no batches');
  return { rowShape, unit, rows: seen };
}

/**
 * The error a streamed fit stops with when a batch from `row` on leaves [0, 1] although the first
 * `sampled` rows were all in it (fitDataset's unitTargets checks every batch).
 */
export function outsideUnitRange(sampled: number): (row: number) => Error {
  return (row) =>
    new HourglassError(
      `fit: a batch from row ${row} on has values outside [0, 1], but the first ${sampled} rows were all in it, so the autoencoder was built with a sigmoid output; pass outputActivation: 'linear' (or loss 'mse' with a linear output)`,
    );
}
