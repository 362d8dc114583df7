// Runs a parser's inputs in a worker thread under a watchdog: the worker writes the index it is
// on into shared memory, and an input that holds it longer than the time limit is a hang (the
// worker is terminated and a fresh one goes on after that input). The run is a function of
// (seed, parser, count): any crash's input is regenerated from its index.

import { Worker } from 'node:worker_threads';
import { mutatedInput, type InputKind } from './mutate.js';
import type { Crash, WorkerMessage, WorkerTask } from './protocol.js';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Per input (default 5,000 ms: inputs are a few KiB, a valid one reads in milliseconds). */
  timeLimitMs?: number;
  /** The largest single allocation a parser may request (default 256 MiB). */
  maxAllocBytes?: number;
  /** Setting up a target (training its tiny model) may take this long (default 120 s). */
  setupLimitMs?: number;
  /** Runs these inputs (count is their number) instead of the seed's mutations. */
  inputs?: Uint8Array[];
  /** Called about every progressMs with the counts so far (a long run shows how far it got). */
  onProgress?: (p: { parser: string; done: number; ok: number; refused: number; crashes: number }) => void;
  progressMs?: number;
}

export interface ParserResult {
  parser: string;
  inputs: number;
  ok: number;
  refused: number;
  crashes: Crash[];
  slowestMs: number;
  seconds: number;
  seeds: Uint8Array[];
  kind: InputKind;
}

// Worker threads do not inherit tsx's loader on Node 20: a small ES module registers it, then
// loads the TypeScript worker.
const WORKER = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};\n` +
      `register();\nawait import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)});`,
  )}`,
);

interface Segment {
  ok: number;
  refused: number;
  slowestMs: number;
  /** Where the next segment starts (end of the range, or past a hang). */
  next: number;
}

function runSegment(parser: string, start: number, o: Required<FuzzOptions>, result: ParserResult): Promise<Segment> {
  const control = new SharedArrayBuffer(16);
  const view = new Int32Array(control);
  Atomics.store(view, 0, -1);
  const task: WorkerTask = {
    parser,
    seed: o.seed,
    start,
    end: o.count,
    maxAllocBytes: o.maxAllocBytes,
    control,
    ...(o.inputs.length ? { inputs: o.inputs } : {}),
  };
  const worker = new Worker(WORKER, { workerData: task });
  return new Promise((resolve, reject) => {
    let ready = false;
    // What a worker that is stopped (or dies) had counted.
    const partial = () => ({ ok: Atomics.load(view, 2), refused: Atomics.load(view, 3) });
    const began = Date.now();
    let watched = -1,
      since = Date.now(),
      reported = Date.now();
    const timer = setInterval(
      () => {
        const now = Date.now();
        if (ready && now - reported >= o.progressMs) {
          reported = now;
          o.onProgress?.({
            parser,
            done: start + Atomics.load(view, 1),
            ok: result.ok + Atomics.load(view, 2),
            refused: result.refused + Atomics.load(view, 3),
            crashes: result.crashes.length,
          });
        }
        if (!ready) {
          if (now - began > o.setupLimitMs)
            finish(() => reject(new Error(`${parser}: the target's setup took over ${o.setupLimitMs} ms`)));
          return;
        }
        const at = Atomics.load(view, 0);
        if (at !== watched) [watched, since] = [at, now];
        else if (at >= 0 && now - since > o.timeLimitMs) {
          result.crashes.push({ index: at, kind: 'hang', message: `no result after ${o.timeLimitMs} ms`, where: '' });
          void worker.terminate();
          finish(() => resolve({ ...partial(), slowestMs: o.timeLimitMs, next: at + 1 }));
        }
      },
      Math.min(100, o.timeLimitMs / 4),
    );
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      f();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        ready = true;
        result.seeds = m.seeds;
        result.kind = m.kind;
      } else if (m.type === 'crash')
        result.crashes.push({ index: m.index, kind: m.kind, message: m.message, where: m.where });
      else finish(() => resolve({ ok: m.ok, refused: m.refused, slowestMs: m.slowestMs, next: o.count }));
    });
    worker.on('error', (e) => {
      // An error escaping the loop (a crash in the worker itself): the input it was on is the cause.
      const at = Atomics.load(view, 0);
      if (ready && at >= 0) {
        result.crashes.push({
          index: at,
          kind: 'exception',
          message: `worker died: ${e.message}`.slice(0, 400),
          where: '',
        });
        finish(() => resolve({ ...partial(), slowestMs: 0, next: at + 1 }));
      } else finish(() => reject(e));
    });
    worker.on('exit', (code) => {
      const at = Atomics.load(view, 0);
      if (ready && at >= 0 && !settled) {
        result.crashes.push({ index: at, kind: 'exception', message: `worker exited with code ${code}`, where: '' });
        finish(() => resolve({ ...partial(), slowestMs: 0, next: at + 1 }));
      } else finish(() => reject(new Error(`${parser}: worker exited with code ${code} before finishing`)));
    });
  });
}

