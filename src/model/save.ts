// Saving a model folder: model.json + weights.safetensors (with optimizer state, so training can
// continue) + history.json once it has been trained, written atomically through the platform's
// file store. Loading is in load.ts. modelToFiles gives the same files as bytes, for platforms
// without a file store (zip.ts).

import { HourglassError } from '../engine/errors.js';
import { fileStore } from '../platform/files.js';
import type { PlannedModel } from './model_types.js';
import { encodeSafetensors, type NamedTensor } from './safetensors.js';
import { modelToJson } from './serialize.js';
import { HISTORY_FILE, historyToBytes } from './training_history.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** The files of a saved model, byte for byte what saveModel writes into the folder. */
export function modelToFiles(model: PlannedModel, extra?: Record<string, unknown>): Record<string, Uint8Array> {
  // Model.save checks this too; modelToFiles/modelToZip are called on models directly.
  const gone = model.layers.filter((l) => l.disposed).map((l) => l.name);
  if (gone.length) throw new HourglassError(`cannot save model '${model.name}': disposed layers (${gone.join(', ')})`);
  const json = modelToJson(model, extra);
  const tensors: NamedTensor[] = [];
  for (const layer of model.layers) {
    for (const p of layer.params)
      tensors.push({ name: `${layer.name}/${p.name}`, shape: p.shape, data: p.value.view() });
  }
  const metadata: Record<string, string> = { format: 'hourglass-weights', formatVersion: '1' };
  const opt = model.compiled?.optimizer;
  if (opt) {
    metadata['optimizerIterations'] = String(opt.iterations);
    for (const layer of model.layers) {
      for (const p of layer.params) {
        const slots = opt.slots.get(p);
        slots?.forEach((s, i) =>
          tensors.push({
            name: `optimizer/${layer.name}/${p.name}/${opt.slotNames[i]}`,
            shape: p.shape,
            data: s.view(),
          }),
        );
      }
    }
  }
  const history = model.trainingHistory;
  return {
    [MODEL_FILE]: new TextEncoder().encode(JSON.stringify(json, null, 2) + '\n'),
    [WEIGHTS_FILE]: encodeSafetensors(tensors, metadata),
    // Only a trained model has a history: an untrained one saves as it always did.
    ...(history?.runs.length ? { [HISTORY_FILE]: historyToBytes(history) } : {}),
  };
}

export function saveModel(model: PlannedModel, dir: string, extra?: Record<string, unknown>): void {
  fileStore().writeFolderAtomic(dir, modelToFiles(model, extra));
}
