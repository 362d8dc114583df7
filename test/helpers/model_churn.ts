// Trains, predicts with and disposes dense and convolutional models of varying sizes, as a
// service that retrains would: the memory test and tools/memory_soak.ts use it.

import { autoencoders, input, layers, sequential, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';

export async function trainAndDispose(count: number, first = 0): Promise<void> {
  for (let i = first; i < first + count; i++) {
    const rng = new Random(i);
    if (i % 3 === 2) {
      const side = 8 + (i % 4) * 2;
      const d = tensor(Float32Array.from({ length: 16 * side * side }, () => rng.uniform()), [16, side, side, 1]);
      const ae = autoencoders.conv({ filters: [4 + (i % 3), 4] });
      await ae.fit(d, { epochs: 1, batchSize: 8, verbose: false });
      ae.reconstruct(d);
      ae.dispose();
    } else {
      const cols = 20 + (i % 7) * 13;
      const d = tensor(Float32Array.from({ length: 64 * cols }, () => rng.normal()), [64, cols]);
      const m = sequential([input([cols]), layers.dense(8 + (i % 5) * 4, { activation: 'relu' }), layers.dense(cols)]);
      m.compile({ loss: 'mse', optimizer: i % 2 ? 'adam' : 'sgd', seed: i });
      await m.fit(d, d, { epochs: 1, batchSize: 16 + (i % 3) * 16, verbose: false, validationSplit: 0.25 });
      m.predict(d);
      m.evaluate(d, d);
      m.dispose();
    }
  }
}
