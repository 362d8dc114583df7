// Models as user files in a page: a download (one .zip, or the two files of a model folder), and
// loading from an <input type=file>'s files, a Blob, a URL (fetched) or bytes. No server needed.

import { HourglassError } from '../engine/errors.js';
import { modelFromFiles } from '../model/load.js';
import type { Model } from '../model/model.js';
import { MODEL_FILE, WEIGHTS_FILE, modelToFiles } from '../model/save.js';
import { HISTORY_FILE } from '../model/training_history.js';
import { MANIFEST_FILE, logicalName, parseManifest } from './manifest.js';
import { filesFromZip, filesToZip } from '../model/zip.js';
import { Autoencoder } from '../models/autoencoder.js';
import { loadAutoencoderFromFiles } from '../models/kinds.js';

/** What can be saved: a model, or an autoencoder (its kind, options and preprocessing go with it). */
export type Saveable = Model | Autoencoder;

/**
 * Where a saved model comes from: a .zip as a File/Blob or bytes; a URL (string, relative to the
 * page) of a .zip, or of a model folder when it ends in '/'; or the files an
 * `<input type=file multiple>` gives: one .zip, or model.json and weights.safetensors.
 */
export type ModelSource = Blob | URL | string | ArrayBuffer | Uint8Array | FileList | readonly Blob[];

export interface LoadFromOptions {
  /** Passed to fetch() for URL sources (credentials, headers, a signal). */
  request?: RequestInit;
}

export interface DownloadOptions {
  /** The zip's file name (default 'model.zip'). */
  filename?: string;
  /**
   * 'zip' (default): one file. 'files': model.json and weights.safetensors as two downloads, a
   * model folder once they are put side by side (browsers may ask before a second download).
   */
  format?: 'zip' | 'files';
}

/** The two saved files of a model or an autoencoder, the bytes a saved folder holds. */
export function savedFiles(item: Saveable): Record<string, Uint8Array> {
  return item instanceof Autoencoder ? item.toFiles() : modelToFiles(item);
}

/** The model as a .zip Blob (to upload, or to keep), the same bytes downloadModel offers. */
export function modelBlob(item: Saveable): Blob {
  return new Blob([plainView(filesToZip(savedFiles(item)))], { type: 'application/zip' });
}

/** Offers the model as a download (an <a download> click); returns the Blobs offered, by file name. */
export function downloadModel(item: Saveable, options: DownloadOptions = {}): Record<string, Blob> {
  if (typeof document === 'undefined') throw new HourglassError('downloadModel needs a page (no document here)');
  const files = savedFiles(item);
  const offered: Record<string, Blob> =
    options.format === 'files'
      ? {
          [MODEL_FILE]: new Blob([plainView(files[MODEL_FILE]!)], { type: 'application/json' }),
          [WEIGHTS_FILE]: new Blob([plainView(files[WEIGHTS_FILE]!)], { type: 'application/octet-stream' }),
          ...(files[HISTORY_FILE]
            ? { [HISTORY_FILE]: new Blob([plainView(files[HISTORY_FILE])], { type: 'application/json' }) }
            : {}),
        }
      : { [options.filename ?? 'model.zip']: new Blob([plainView(filesToZip(files))], { type: 'application/zip' }) };
  for (const [name, blob] of Object.entries(offered)) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    // The download reads the URL after click() returns: revoke it only later.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return offered;
}

