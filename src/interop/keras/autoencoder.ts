// importKerasAutoencoder: a Keras autoencoder as an Hourglass Autoencoder (encode, decode, score,
// fit, save), split where importKeras found the code layer.

import { HourglassError } from '../../engine/errors.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import { Autoencoder as AutoencoderClass } from '../../models/autoencoder.js';
import { KINDS } from '../../models/kinds.js';
import { importKeras, type KerasImportOptions } from './import.js';

export function importKerasAutoencoder(bytes: Uint8Array, options: KerasImportOptions = {}): Autoencoder {
  const where = options.where ?? 'model.keras';
  const r = importKeras(bytes, options);
  if (!r.code) {
    const shapes = `input [${r.model.input.shape.join(', ')}], output [${r.model.output.shape.join(', ')}]`;
    r.model.dispose();
    throw new HourglassError(`${where}: not an autoencoder (${shapes}); use importKeras for the plain model`);
  }
  return AutoencoderClass.restore(r.model, r.extra, where, KINDS);
}
