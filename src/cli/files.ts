// Output-path rules shared by commands: never overwrite a user's file or folder unless asked.

import fs from 'node:fs';
import path from 'node:path';
import { HourglassError } from '../engine/errors.js';
import { writeFileDurable } from '../platform/node_folder.js';

export function checkOutputPath(p: string, overwrite: boolean, flag: string): void {
  if (fs.existsSync(p) && !overwrite)
    throw new HourglassError(`${p} already exists; choose another ${flag} or pass --overwrite`);
  const parent = path.dirname(path.resolve(p));
  if (!fs.existsSync(parent)) throw new HourglassError(`${flag} ${p}: folder ${parent} does not exist`);
}

/** Temporary name, fsync, rename, fsync the folder: a crash leaves the old file or the new one, never half. */
export function writeFileAtomic(p: string, content: string | Uint8Array): void {
  writeFileDurable(p, content);
}

/**
 * A folder of output files under their plain names (people open them one by one, so no manifest):
 * each file is written crash-safe, so a crash leaves every file whole, old or new.
 */
export function writeOutputFolder(dir: string, files: Record<string, Uint8Array>): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new HourglassError(`cannot write to ${dir}: it is a file, not a folder`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileDurable(path.join(dir, name), bytes);
}
