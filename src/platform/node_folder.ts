// Crash-safe folder saves on Node, like a database's manifest: each save writes its files under
// new names (model.g4-1a2b3c4d.json), fsyncs them, renames one small manifest.json over the old
// one (the commit: a rename is atomic), fsyncs the folder, and only then removes the files of
// older saves. At every instant the folder therefore describes either the complete old save or
// the complete new one, whatever moment a crash or SIGKILL picks. Saves to one folder take a lock
// file (a killed holder's lock is broken once its process is gone), so two processes saving at
// once leave one complete save, never a mix. Folders written before manifests (plain model.json
// + weights.safetensors) still load; the first save into one replaces its plain files.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HourglassError } from '../engine/errors.js';
import {
  MANIFEST_FILE,
  generationName,
  manifestBytes,
  parseManifest,
  type FolderManifest,
  type ManifestEntry,
} from './manifest.js';

const LOCK_FILE = '.hourglass-save.lock';
/** How long a save waits for another live process's save to the same folder. */
const LOCK_WAIT_MS = 120_000;
// What a save of ours names: generation files, manifest temporaries, lock candidates.
const GENERATION_TAG = /\.g\d+-[0-9a-f]{8}(\.|$)/;
const MANIFEST_TEMP = new RegExp(`^${MANIFEST_FILE.replace('.', '\\.')}\\.tmp-[0-9a-f]{8}$`);
const LOCK_TEMP = new RegExp(`^${LOCK_FILE.replace(/\./g, '\\.')}\\.(cand|stale)-[0-9a-f]{8}$`);

