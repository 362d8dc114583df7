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
