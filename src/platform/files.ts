// The file access the library needs (saving and loading models), behind an adapter so the
// engine and model code import nothing Node-only. The Node entry installs the real one.

import { HourglassError } from '../engine/errors.js';

export interface FileStore {
  readFile(path: string): Uint8Array;
  /** Whether a file is there (optional files such as history.json are read only then). */
  exists?(path: string): boolean;
  /** Writes the files into a folder that appears complete or not at all; an old folder is replaced only at the end. */
  writeFolderAtomic(dir: string, files: Record<string, Uint8Array | string>): void;
}

let store: FileStore | null = null;

export function setFileStore(s: FileStore): void {
  store = s;
}
export function fileStore(): FileStore {
  if (!store)
    throw new HourglassError('no file access in this environment: save and load need the Node entry of hourglass-ae');
  return store;
}
