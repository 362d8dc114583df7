// An output file written as it is computed, crash-safe as writeFileDurable is: the bytes go to
// a temporary name beside the target (`p.tmp-<hex>`), and only a finished file is fsynced and
// renamed over it, so a reader (or a crash, or Ctrl-C) sees the old file or the whole new one.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HourglassError } from '../engine/errors.js';
import { fsyncDir } from './node_folder.js';

export class DurableFileWriter {
  private readonly tmp: string;
  private fd: number | null;
  /** Bytes written so far. */
  bytes = 0;

  constructor(private readonly target: string) {
    this.tmp = `${target}.tmp-${crypto.randomBytes(4).toString('hex')}`;
    try {
      this.fd = fs.openSync(this.tmp, 'wx');
    } catch (e) {
      throw new HourglassError(`cannot write ${target}: ${(e as Error).message}`);
    }
  }

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.open(), bytes, done, bytes.length - done);
    this.bytes += bytes.length;
  }

  /** Overwrites bytes already written (a header whose counts are known only at the end). */
  writeAt(position: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.open(), bytes, done, bytes.length - done, position + done);
  }

  /** Flushes, renames the temporary over the target and flushes the folder. */
  finish(): void {
    const fd = this.open();
    this.fd = null;
    try {
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      fs.rmSync(this.tmp, { force: true });
      throw new HourglassError(`cannot write ${this.target}: ${(e as Error).message}`);
    }
    fsyncDir(path.dirname(path.resolve(this.target)));
  }

  /** Drops the temporary (a failed job leaves the old file, if any, untouched). */
  abort(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.tmp, { force: true });
  }

  private open(): number {
    if (this.fd === null) throw new HourglassError(`${this.target}: written after it was finished`);
    return this.fd;
  }
}
