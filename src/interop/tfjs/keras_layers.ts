// A TensorFlow.js layers model's modelTopology holds Keras layer configs (class_name and a
// snake_case config): the Keras importer's mapper reads them, so one place decides which classes
// and options Hourglass supports, with tfjs's own defaults where they differ from Keras's.

import type { Layer } from '../../layers/layer.js';
import { layerFromConfig } from '../../model/layer_config.js';
import { hourglassLayer, kerasNormalizationAxis, TFJS_DEFAULTS } from '../keras/layer_map.js';

export interface KerasLayerConfig {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown;
}

/** The Hourglass layer for one Keras layer config (InputLayer is handled by the model builder). */
export function kerasLayer(k: KerasLayerConfig, name: string, file: string): Layer {
  const mapped = hourglassLayer(k.class_name, name, k.config ?? {}, file, TFJS_DEFAULTS);
  return layerFromConfig(mapped, `${file}: layer '${name}' (${k.class_name})`);
}

/** A batch norm's axis as Keras counts it (-1 or the index of the last axis, batch = 0). */
export function batchNormAxis(config: Record<string, unknown> | undefined, where: string): number {
  return kerasNormalizationAxis(config ?? {}, where);
}
