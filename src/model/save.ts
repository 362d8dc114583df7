// Saving a model folder: model.json + weights.safetensors (with optimizer state, so training can
// continue), written atomically through the platform's file store. Loading is in load.ts.

import { fileStore } from '../platform/files.js';
import type { PlannedModel } from './model_types.js';
import { encodeSafetensors, type NamedTensor } from './safetensors.js';
import { modelToJson } from './serialize.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export function saveModel(model: PlannedModel, dir: string, extra?: Record<string, unknown>): void {
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
  fileStore().writeFolderAtomic(dir, {
    [MODEL_FILE]: JSON.stringify(json, null, 2) + '\n',
    [WEIGHTS_FILE]: encodeSafetensors(tensors, metadata),
  });
}
