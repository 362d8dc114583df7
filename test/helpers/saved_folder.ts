// Reaching into a saved folder as a user with a text editor would: the file a logical name
// (model.json, weights.safetensors) stands for, through the folder's manifest.json.

import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../../src/platform/manifest.js';

/** The path on disk of `logical` in the save that `dir`'s manifest points to (or the plain name). */
export function savedFilePath(dir: string, logical: string): string {
  const manifest = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifest)) return path.join(dir, logical);
  const entry = parseManifest(fs.readFileSync(manifest), manifest).files[logical];
  if (!entry) throw new Error(`${dir} has no ${logical}`);
  return path.join(dir, entry.file);
}

/**
 * Turns a saved folder into the pre-manifest layout (plain model.json + weights.safetensors), so
 * a test can damage one file and see the parser's own message rather than the checksum's.
 */
export function toLegacyFolder(dir: string): void {
  const manifest = path.join(dir, MANIFEST_FILE);
  const { files } = parseManifest(fs.readFileSync(manifest), manifest);
  for (const [logical, entry] of Object.entries(files))
    fs.renameSync(path.join(dir, entry.file), path.join(dir, logical));
  fs.rmSync(manifest);
}