/** The two saved files from a source, and a name for it in error messages. */
export async function readModelSource(
  source: ModelSource,
  options: LoadFromOptions = {},
): Promise<{ files: Record<string, Uint8Array>; where: string }> {
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(String(source), pageBase());
    const where = url.href;
    if (url.pathname.endsWith('/')) {
      // A served model folder: its manifest names the files of its last complete save; a folder
      // saved before manifests has its two files beside each other under their plain names.
      const manifest = await fetchIfThere(new URL(MANIFEST_FILE, url), options.request);
      const names: Record<string, string> = manifest
        ? Object.fromEntries(
            Object.entries(parseManifest(manifest, `${where}${MANIFEST_FILE}`).files).map(([k, e]) => [k, e.file]),
          )
        : { [MODEL_FILE]: MODEL_FILE, [WEIGHTS_FILE]: WEIGHTS_FILE };
      const [json, weights] = await Promise.all(
        [MODEL_FILE, WEIGHTS_FILE].map((f) => fetchBytes(new URL(names[f] ?? f, url), options.request)),
      );
      return { files: { [MODEL_FILE]: json!, [WEIGHTS_FILE]: weights! }, where };
    }
    return { files: filesFromZip(await fetchBytes(url, options.request), where), where };
  }
  if (source instanceof ArrayBuffer) return { files: filesFromZip(new Uint8Array(source), 'bytes'), where: 'bytes' };
  if (source instanceof Uint8Array) return { files: filesFromZip(source, 'bytes'), where: 'bytes' };
  if (source instanceof Blob) {
    const where = nameOf(source) ?? 'blob';
    return { files: filesFromZip(new Uint8Array(await source.arrayBuffer()), where), where };
  }
  const list = Array.from(source);
  if (list.length === 1) return readModelSource(list[0]!, options);
  // Picked files of a folder: model.json and weights.safetensors found by name; files of a Node
  // folder's save (model.g1-1a2b3c4d.json ...) through its picked manifest.json, or by their names.
  const picked = new Map(list.map((f) => [nameOf(f) ?? '', f] as const));
  const manifestFile = picked.get(MANIFEST_FILE);
  const manifest = manifestFile
    ? parseManifest(new Uint8Array(await manifestFile.arrayBuffer()), MANIFEST_FILE).files
    : null;
  const files: Record<string, Uint8Array> = {};
  for (const [name, f] of picked) {
    const logical = manifest
      ? Object.keys(manifest).find((k) => manifest[k]!.file === name || k === name)
      : logicalName(name);
    if (logical === MODEL_FILE || logical === WEIGHTS_FILE || logical === HISTORY_FILE) {
      if (files[logical]) throw new HourglassError(`the files given hold two ${logical}: pick the files of one save`);
      files[logical] = new Uint8Array(await f.arrayBuffer());
    }
  }
  const names = list.map((f) => nameOf(f) ?? 'a blob without a name').join(', ');
  if (!files[MODEL_FILE] || !files[WEIGHTS_FILE])
    throw new HourglassError(
      `the files given (${names || 'none'}) are not a saved model: pick one .zip, or ${MODEL_FILE} and ${WEIGHTS_FILE}`,
    );
  return { files, where: 'the files given' };
}

/** A model from a .zip, a served folder or the two picked files (see ModelSource). */
export async function loadModelFrom(source: ModelSource, options: LoadFromOptions = {}): Promise<Model> {
  const { files, where } = await readModelSource(source, options);
  return modelFromFiles(files, where).model;
}

/** An autoencoder (kind, options, preprocessing) from a .zip, a served folder or the two picked files. */
export async function loadAutoencoderFrom(source: ModelSource, options: LoadFromOptions = {}): Promise<Autoencoder> {
  const { files, where } = await readModelSource(source, options);
  return loadAutoencoderFromFiles(files, where);
}

/** The bytes at `url`, or null when the server answers 404 (a folder saved without a manifest). */
async function fetchIfThere(url: URL, request: RequestInit | undefined): Promise<Uint8Array | null> {
  let response: Response;
  try {
    response = await fetch(url, request);
  } catch (e) {
    throw new HourglassError(`cannot fetch ${url.href} (${(e as Error).message})`);
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new HourglassError(`cannot fetch ${url.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchBytes(url: URL, request: RequestInit | undefined): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, request);
  } catch (e) {
    throw new HourglassError(`cannot fetch ${url.href} (${(e as Error).message})`);
  }
  if (!response.ok) throw new HourglassError(`cannot fetch ${url.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Relative URLs are the page's (or the worker's). */
function pageBase(): string | undefined {
  return typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
}

/** A File's name (a Blob has none). */
function nameOf(blob: Blob): string | undefined {
  return 'name' in blob && typeof blob.name === 'string' ? blob.name : undefined;
}

/** Blob parts must be views of a plain ArrayBuffer: the saved bytes are (copied only if not). */
function plainView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : bytes.slice();
}
