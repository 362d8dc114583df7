// Inference over a streaming dataset: each batch of inputs is run through the model as it
// arrives and handed on with its outputs, so a file of any size is predicted, encoded or scored
// to an output stream with only the batches in flight resident.

import type { Tensor } from '../engine/tensor.js';
import type { Dataset } from '../data/dataset.js';
import type { Model } from './model.js';

export interface PredictedBatch {
  x: Tensor;
  y: Tensor;
}

/** Inputs with the model's outputs, batch by batch. */
export function predictDataset(model: Model, batches: Dataset<Tensor>): Dataset<PredictedBatch> {
  return batches.map((x) => ({ x, y: model.predict(x, { batchSize: x.shape[0]!, verbose: false }) }));
}

/** The mean squared reconstruction error of each row of a batch (the anomaly score). */
export function rowErrors({ x, y }: PredictedBatch): Float32Array {
  const n = x.shape[0]!;
  const w = x.data.length / n;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = r * w; j < (r + 1) * w; j++) s += (x.data[j]! - y.data[j]!) ** 2;
    out[r] = s / w;
  }
  return out;
}
