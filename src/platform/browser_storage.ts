// Saving and loading models in a page without a server: IndexedDB here (the two saved files under
// a key, the bytes a folder holds), user files (download, File, URL, bytes) in browser_files.ts.

import { HourglassError } from '../engine/errors.js';
import { modelFromFiles } from '../model/load.js';
import type { Model } from '../model/model.js';
import { MODEL_FILE, WEIGHTS_FILE } from '../model/save.js';
import { Autoencoder, type AutoencoderKind } from '../models/autoencoder.js';
import { loadAutoencoderFromFiles } from '../models/kinds.js';
import { savedFiles, type Saveable } from './browser_files.js';

// The browser entry's whole storage surface comes from this module.
export {
  downloadModel,
  loadAutoencoderFrom,
  loadModelFrom,
  modelBlob,
  type DownloadOptions,
  type LoadFromOptions,
  type ModelSource,
  type Saveable,
} from './browser_files.js';

export interface IndexedDBOptions {
  /** The IndexedDB database (default 'hourglass-ae'); its object store is 'models'. */
  database?: string;
}

/** One saved model as listIndexedDB() describes it. */
export interface StoredModelInfo {
  key: string;
  /** The autoencoder's kind, or 'model' for a plain model. */
  kind: AutoencoderKind | 'model';
  /** When it was saved (ISO 8601). */
  savedAt: string;
  /** The size of its two files together. */
  bytes: number;
}

interface StoredModel extends StoredModelInfo {
  files: Record<string, Uint8Array>;
}

const DEFAULT_DATABASE = 'hourglass-ae';
const STORE = 'models';

/** Saves a model or an autoencoder under `key` (replacing what was there), complete or not at all. */
export async function saveToIndexedDB(item: Saveable, key: string, options: IndexedDBOptions = {}): Promise<void> {
  const files = savedFiles(item);
  const record: StoredModel = {
    key,
    kind: item instanceof Autoencoder ? item.kind : 'model',
    savedAt: new Date().toISOString(),
    bytes: Object.values(files).reduce((s, f) => s + f.length, 0),
    files,
  };
  // One put in one transaction: IndexedDB commits it whole, so a crash never leaves half a model.
  await inStore(options, 'readwrite', `save '${key}'`, (s) => s.put(record));
}

/** A model saved under `key` (by saveToIndexedDB, from a model or an autoencoder). */
export async function loadModelFromIndexedDB(key: string, options: IndexedDBOptions = {}): Promise<Model> {
  const { files, where } = await readStored(key, options);
  return modelFromFiles(files, where).model;
}

/** An autoencoder saved under `key`, with its kind, options and preprocessing. */
export async function loadAutoencoderFromIndexedDB(key: string, options: IndexedDBOptions = {}): Promise<Autoencoder> {
  const { files, where } = await readStored(key, options);
  return loadAutoencoderFromFiles(files, where);
}

/** The saved models, by key. */
export async function listIndexedDB(options: IndexedDBOptions = {}): Promise<StoredModelInfo[]> {
  const all = await inStore<unknown[]>(options, 'readonly', 'list the models', (s) => s.getAll());
  return all.filter(isStoredModel).map(({ key, kind, savedAt, bytes }) => ({ key, kind, savedAt, bytes }));
}

/** Deletes the model under `key`; false when there was none. */
export async function deleteFromIndexedDB(key: string, options: IndexedDBOptions = {}): Promise<boolean> {
  const found = await inStore<number>(options, 'readonly', `find '${key}'`, (s) => s.count(key));
  if (found === 0) return false;
  await inStore(options, 'readwrite', `delete '${key}'`, (s) => s.delete(key));
  return true;
}

async function readStored(
  key: string,
  options: IndexedDBOptions,
): Promise<{ files: Record<string, Uint8Array>; where: string }> {
  const where = `IndexedDB '${options.database ?? DEFAULT_DATABASE}' key '${key}'`;
  const value = await inStore<unknown>(options, 'readonly', `load '${key}'`, (s) => s.get(key));
  if (value === undefined) throw new HourglassError(`${where}: no model saved under this key (see listIndexedDB())`);
  if (!isStoredModel(value)) throw new HourglassError(`${where}: not a model saved by saveToIndexedDB`);
  return { files: value.files, where };
}

function isStoredModel(value: unknown): value is StoredModel {
  if (typeof value !== 'object' || value === null || !('files' in value) || !('key' in value)) return false;
  const files = value.files;
  return (
    typeof value.key === 'string' &&
    typeof files === 'object' &&
    files !== null &&
    [MODEL_FILE, WEIGHTS_FILE].every((f) => f in files && (files as Record<string, unknown>)[f] instanceof Uint8Array)
  );
}

/** Runs one request in its own transaction and resolves when the transaction has committed. */
async function inStore<T>(
  options: IndexedDBOptions,
  mode: IDBTransactionMode,
  what: string,
  request: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const name = options.database ?? DEFAULT_DATABASE;
  const db = await openDatabase(name);
  try {
    return await new Promise<T>((resolve, reject) => {
      let tx: IDBTransaction, req: IDBRequest<T>;
      try {
        tx = db.transaction(STORE, mode);
        req = request(tx.objectStore(STORE));
      } catch (e) {
        // A database of this name made by other code, without our store.
        reject(new HourglassError(`IndexedDB '${name}': cannot ${what} (${(e as Error).message})`));
        return;
      }
      const fail = () =>
        reject(
          new HourglassError(`IndexedDB '${name}': cannot ${what} (${(tx.error ?? req.error)?.message ?? 'aborted'})`),
        );
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = fail;
      tx.onabort = fail;
    });
  } finally {
    db.close();
  }
}

function openDatabase(name: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new HourglassError('IndexedDB is not available here (save and load it in a browser page)'));
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(new HourglassError(`cannot open IndexedDB '${name}' (${req.error?.message ?? 'unknown error'})`));
    req.onblocked = () =>
      reject(new HourglassError(`cannot open IndexedDB '${name}': another tab holds an older version of it open`));
  });
}
