// Trains, predicts with and disposes dense and convolutional models of varying sizes, as a
// service that retrains would: the memory test and tools/memory_soak.ts use it.

import { autoencoders, input, layers, sequential, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';

export interface ChurnSize {
  /** Rows of each dense model's data (the conv models get a quarter, at least 16). */
  rows: number;
  /** Columns step: dense models have 20 + (i % 7) * step columns (i is the configuration, 0-9). */
  step: number;
}

/** Tiny sizes for CI; tools/memory_soak.ts uses MNIST-like ones. */
export const SMALL: ChurnSize = { rows: 64, step: 13 };

export async function trainAndDispose(count: number, first = 0, size: ChurnSize = SMALL): Promise<void> {
  for (let n = first; n < first + count; n++) {
    // Ten configurations, repeated: after the first ten, a model that leaks shows as growth.
    const i = n % 10;
    const rng = new Random(n);
    if (i % 3 === 2) {
      const side = 8 + (i % 4) * 2;
      const images = Math.max(16, size.rows / 4);
      const d = tensor(
        Float32Array.from({ length: images * side * side }, () => rng.uniform()),
        [images, side, side, 1],
      );
      const ae = autoencoders.conv({ filters: [4 + (i % 3), 4] });
      await ae.fit(d, { epochs: 1, batchSize: 8 + (i % 2) * 24, verbose: false });
      ae.reconstruct(d);
      ae.dispose();
    } else {
      const cols = 20 + (i % 7) * size.step;
      const d = tensor(
        Float32Array.from({ length: size.rows * cols }, () => rng.normal()),
        [size.rows, cols],
      );
      const m = sequential([input([cols]), layers.dense(8 + (i % 5) * 4, { activation: 'relu' }), layers.dense(cols)]);
      m.compile({ loss: 'mse', optimizer: i % 2 ? 'adam' : 'sgd', seed: n });
      await m.fit(d, d, { epochs: 1, batchSize: 16 + (i % 3) * 120, verbose: false, validationSplit: 0.25 });
      m.predict(d);
      m.evaluate(d, d);
      m.dispose();
    }
  }
}
