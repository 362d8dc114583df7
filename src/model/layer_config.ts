// Recreating layers from the options saved in model.json: one explicit case per layer class.

import { HourglassError } from '../engine/errors.js';
import { Activation } from '../layers/activation.js';
import type { ActivationSpec } from '../layers/activations.js';
import { BatchNormalization, type BatchNormalizationOptions } from '../layers/batch_normalization.js';
import { Dense, type DenseOptions } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { GaussianNoise } from '../layers/gaussian_noise.js';
import type { Layer } from '../layers/layer.js';

export interface LayerConfig { className: string; name: string; options: Record<string, unknown> }

function num(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number') throw new HourglassError(`${where}: option '${key}' should be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function layerFromConfig(c: LayerConfig, where: string): Layer {
  const o = c.options ?? {};
  const name = c.name;
  switch (c.className) {
    case 'Dense': return new Dense(num(o, 'units', where), { ...(o as DenseOptions), name });
    case 'Activation': return new Activation(o['activation'] as ActivationSpec, { name });
    case 'Dropout': return new Dropout(num(o, 'rate', where), { name });
    case 'GaussianNoise': return new GaussianNoise(num(o, 'stddev', where), { name });
    case 'BatchNormalization': return new BatchNormalization({ ...(o as BatchNormalizationOptions), name });
    default: throw new HourglassError(`${where}: unknown layer class '${c.className}'`);
  }
}
