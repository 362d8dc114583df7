// Messages between the fuzz runner and its workers.

import type { InputKind } from './mutate.js';

export interface WorkerTask {
  parser: string;
  seed: number;
  start: number;
  end: number;
  maxAllocBytes: number;
  /** Given inputs to run instead of the seed's mutations (committed regression inputs). */
  inputs?: Uint8Array[];
  /** Int32 [index being run (-1 when none), inputs finished, read, refused]. */
  control: SharedArrayBuffer;
}

export type CrashKind = 'exception' | 'allocation' | 'hang' | 'leak';

export interface Crash {
  index: number;
  kind: CrashKind;
  message: string;
  /** The first stack frame in Hourglass or a library, for exceptions. */
  where: string;
}

export type WorkerMessage =
  | { type: 'ready'; seeds: Uint8Array[]; kind: InputKind }
  | ({ type: 'crash' } & Crash)
  | { type: 'done'; ok: number; refused: number; slowestMs: number; slowestIndex: number };
