// importPytorch: weights trained further in PyTorch (a weights.safetensors written by the exported
// model.py's save_weights, or any state_dict with the same names) back into the Hourglass model,
// each tensor checked for its name and shape and permuted back to Hourglass's layout.

import { HourglassError } from '../../engine/errors.js';
import { InputLayer } from '../../layers/input.js';
import type { Model } from '../../model/model.js';
import { decodeSafetensors } from '../../model/safetensors.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import { layerAttributes, networkOf } from './export.js';
import { weightLinks } from './weights.js';
import { PyWriter } from './writer.js';

export interface PytorchImportResult {
  /** Tensors read into the model. */
  tensors: number;
  /** The largest absolute change of any value. */
  maxChange: number;
}

export function importPytorch(
  target: Model | Autoencoder,
  weights: Uint8Array,
  file = 'weights.safetensors',
): PytorchImportResult {
  const model = networkOf(target);
  const { tensors } = decodeSafetensors(weights, file);
  // The same attribute names export gave the layers (identifiers are assigned in layer order).
  const attrs = layerAttributes(model, new PyWriter());
  const expected = new Set<string>();
  const staged: { view: Float32Array; data: Float32Array }[] = [];
  for (const [layer, attr] of attrs) {
    if (layer instanceof InputLayer) continue;
    for (const link of weightLinks(layer, attr)) {
      const parts = link.parts.map((part) => {
        expected.add(part.name);
        const t = tensors.get(part.name);
        if (!t)
          throw new HourglassError(`${file}: missing tensor '${part.name}' (layer '${layer.name}' ${link.param.name})`);
        if (t.shape.join(',') !== part.shape.join(','))
          throw new HourglassError(
            `${file}: tensor '${part.name}' has shape [${t.shape.join(', ')}], layer '${layer.name}' needs [${part.shape.join(', ')}]`,
          );
        if (!t.data.every(Number.isFinite))
          throw new HourglassError(`${file}: tensor '${part.name}' has NaN or infinite values`);
        return t.data;
      });
      staged.push({ view: link.param.value.view(), data: link.fromTorch(parts) });
    }
  }
  const unknown = [...tensors.keys()].filter((k) => !expected.has(k) && !k.endsWith('num_batches_tracked'));
  if (unknown.length > 0)
    throw new HourglassError(
      `${file}: tensors ${unknown.map((k) => `'${k}'`).join(', ')} belong to no layer of the model`,
    );
  // Everything checked before anything is written: a bad file leaves the model as it was.
  let maxChange = 0;
  for (const s of staged) {
    for (let i = 0; i < s.data.length; i++) maxChange = Math.max(maxChange, Math.abs(s.data[i]! - s.view[i]!));
    s.view.set(s.data);
  }
  return { tensors: staged.length, maxChange };
}
