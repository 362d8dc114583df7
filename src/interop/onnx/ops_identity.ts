// Layers that are the identity at inference, exported as no node at all: dropout, Gaussian noise,
// masking noise, salt-and-pepper (they only corrupt in training), and klSparsity (it only adds a
// loss term). sampling, the variational autoencoder's code, passes its mean through at inference
// (Hourglass's predict does exactly that), so the export follows the mean path and the logVar
// branch is left out of the graph; a sampling model would need RandomNormal, whose draws could
// never equal Hourglass's anyway.

import type { Value } from './graph_builder.js';
import type { MapContext } from './mapper.js';

export function mapIdentity(ctx: MapContext): Value {
  return ctx.inputs[0]!;
}

export function mapSamplingMean(ctx: MapContext): Value {
  return ctx.inputs[0]!;
}
