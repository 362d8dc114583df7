// A saved model as one file: a zip of model.json and weights.safetensors, the same bytes a folder
// holds, so a model downloaded from a page loads in Node and a Node zip loads in a page.

import { unzipSync, zipSync, type Zippable } from 'fflate';
import { HourglassError } from '../engine/errors.js';
import { modelFromFiles, type LoadedModel } from './load.js';
import type { PlannedModel } from './model_types.js';
import { crc32 } from './safetensors.js';
import { MODEL_FILE, WEIGHTS_FILE, modelToFiles } from './save.js';
import { HISTORY_FILE } from './training_history.js';
import { MANIFEST_FILE, parseManifest } from '../platform/manifest.js';
import { zipDirectory } from '../data/zip_directory.js';

// A fixed time stamp (zip stores local date and time fields, so it is the same in every time
// zone): the zip of a model is then a function of the model alone, equal across saves.
const MTIME = new Date(2000, 0, 1);

/** Zips the files of a model (as saveModel would write them); JSON deflated, weights stored. */
export function filesToZip(files: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const entries: Zippable = {};
  // Weights are float bits that deflate saves little on; storing them keeps zipping and loading fast.
  for (const [name, bytes] of Object.entries(files))
    entries[name] = [bytes, { level: name.endsWith('.json') ? 6 : 0, mtime: MTIME }];
  return zipSync(entries);
}

/** A model as the bytes of one .zip file (model.json + weights.safetensors, and history.json once trained). */
export function modelToZip(model: PlannedModel, extra?: Record<string, unknown>): Uint8Array {
  return filesToZip(modelToFiles(model, extra));
}

/**
 * The model files in a zip: at its root or in one folder (a zipped model folder), each entry's
 * CRC-32 checked. `where` names the zip in errors. Corrupt or incomplete zips are HourglassErrors.
 */
export function filesFromZip(bytes: Uint8Array, where: string): Record<string, Uint8Array> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new HourglassError(`${where}: not a zip file (a saved model zip holds ${MODEL_FILE} and ${WEIGHTS_FILE})`);
  const crcs = centralDirectoryCrcs(bytes, where);
  const names = [...crcs.keys()].filter((n) => !n.startsWith('__MACOSX/'));
  const prefix = modelPrefix(names, where);
  // A zipped Node folder names its files through its manifest (model.g3-1a2b3c4d.json ...).
  const stored: Record<string, string> = {
    [MODEL_FILE]: prefix + MODEL_FILE,
    [WEIGHTS_FILE]: prefix + WEIGHTS_FILE,
    [HISTORY_FILE]: prefix + HISTORY_FILE,
  };
  if (!crcs.has(prefix + MODEL_FILE) && crcs.has(prefix + MANIFEST_FILE)) {
    const manifest = parseManifest(unzipEntries(bytes, [prefix + MANIFEST_FILE], crcs, where)[0]!, where);
    delete stored[HISTORY_FILE];
    for (const name of [MODEL_FILE, WEIGHTS_FILE, HISTORY_FILE]) {
      const entry = manifest.files[name];
      if (entry) stored[name] = prefix + entry.file;
    }
  }
  const [json, weights] = unzipEntries(bytes, [stored[MODEL_FILE]!, stored[WEIGHTS_FILE]!], crcs, where);
  const files: Record<string, Uint8Array> = { [MODEL_FILE]: json!, [WEIGHTS_FILE]: weights! };
  // The training history is optional (zips made before it existed, untrained models).
  const history = stored[HISTORY_FILE];
  if (history && crcs.has(history)) files[HISTORY_FILE] = unzipEntries(bytes, [history], crcs, where)[0]!;
  return files;
}

/** The named entries of a zip, each present and its CRC-32 checked. */
export function unzipEntries(
  bytes: Uint8Array,
  names: string[],
  crcs: Map<string, number>,
  where: string,
): Uint8Array[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => names.includes(f.name) });
  } catch (e) {
    throw new HourglassError(`${where}: the zip is damaged (${(e as Error).message})`);
  }
  return names.map((name) => {
    const data = entries[name];
    if (!data) throw new HourglassError(`${where}: the zip has no ${name}`);
    if (crc32(data) !== crcs.get(name))
      throw new HourglassError(`${where}: ${name} in the zip is damaged (its CRC-32 does not match)`);
    return data;
  });
}

/** A model from the bytes of a .zip file written by modelToZip (or a zipped model folder). */
export function modelFromZip(bytes: Uint8Array, where = 'model.zip'): LoadedModel {
  return modelFromFiles(filesFromZip(bytes, where), where);
}

/** Where model.json is: '' at the root, 'folder/' in one folder; anything else is refused. */
function modelPrefix(names: string[], where: string): string {
  if (names.includes(MODEL_FILE) || names.includes(MANIFEST_FILE)) return '';
  const nested = names.filter((n) => n.endsWith(`/${MODEL_FILE}`) || n.endsWith(`/${MANIFEST_FILE}`));
  const folders = [...new Set(nested.map((n) => n.slice(0, n.lastIndexOf('/') + 1)))];
  if (folders.length === 1) return folders[0]!;
  if (folders.length > 1)
    throw new HourglassError(`${where}: the zip holds several models (${nested.join(', ')}); zip one model`);
  throw new HourglassError(
    `${where}: the zip has no ${MODEL_FILE} (it holds ${names.length ? names.join(', ') : 'nothing'})`,
  );
}

/** Each entry's CRC-32 as the zip's central directory records it (sizes checked there too). */
export function centralDirectoryCrcs(bytes: Uint8Array, where: string): Map<string, number> {
  return new Map([...zipDirectory(bytes, where).values()].map((e) => [e.name, e.crc32]));
}
