// Where an imported autoencoder splits into encoder and decoder (the layer whose output is the
// code), in this order:
//   1. the layer named by the caller (--code-layer NAME); a nested model's name means its output;
//   2. the layer named like a code: code, latent, bottleneck, z, encoded, embedding (alone or as
//      a part of the name, e.g. 'latent_dense'), or a nested model named 'encoder' (its output);
//   3. the narrowest layer (fewest values per row) before the output, followed through the
//      activations, dropout and noise applied to it (the code is what they output).

import { HourglassError } from '../../engine/errors.js';
import { size } from '../../layers/layer.js';
import type { Model } from '../../model/model.js';

export type CodeLayerReason = 'option' | 'encoder' | 'name' | 'narrowest';

export interface CodeLayerChoice {
  layer: string;
  reason: CodeLayerReason;
}

const CODE_NAME = /(^|_)(code|latent|bottleneck|z|encoded|embedding)(_|$|\d)/i;
const FOLLOWERS = new Set(['Activation', 'Dropout', 'GaussianNoise']);

/** The layers between the input and the output, in order (the output's own layer last). */
function chain(model: Model): string[] {
  return model.graph.nodes.slice(1).map((n) => n.layer.name);
}

export function chooseCodeLayer(
  model: Model,
  /** Keras names of nested models -> the layer that gives their output. */
  nestedOutputs: ReadonlyMap<string, string>,
  requested: string | undefined,
  where: string,
): CodeLayerChoice {
  const layers = chain(model);
  const inner = layers.slice(0, -1);
  if (requested !== undefined) {
    const layer = nestedOutputs.get(requested) ?? requested;
    if (!inner.includes(layer))
      throw new HourglassError(
        `${where}: --code-layer '${requested}' is not a layer before the output (layers: ${[...nestedOutputs.keys(), ...inner].join(', ')})`,
      );
    return { layer, reason: 'option' };
  }
  const encoder = [...nestedOutputs.entries()].find(([name]) => /encoder/i.test(name));
  if (encoder && inner.includes(encoder[1])) return { layer: encoder[1], reason: 'encoder' };
  const named = inner.find((n) => CODE_NAME.test(n));
  if (named) return { layer: named, reason: 'name' };
  if (inner.length === 0)
    throw new HourglassError(`${where}: the model has a single layer, so no code layer to split at`);
  const nodes = model.graph.nodes.slice(1, -1);
  let at = 0;
  nodes.forEach((n, i) => {
    if (size(n.shape) < size(nodes[at]!.shape)) at = i;
  });
  while (at + 1 < nodes.length && FOLLOWERS.has(nodes[at + 1]!.layer.className)) at++;
  return { layer: nodes[at]!.layer.name, reason: 'narrowest' };
}
