// Requests that arrive together share one predict: rows are queued until the end of the event
// loop's turn, or for `maxWaitMs` (or until `maxRows` are waiting), run as one batch, and each
// request gets back its own rows' results. One predict of 500 rows costs far less than 50
// predicts of 10 (the kernels are matrix products, and each call has a fixed overhead), which is
// what lets many small clients share one core. The operation must treat rows independently, so that a row's answer does not
// depend on which other rows shared its batch.
//
// The default waits for the end of the turn (setImmediate), not for a time. Every request read
// in one turn is then in a batch before the next turn reads more, and none waits longer. A 2-ms
// timer did worse under load: a turn of a thousand clients' requests takes tens of ms, and a
// batch begun in a turn's last 2 ms was not due when the turn ended, so its requests waited for
// the whole next turn. That was the 2% of answers at twice the usual latency that made the p99
// (README, server section).

import type { Tensor } from '../engine/tensor.js';

export interface BatchOptions {
  /** Flush as soon as this many rows wait (a request with more runs alone). */
  maxRows: number;
  /**
   * Longest a row waits for others before its batch runs; 0: until the end of the event loop's
   * turn (every request read in that turn shares the batch).
   */
  maxWaitMs: number;
}

export type RowOperation<Out> = (x: Tensor, mask: Tensor | null) => Out[];

interface Waiting<Out> {
  x: Tensor;
  mask: Tensor | null;
  resolve: (out: Out[]) => void;
  reject: (e: unknown) => void;
}

export class MicroBatcher<Out> {
  /** Batches run so far (each one predict), and the rows in them. */
  batches = 0;
  rows = 0;
  private waiting: Waiting<Out>[] = [];
  private waitingRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private turnEnd: NodeJS.Immediate | null = null;

  constructor(
    private readonly operation: RowOperation<Out>,
    private readonly options: BatchOptions,
  ) {}

  /** This request's rows' results, computed in a batch with whatever else arrives meanwhile. */
  submit(x: Tensor, mask: Tensor | null): Promise<Out[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ x, mask, resolve, reject });
      this.waitingRows += x.shape[0]!;
      if (this.waitingRows >= this.options.maxRows) this.flush();
      else if (this.options.maxWaitMs === 0) this.turnEnd ??= setImmediate(() => this.flush());
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Runs everything waiting now, as one batch. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.turnEnd) clearImmediate(this.turnEnd);
    this.timer = null;
    this.turnEnd = null;
    const group = this.waiting;
    this.waiting = [];
    this.waitingRows = 0;
    if (group.length === 0) return;
    try {
      const out = this.operation(concatRows(group.map((w) => w.x)), concatMasks(group));
      this.batches++;
      let at = 0;
      for (const w of group) {
        const n = w.x.shape[0]!;
        w.resolve(out.slice(at, at + n));
        at += n;
      }
      this.rows += at;
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }
}

function concatRows(parts: Tensor[]): Tensor {
  if (parts.length === 1) return parts[0]!;
  const rows = parts.reduce((s, t) => s + t.shape[0]!, 0);
  const data = new Float32Array(parts.reduce((s, t) => s + t.data.length, 0));
  let at = 0;
  for (const t of parts) {
    data.set(t.data, at);
    at += t.data.length;
  }
  return { data, shape: [rows, ...parts[0]!.shape.slice(1)] };
}

/** One mask for the batch when any request has gaps: all-ones (observed) for those without. */
function concatMasks<Out>(group: Waiting<Out>[]): Tensor | null {
  if (group.every((w) => w.mask === null)) return null;
  return concatRows(group.map((w) => w.mask ?? { data: new Float32Array(w.x.data.length).fill(1), shape: w.x.shape }));
}