export async function fuzzParser(parser: string, options: FuzzOptions): Promise<ParserResult> {
  const o: Required<FuzzOptions> = {
    timeLimitMs: 5000,
    maxAllocBytes: 256 * 2 ** 20,
    setupLimitMs: 120_000,
    inputs: [],
    onProgress: () => {},
    progressMs: 60_000,
    ...options,
  };
  if (o.inputs.length) o.count = o.inputs.length;
  const t0 = Date.now();
  const result: ParserResult = {
    parser,
    inputs: o.count,
    ok: 0,
    refused: 0,
    crashes: [],
    slowestMs: 0,
    seconds: 0,
    seeds: [],
    kind: 'binary',
  };
  let start = 0;
  while (start < o.count) {
    const s = await runSegment(parser, start, o, result);
    result.ok += s.ok;
    result.refused += s.refused;
    result.slowestMs = Math.max(result.slowestMs, s.slowestMs);
    start = s.next;
  }
  result.crashes.sort((a, b) => a.index - b.index);
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

/**
 * Runs given inputs (committed regression inputs) through a parser's target under the same
 * watchdog, time limit and allocation bound as a fuzz run: a hang is a crash, not a stuck test.
 */
export function replayInputs(
  parser: string,
  inputs: Uint8Array[],
  options: Omit<FuzzOptions, 'seed' | 'count' | 'inputs'> = {},
): Promise<ParserResult> {
  return fuzzParser(parser, { ...options, seed: 0, count: inputs.length, inputs });
}

/** The bytes of input `index` of a parser's run (to save a crash). */
export function inputOf(r: ParserResult, seed: number, index: number): Uint8Array {
  return mutatedInput(r.seeds, r.kind, seed, r.parser, index);
}

/** Crashes grouped by what went wrong (numbers blanked), each with its first index. */
export function crashSignatures(crashes: Crash[]): { signature: string; count: number; first: Crash }[] {
  const groups = new Map<string, { signature: string; count: number; first: Crash }>();
  for (const c of crashes) {
    const signature = `${c.kind}: ${c.message.replace(/\d+/g, 'N').slice(0, 160)} ${c.where.replace(/:\d+:\d+/g, '')}`;
    const g = groups.get(signature);
    if (g) g.count++;
    else groups.set(signature, { signature, count: 1, first: c });
  }
  return [...groups.values()];
}

/** Runs parsers `parallel` at a time. */
export async function fuzzParsers(
  parsers: string[],
  options: FuzzOptions,
  parallel = 2,
  onResult?: (r: ParserResult) => void,
): Promise<ParserResult[]> {
  const results = new Array<ParserResult>(parsers.length);
  let next = 0;
  const lane = async () => {
    while (next < parsers.length) {
      const i = next++;
      results[i] = await fuzzParser(parsers[i]!, options);
      onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, parsers.length) }, lane));
  return results;
}
