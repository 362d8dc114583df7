// A seeded uniform sample of a stream of unknown length (reservoir sampling, Vitter's algorithm
// R): the first `capacity` items fill the sample in order; item k after them replaces a random
// slot with probability capacity / (k + 1). So every item is kept with the same chance, memory is
// the sample, and a stream no longer than the sample comes back whole and in its order.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';

export interface ReservoirSample<T> {
  items: T[];
  /** Items in the stream (the sample holds min(seen, capacity)). */
  seen: number;
}

/**
 * `capacity` is called with the first item, so a sample can be sized by its items' size; `keep`
 * copies an item the sample keeps (a row that is a view into a reader's chunk would hold the
 * whole chunk alive).
 */
export async function reservoirSample<T>(
  items: AsyncIterable<T> | Iterable<T>,
  capacity: number | ((first: T) => number),
  seed: number,
  keep: (item: T) => T = (item) => item,
): Promise<ReservoirSample<T>> {
  const random = new Random(seed);
  const sample: T[] = [];
  let slots = typeof capacity === 'number' ? capacity : -1;
  let seen = 0;
  for await (const item of items) {
    if (slots < 0) slots = (capacity as (first: T) => number)(item);
    if (!(Number.isInteger(slots) && slots > 0))
      throw new HourglassError(`reservoir sample: capacity must be a positive integer, got ${slots}`);
    if (seen < slots) sample.push(keep(item));
    else {
      const j = random.int(seen + 1);
      if (j < slots) sample[j] = keep(item);
    }
    seen++;
  }
  return { items: sample, seen };
}
