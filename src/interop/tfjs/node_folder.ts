// Reading a TensorFlow.js layers-model folder from disk (Node): model.json and the shards it names.

import fs from 'node:fs';
import path from 'node:path';
import { HourglassError } from '../../engine/errors.js';
import { importTfjs, type TfjsImportResult } from './import.js';
import { parseModelJson, shardPaths } from './model_json.js';

export const TFJS_MODEL_FILE = 'model.json';

/** Whether `dir` is a folder holding a tfjs layers model's model.json (with modelTopology). */
export function isTfjsFolder(dir: string): boolean {
  const file = path.join(dir, TFJS_MODEL_FILE);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory() || !fs.existsSync(file)) return false;
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    return typeof j === 'object' && j !== null && 'modelTopology' in j && 'weightsManifest' in j;
  } catch {
    return false;
  }
}

/** importTfjs on a folder (or its model.json): the shards are read from beside model.json. */
export function importTfjsFolder(source: string): TfjsImportResult {
  const file = fs.existsSync(source) && fs.statSync(source).isDirectory() ? path.join(source, TFJS_MODEL_FILE) : source;
  if (!fs.existsSync(file)) throw new HourglassError(`${file} does not exist`);
  const text = fs.readFileSync(file, 'utf8');
  const json = parseModelJson(text, file);
  const shards = new Map<string, Uint8Array>();
  for (const p of shardPaths(json, file)) {
    const at = path.join(path.dirname(file), p);
    if (!fs.existsSync(at))
      throw new HourglassError(`${file} names weight shard '${p}', which is not in ${path.dirname(file)}`);
    shards.set(p, new Uint8Array(fs.readFileSync(at)));
  }
  return importTfjs({ modelJson: json, shards }, file);
}