/** Reads the files of a folder the way legacy saves wrote them (plain names); see readFolder. */
export type LegacyReader = (readPlain: (name: string) => Uint8Array) => Record<string, Uint8Array>;

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Flushes a folder's entries (new names, renames) to disk; not every platform can open a folder. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot fsync a folder; its renames are journaled by NTFS.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Writes a new file (it must not exist) and fsyncs it before returning. */
function writeNewFileSynced(p: string, content: Uint8Array | string): void {
  const fd = fs.openSync(p, 'wx');
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * One output file, crash-safe: a temporary name beside it, fsync, rename over `p`, fsync the
 * folder. A reader sees the old file or the new one, never a part; a kill leaves at most the
 * temporary (named `p.tmp-<hex>`), which no later write trips over.
 */
export function writeFileDurable(p: string, content: Uint8Array | string): void {
  const tmp = `${p}.tmp-${crypto.randomBytes(4).toString('hex')}`;
  try {
    writeNewFileSynced(tmp, content);
    fs.renameSync(tmp, p);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new HourglassError(`cannot write ${p}: ${(e as Error).message}`);
  }
  fsyncDir(path.dirname(path.resolve(p)));
}

function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

function readLockPid(p: string): number | null {
  try {
    return Number(fs.readFileSync(p, 'utf8').trim());
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Takes the folder's save lock; returns its release. The lock file always holds its owner's pid
 * (it is a hard link to a file written first), so a lock left by a killed save is recognised by
 * its dead pid and broken. Locks are per machine: pids of other hosts on a shared disk mean nothing.
 */
function acquireLock(dir: string): () => void {
  const lock = path.join(dir, LOCK_FILE);
  const tag = crypto.randomBytes(4).toString('hex');
  const candidate = `${lock}.cand-${tag}`;
  const start = Date.now();
  for (;;) {
    if (!fs.existsSync(candidate)) fs.writeFileSync(candidate, `${process.pid}\n`);
    try {
      fs.linkSync(candidate, lock);
      fs.rmSync(candidate, { force: true });
      return () => fs.rmSync(lock, { force: true });
    } catch (e) {
      if (errno(e) === 'ENOENT') continue; // a clean-up removed our candidate: write it again
      if (errno(e) !== 'EEXIST') {
        fs.rmSync(candidate, { force: true });
        throw e;
      }
    }
    const holder = readLockPid(lock);
    if (holder === null) continue;
    if (!processAlive(holder)) {
      // Break the dead holder's lock; if it turns out another process took a fresh lock in the
      // meantime, give that one back.
      const stale = `${lock}.stale-${tag}`;
      try {
        fs.renameSync(lock, stale);
      } catch (e) {
        if (errno(e) === 'ENOENT') continue;
        throw e;
      }
      if (readLockPid(stale) !== holder) {
        try {
          fs.linkSync(stale, lock);
        } catch {
          // Someone locked again already; that lock stands.
        }
      }
      fs.rmSync(stale, { force: true });
      continue;
    }
    if (Date.now() - start > LOCK_WAIT_MS) {
      fs.rmSync(candidate, { force: true });
      throw new HourglassError(`cannot save to ${dir}: process ${holder} has been saving there for over 2 minutes`);
    }
    sleepMs(5);
  }
}

function readManifestIfAny(dir: string): FolderManifest | null {
  const p = path.join(dir, MANIFEST_FILE);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(p);
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw new HourglassError(`cannot read ${p}: ${(e as Error).message}`);
  }
  return parseManifest(bytes, p);
}

/** Whether the folder's last complete save (or its plain legacy files) has the file `logical`. */
export function folderHasFile(dir: string, logical: string): boolean {
  const manifest = readManifestIfAny(dir);
  return manifest ? logical in manifest.files : fs.existsSync(path.join(dir, logical));
}

/**
 * Removes what no manifest points to any more: older saves' files, temporaries and lock
 * candidates of killed saves, and plain files of a legacy folder that the manifest now replaces.
 * Runs under the lock, so no other save has files in flight. Unknown files are left alone.
 */
function removeUnreferenced(dir: string, manifest: FolderManifest): void {
  const referenced = new Set(Object.values(manifest.files).map((e) => e.file));
  for (const name of fs.readdirSync(dir)) {
    if (referenced.has(name)) continue;
    const ours = GENERATION_TAG.test(name) || MANIFEST_TEMP.test(name) || LOCK_TEMP.test(name);
    const replacedLegacy = Object.hasOwn(manifest.files, name);
    if (ours || replacedLegacy) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Saves `files` (logical name -> content) into `dir`; see the file comment for the protocol. */
export function writeFolder(dir: string, files: Record<string, Uint8Array | string>): void {
  const parent = path.dirname(path.resolve(dir));
  if (!fs.existsSync(parent)) throw new HourglassError(`cannot save to ${dir}: folder ${parent} does not exist`);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new HourglassError(`cannot save to ${dir}: it is a file, not a folder`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fsyncDir(parent);
  }
  const release = acquireLock(dir);
  const written: string[] = [];
  try {
    let previous: FolderManifest | null = null;
    try {
      previous = readManifestIfAny(dir);
    } catch {
      // A damaged manifest is replaced by this save: its files become unreferenced leftovers.
    }
    const generation = (previous?.generation ?? 0) + 1;
    const tag = `g${generation}-${crypto.randomBytes(4).toString('hex')}`;
    const entries: Record<string, ManifestEntry> = {};
    for (const [logical, content] of Object.entries(files)) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const file = generationName(logical, tag);
      written.push(file);
      writeNewFileSynced(path.join(dir, file), bytes);
      entries[logical] = { file, bytes: bytes.length, sha256: sha256(bytes) };
    }
    const manifest: FolderManifest = { format: 'hourglass-folder', version: 1, generation, files: entries };
    const tmp = path.join(dir, `${MANIFEST_FILE}.tmp-${tag.slice(-8)}`);
    written.push(path.basename(tmp));
    writeNewFileSynced(tmp, manifestBytes(manifest));
    fsyncDir(dir); // the new files' names are durable before the manifest can point to them
    fs.renameSync(tmp, path.join(dir, MANIFEST_FILE)); // the commit
    written.length = 0;
    fsyncDir(dir);
    removeUnreferenced(dir, manifest);
  } catch (e) {
    for (const f of written) fs.rmSync(path.join(dir, f), { force: true });
    if (e instanceof HourglassError) throw e;
    throw new HourglassError(`cannot save to ${dir}: ${(e as Error).message}`);
  } finally {
    release();
  }
}

class MissingFile extends Error {}

function readOnce(dir: string, legacy: LegacyReader): Record<string, Uint8Array> {
  const manifest = readManifestIfAny(dir);
  const readPlain = (name: string): Uint8Array => {
    const p = path.join(dir, name);
    try {
      return fs.readFileSync(p);
    } catch (e) {
      if (errno(e) === 'ENOENT') throw new MissingFile(`${p} does not exist`);
      throw new HourglassError(`cannot read ${p}: ${(e as Error).message}`);
    }
  };
  if (!manifest) return legacy(readPlain);
  const files: Record<string, Uint8Array> = {};
  for (const [logical, entry] of Object.entries(manifest.files)) {
    const bytes = readPlain(entry.file);
    if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256)
      throw new HourglassError(
        `${path.join(dir, logical)} (${entry.file}) is damaged: its ${bytes.length !== entry.bytes ? 'size' : 'SHA-256'} does not match ${MANIFEST_FILE}`,
      );
    files[logical] = bytes;
  }
  return files;
}

/**
 * The files of the save that `dir`'s manifest points to, by logical name, each checked against
 * its size and SHA-256; a folder without a manifest (written before them) is read by `legacy`.
 * Files of unfinished saves are ignored. A save that commits while we read can remove the files
 * we were about to read: then the new manifest is read again.
 */
export function readFolder(dir: string, legacy: LegacyReader): Record<string, Uint8Array> {
  for (let attempt = 0; ; attempt++) {
    try {
      return readOnce(dir, legacy);
    } catch (e) {
      if (!(e instanceof MissingFile)) throw e;
      if (attempt >= 20) throw new HourglassError(e.message);
    }
  }
}
