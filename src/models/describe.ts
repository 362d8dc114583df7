// One line naming an autoencoder's architecture for people (the train command's summary), read
// from the built network, so it says what was trained, the defaults of its kind included.

import { Dense } from '../layers/dense.js';
import { size } from '../layers/layer.js';
import type { Autoencoder } from './autoencoder.js';
import { CONV_DEFAULTS, SEQUENCE_DEFAULTS } from './defaults.js';

/** The sizes of a dense network from input to output: 30-128-64-32-64-128-30. */
export function denseLayerSizes(ae: Autoencoder): number[] {
  const m = ae.model;
  // A VAE's log-variance layer runs beside its mean (the code); it is not a step of the hourglass.
  const steps = m.graph.nodes.filter((n) => n.layer instanceof Dense && n.layer.name !== 'code_log_var');
  return [size(m.input.shape), ...steps.map((n) => size(n.shape))];
}

/**
 * "dense 30-128-64-32-64-128-30", "convolutional (strided, filters 32,64,128, code 4x4x8)",
 * "convolutional (pooling, filters 16, dense 128,64, code 32, dense decoder)" or
 * "conv1d sequence (window 48, code 12x16)".
 */
export function describeArchitecture(ae: Autoencoder): string {
  const m = ae.model;
  // Windows of a series ([steps, features]) are not dense rows though their input has rank 2.
  if (ae.kind === 'sequence')
    return `${(ae.options['arch'] as string | undefined) ?? SEQUENCE_DEFAULTS.arch} sequence (window ${m.input.shape[0]}, code ${ae.codeShape.join('x')})`;
  if (m.input.shape.length !== 3) return `dense ${denseLayerSizes(ae).join('-')}`;
  const chosen = ae.options['downsampling'];
  const layout = chosen === 'pooling' || chosen === 'strided' ? chosen : CONV_DEFAULTS.downsampling;
  const filters = m.graph.nodes.filter((n) => n.layer.name.startsWith('encoder_conv_')).map((n) => n.shape[2]!);
  // The pooling layout's dense decoder (the default after a dense code) is named: it is not conv.
  const decoder = m.graph.nodes.some((n) => n.layer.name === 'decoder_pixels') ? ', dense decoder' : '';
  const dense = m.graph.nodes.filter((n) => n.layer.name.startsWith('encoder_dense_')).map((n) => n.shape[0]!);
  const denseLayers = dense.length ? `, dense ${dense.join(',')}` : '';
  return `convolutional (${layout}, filters ${filters.join(',')}${denseLayers}, code ${ae.codeShape.join('x')}${decoder})`;
}
