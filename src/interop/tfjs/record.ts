// The autoencoder record an imported network is saved with, so that every job (score, encode,
// detect, serve) can load it: the code is the narrowest layer's output (the bottleneck; the
// earliest among equals), the kind follows the input (rows, sequences, images), and the output
// activation is what the last layer ends in.

import { size } from '../../layers/layer.js';
import type { Model } from '../../model/model.js';
import type { AutoencoderRecord } from '../../models/autoencoder.js';

export function importedRecord(model: Model): AutoencoderRecord {
  const inner = model.graph.nodes.filter((n) => n.inputs.length > 0 && n !== model.output);
  const code = inner.reduce<(typeof inner)[number] | null>(
    (best, n) => (!best || size(n.shape) < size(best.shape) ? n : best),
    null,
  );
  const name = (code ?? model.output).layer.name;
  const shape = model.input.shape;
  const kind = shape.length === 3 ? 'conv' : shape.length === 2 ? 'sequence' : 'dense';
  return {
    kind,
    options: kind === 'sequence' ? { window: shape[0], features: shape[1] } : {},
    encodeLayer: name,
    codeLayer: name,
    outputActivation: model.output.layer.endsInSigmoid() ? 'sigmoid' : 'linear',
  };
}
