// The file access the library needs (saving and loading models), behind an adapter so the
// engine and model code import nothing Node-only. The Node entry installs the real one.

import { HourglassError } from '../engine/errors.js';

export interface FileStore {
  readFile(path: string): Uint8Array;
  /**
   * Saves the files (logical name -> content) into a folder so that at every instant it holds the
   * complete old save or the complete new one (Node: a manifest, see node_folder.ts).
   */
  /** Whether a file is there (optional files such as history.json in legacy folders are read only then). */
  exists?(path: string): boolean;
  writeFolderAtomic(dir: string, files: Record<string, Uint8Array | string>): void;
  /**
   * The files of the folder's last complete save, by logical name; a folder saved before
   * manifests existed is read by `legacy` from its plain file names.
   */
  readFolder(
    dir: string,
    legacy: (readPlain: (name: string) => Uint8Array) => Record<string, Uint8Array>,
  ): Record<string, Uint8Array>;
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
