// The manifest of a saved folder: which file on disk holds each logical file (model.json,
// weights.safetensors, history.json, ...), with its size and SHA-256. A save writes new files
// under new names and then replaces this one small file atomically, so the folder always
// describes one complete save. Pure (no Node imports): the browser reads served folders with it.

import { HourglassError } from '../engine/errors.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'hourglass-folder';

export interface ManifestEntry {
  /** The name on disk, e.g. model.g3-1a2b3c4d.json. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface FolderManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  /** One more than the generation it replaced; names the files written by that save. */
  generation: number;
  files: Record<string, ManifestEntry>;
}

// Names are plain (no folders, no dots at the start), so a damaged or hostile manifest cannot
// point a load or a clean-up outside the folder.
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/;

/** The on-disk name of `logical` written by the save tagged `tag`: model.json -> model.<tag>.json. */
export function generationName(logical: string, tag: string): string {
  const dot = logical.lastIndexOf('.');
  return dot > 0 ? `${logical.slice(0, dot)}.${tag}${logical.slice(dot)}` : `${logical}.${tag}`;
}

/** The logical name a generation-named file stands for (model.g3-1a2b3c4d.json -> model.json); plain names stay. */
export function logicalName(file: string): string {
  return file.replace(/\.g\d+-[0-9a-f]{8}(?=\.|$)/, '');
}

/** Parses and checks a manifest; anything else than a well-formed one is a HourglassError naming `where`. */
export function parseManifest(bytes: Uint8Array, where: string): FolderManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new HourglassError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const bad = (what: string) => new HourglassError(`${where}: not a version-1 Hourglass folder manifest (${what})`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('not an object');
  const m = raw as Record<string, unknown>;
  if (m['format'] !== MANIFEST_FORMAT || m['version'] !== 1) throw bad('format or version');
  const generation = m['generation'];
  if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0) throw bad('generation');
  const files = m['files'];
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw bad('files');
  const checked: Record<string, ManifestEntry> = {};
  for (const [logical, entry] of Object.entries(files as Record<string, unknown>)) {
    if (!PLAIN_NAME.test(logical) || logical === MANIFEST_FILE) throw bad(`file name ${JSON.stringify(logical)}`);
    if (typeof entry !== 'object' || entry === null) throw bad(`entry ${logical}`);
    const e = entry as Record<string, unknown>;
    const file = e['file'];
    const size = e['bytes'];
    const sha256 = e['sha256'];
    if (typeof file !== 'string' || !PLAIN_NAME.test(file) || file === MANIFEST_FILE) throw bad(`file of ${logical}`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad(`bytes of ${logical}`);
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw bad(`sha256 of ${logical}`);
    checked[logical] = { file, bytes: size, sha256 };
  }
  return { format: MANIFEST_FORMAT, version: 1, generation, files: checked };
}

export function manifestBytes(m: FolderManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m, null, 1) + '\n');
}
