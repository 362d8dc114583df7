// Datasets that stream: an async iterable of elements (rows, then batches) built from a file, a
// generator or another dataset, read again from the start on every pass (epoch). Transformations
// are lazy, so only what a stage holds (a shuffle buffer, the batches prefetched) is resident:
// a file larger than memory trains at constant memory.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import type { Tensor } from '../engine/tensor.js';

/** Refuses a size that is not a positive integer, naming the method and the argument. */
function positive(method: string, name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0))
    throw new HourglassError(`${method}: ${name} must be a positive integer, got ${value}`);
}

type Source<T> = () => AsyncIterable<T> | Iterable<T>;

export class Dataset<T> implements AsyncIterable<T> {
  /** `source` is called once per pass and must start from the beginning each time. */
  constructor(private readonly source: Source<T>) {}

  /** A dataset from a generator function (sync or async), called again for each pass. */
  static fromGenerator<T>(generate: Source<T>): Dataset<T> {
    return new Dataset(generate);
  }

  /** The rows of an in-memory tensor [n, ...], each as a flat Float32Array view. */
  static fromTensor(t: Tensor): Dataset<Float32Array> {
    const n = t.shape[0] ?? 0;
    const width = n ? t.data.length / n : 0;
    return new Dataset(function* () {
      for (let r = 0; r < n; r++) yield t.data.subarray(r * width, (r + 1) * width);
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this.source();
  }

  map<U>(f: (value: T, index: number) => U): Dataset<U> {
    return new Dataset(() => mapped(this, f));
  }

  /** The first n elements of each pass. */
  take(n: number): Dataset<T> {
    return new Dataset(() => taken(this, n));
  }

  /**
   * A seeded shuffle buffer (as tf.data's): holds `bufferSize` elements and yields a random one
   * as each new one arrives. A buffer at least the size of the set gives a uniform permutation
   * of it; every pass draws a new order from the same generator (same seed, same orders).
   */
  shuffle(bufferSize: number, seed = 42): Dataset<T> {
    positive('shuffle', 'bufferSize', bufferSize);
    const random = new Random(seed);
    return new Dataset(() => shuffled(this, bufferSize, random));
  }

  /**
   * shuffle() for rows of numbers, without a copy per row: the buffer is one block of
   * bufferSize + 1 rows, each arriving row is copied into its free slot, and the row drawn out is
   * yielded as a view of its slot. The same seed gives the same order as shuffle() (the same
   * draws). A yielded row is valid until the next one is asked for: consume it (batch() copies
   * it) before then. Per-row copies that a buffer keeps alive for thousands of rows are what made
   * shuffle() the costliest stage of a streamed fit (the garbage collector's old generation).
   */
  shuffleRows(this: Dataset<Float32Array>, bufferSize: number, seed = 42): Dataset<Float32Array> {
    positive('shuffle', 'bufferSize', bufferSize);
    const random = new Random(seed);
    return new Dataset(() => shuffledRows(this, bufferSize, random));
  }

  /**
   * shuffleRows(bufferSize, seed).batch(batchSize) in one stage: the same draws and the same
   * batches, with each drawn row copied straight into its batch. Every stage a row passes through
   * is an async generator step (a promise per row), which is most of a streamed fit's own cost.
   */
  shuffleBatches(this: Dataset<Float32Array>, bufferSize: number, batchSize: number, seed = 42): Dataset<Tensor> {
    positive('shuffle', 'bufferSize', bufferSize);
    positive('batch', 'batchSize', batchSize);
    const random = new Random(seed);
    return new Dataset(() => shuffledBatches(this, null, bufferSize, batchSize, random));
  }

  /** shuffleBatches over blocks of whole rows (`width` values each) instead of single rows. */
  shuffleBlockBatches(
    this: Dataset<Float32Array>,
    width: number,
    bufferSize: number,
    batchSize: number,
    seed = 42,
  ): Dataset<Tensor> {
    positive('shuffle', 'bufferSize', bufferSize);
    positive('batch', 'batchSize', batchSize);
    const random = new Random(seed);
    return new Dataset(() => shuffledBatches(this, width, bufferSize, batchSize, random));
  }

  /**
   * Reads up to `count` elements ahead while the consumer works on the current one, so that
   * reading and decoding overlap with training steps.
   */
  prefetch(count = 2): Dataset<T> {
    return new Dataset(() => prefetched(this, count));
  }

  /** Rows of numbers grouped into batches [b, width]; the last batch of a pass may be smaller. */
  batch(this: Dataset<Float32Array>, batchSize: number, dropRemainder = false): Dataset<Tensor> {
    positive('batch', 'batchSize', batchSize);
    return new Dataset(() => batched(this, batchSize, dropRemainder));
  }

  /** Collects every element of one pass (small datasets and tests). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const v of this) out.push(v);
    return out;
  }
}

async function* mapped<T, U>(src: Dataset<T>, f: (value: T, index: number) => U): AsyncGenerator<U> {
  let i = 0;
  for await (const v of src) yield f(v, i++);
}

async function* taken<T>(src: Dataset<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  let i = 0;
  for await (const v of src) {
    yield v;
    if (++i >= n) return;
  }
}

async function* shuffled<T>(src: Dataset<T>, bufferSize: number, random: Random): AsyncGenerator<T> {
  const buffer: T[] = [];
  for await (const v of src) {
    if (buffer.length < bufferSize) {
      buffer.push(v);
      continue;
    }
    const j = random.int(bufferSize);
    const out = buffer[j]!;
    buffer[j] = v;
    yield out;
  }
  while (buffer.length) {
    const j = random.int(buffer.length);
    const out = buffer[j]!;
    buffer[j] = buffer[buffer.length - 1]!;
    buffer.pop();
    yield out;
  }
}

async function* shuffledRows(
  src: Dataset<Float32Array>,
  bufferSize: number,
  random: Random,
): AsyncGenerator<Float32Array> {
  let width = -1;
  let block: Float32Array | null = null;
  // slots[p] is the block row that holds buffer position p; `free` is the block row not in use.
  const slots = new Int32Array(bufferSize);
  let size = 0,
    free = bufferSize;
  const row = (k: number) => block!.subarray(k * width, (k + 1) * width);
  for await (const v of src) {
    if (width < 0) {
      width = v.length;
      block = new Float32Array((bufferSize + 1) * width);
    } else if (v.length !== width)
      throw new HourglassError(`shuffle: a row has ${v.length} values, the first had ${width}`);
    if (size < bufferSize) {
      block!.set(v, size * width);
      slots[size] = size;
      size++;
      continue;
    }
    // The row yielded last has been consumed (the next one was asked for): its block row is free.
    const j = random.int(bufferSize);
    block!.set(v, free * width);
    const out = slots[j]!;
    slots[j] = free;
    free = out;
    yield row(out);
  }
  while (size) {
    const j = random.int(size);
    const out = slots[j]!;
    slots[j] = slots[size - 1]!;
    size--;
    yield row(out);
  }
}

/** shuffledRows's draws, each drawn row copied into the batch being filled (see shuffleBatches). */
async function* shuffledBatches(
  src: Dataset<Float32Array>,
  blockWidth: number | null,
  bufferSize: number,
  batchSize: number,
  random: Random,
): AsyncGenerator<Tensor> {
  let width = blockWidth ?? -1;
  let block: Float32Array | null = null;
  const slots = new Int32Array(bufferSize);
  let size = 0,
    free = bufferSize;
  let data: Float32Array | null = null,
    filled = 0;
  // Copies block row k into the batch; returns the full batch when it is, else null.
  const take = (k: number): Tensor | null => {
    data ??= new Float32Array(batchSize * width);
    data.set(block!.subarray(k * width, (k + 1) * width), filled * width);
    if (++filled < batchSize) return null;
    const full: Tensor = { data, shape: [batchSize, width] };
    // A fresh buffer: the consumer (or a prefetch stage) may still hold the last one.
    data = null;
    filled = 0;
    return full;
  };
  for await (const v of src) {
    if (width < 0) width = v.length;
    if (blockWidth === null ? v.length !== width : v.length % width !== 0)
      throw new HourglassError(
        blockWidth === null
          ? `shuffle: a row has ${v.length} values, the first had ${width}`
          : `shuffle: a block of ${v.length} values is not whole rows of ${width}`,
      );
    block ??= new Float32Array((bufferSize + 1) * width);
    // A block's rows go through the buffer one by one, without an async step each.
    for (let at = 0; at < v.length; at += width) {
      const rowValues = blockWidth === null ? v : v.subarray(at, at + width);
      if (size < bufferSize) {
        block.set(rowValues, size * width);
        slots[size] = size;
        size++;
        continue;
      }
      // The drawn row is copied out at once, so its block row is free for the next arrival.
      const j = random.int(bufferSize);
      block.set(rowValues, free * width);
      const out = slots[j]!;
      slots[j] = free;
      free = out;
      const full = take(out);
      if (full) yield full;
    }
  }
  while (size) {
    const j = random.int(size);
    const out = slots[j]!;
    slots[j] = slots[size - 1]!;
    size--;
    const full = take(out);
    if (full) yield full;
  }
  if (filled) yield { data: data!.slice(0, filled * width), shape: [filled, width] };
}

async function* prefetched<T>(src: Dataset<T>, count: number): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  try {
    for (;;) {
      while (ahead.length < count) ahead.push(it.next());
      const r = await ahead.shift()!;
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

async function* batched(src: Dataset<Float32Array>, batchSize: number, dropRemainder: boolean): AsyncGenerator<Tensor> {
  let width = -1;
  let data: Float32Array | null = null;
  let filled = 0;
  for await (const row of src) {
    if (width < 0) width = row.length;
    else if (row.length !== width)
      throw new HourglassError(`batch: a row has ${row.length} values, the first had ${width}`);
    data ??= new Float32Array(batchSize * width);
    data.set(row, filled * width);
    if (++filled === batchSize) {
      yield { data, shape: [batchSize, width] };
      // A fresh buffer: the consumer (or a prefetch stage) may still hold the last one.
      data = null;
      filled = 0;
    }
  }
  if (filled && !dropRemainder) yield { data: data!.slice(0, filled * width), shape: [filled, width] };
}
