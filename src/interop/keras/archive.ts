// The two files Keras saves a model as, down to the model's config and where its weights are:
//   .keras (Keras 3): a zip of config.json, metadata.json and model.weights.h5, the weights of
//     each layer under layers/<snake_case class>[_n]/vars/<i> (saving_lib.py);
//   .h5 (legacy, Keras 2 and Keras 3's save('x.h5')): one HDF5 file, the config as the JSON
//     attribute model_config, the weights under model_weights/<layer>/ in weight_names order.

import { HourglassError } from '../../engine/errors.js';
import { centralDirectoryCrcs, unzipEntries } from '../../model/zip.js';
import { H5File, attrText, isHdf5 } from './hdf5.js';

export const KERAS_CONFIG_FILE = 'config.json';
export const KERAS_WEIGHTS_FILE = 'model.weights.h5';
export const KERAS_METADATA_FILE = 'metadata.json';

export interface KerasArchive {
  format: 'keras' | 'h5';
  /** The model's config: { class_name, config, ... } as Keras serialized it. */
  config: Record<string, unknown>;
  weights: H5File;
  /** Keras's version as the file records it (unknown when absent). */
  kerasVersion: string;
}

export function readKerasArchive(bytes: Uint8Array, where: string): KerasArchive {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) return readKerasZip(bytes, where);
  if (isHdf5(bytes)) return readLegacyH5(bytes, where);
  throw new HourglassError(
    `${where}: not a Keras model (a .keras file is a zip, a legacy .h5 file is HDF5; this is neither)`,
  );
}

function parseJson(bytes: Uint8Array | string, what: string): unknown {
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return JSON.parse(text);
  } catch (e) {
    throw new HourglassError(`${what}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

function readKerasZip(bytes: Uint8Array, where: string): KerasArchive {
  const crcs = centralDirectoryCrcs(bytes, where);
  if (!crcs.has(KERAS_WEIGHTS_FILE) && crcs.has('model.weights.json'))
    throw new HourglassError(
      `${where}: its weights are sharded (model.weights.json), which is not supported: save without max_shard_size`,
    );
  for (const name of [KERAS_CONFIG_FILE, KERAS_WEIGHTS_FILE]) {
    if (!crcs.has(name)) {
      const npz = crcs.has('model.weights.npz')
        ? ' (weights saved as .npz are not supported: save with the h5 format)'
        : '';
      throw new HourglassError(
        `${where}: not a Keras 3 archive, it has no ${name}${npz} (it holds ${[...crcs.keys()].join(', ') || 'nothing'})`,
      );
    }
  }
  const names = crcs.has(KERAS_METADATA_FILE)
    ? [KERAS_CONFIG_FILE, KERAS_WEIGHTS_FILE, KERAS_METADATA_FILE]
    : [KERAS_CONFIG_FILE, KERAS_WEIGHTS_FILE];
  const [configBytes, weightBytes, metadataBytes] = unzipEntries(bytes, names, crcs, where);
  const config = parseJson(configBytes!, `${where}/${KERAS_CONFIG_FILE}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new HourglassError(`${where}/${KERAS_CONFIG_FILE}: not a JSON object`);
  const metadata = metadataBytes ? parseJson(metadataBytes, `${where}/${KERAS_METADATA_FILE}`) : {};
  const version = (metadata as { keras_version?: unknown } | null)?.keras_version;
  return {
    format: 'keras',
    config: config as Record<string, unknown>,
    weights: new H5File(weightBytes!, `${where}/${KERAS_WEIGHTS_FILE}`),
    kerasVersion: typeof version === 'string' ? version : 'unknown',
  };
}

function readLegacyH5(bytes: Uint8Array, where: string): KerasArchive {
  const file = new H5File(bytes, where);
  const attrs = file.attrs('');
  const text = attrText(attrs['model_config']);
  if (text === null) {
    const weightsOnly = file.has('layers') || file.has('vars') || attrs['layer_names'] !== undefined;
    throw new HourglassError(
      weightsOnly
        ? `${where}: a weights-only file (no model_config attribute); import the whole model (.keras, or model.save('x.h5'))`
        : `${where}: not a Keras model (no model_config attribute)`,
    );
  }
  if (!file.isGroup('model_weights'))
    throw new HourglassError(`${where}: a Keras .h5 file without its model_weights group`);
  const config = parseJson(text, `${where}: model_config`);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new HourglassError(`${where}: model_config is not a JSON object`);
  const version = attrText(attrs['keras_version']) ?? attrText(file.attrs('model_weights')['keras_version']);
  return { format: 'h5', config: config as Record<string, unknown>, weights: file, kerasVersion: version ?? 'unknown' };
}
