// The process-wide seeded generator that initializers draw from. setSeed() makes every
// later weight, shuffle and mask reproducible.

import { Random } from './random.js';

let generator = new Random(1337);

export function setSeed(seed: number): void {
  generator = new Random(seed);
}
export function globalRandom(): Random {
  return generator;
}
