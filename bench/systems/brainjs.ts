// brain.js 2.0 beta `AE` in the benchmark: the autoencoder class a JavaScript user might find
// first. It trains with its own optimizer and loss, so only its speed is comparable; it is slow,
// so it runs a small slice of the same MNIST rows.

import brain from 'brain.js';
import { childArgs, emit, mnistRows } from '../shared.js';

const { workload: w } = childArgs();
const rows = 64;
const flat = mnistRows(rows);
const data = Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * 784, (i + 1) * 784)));
const ae = new brain.AE({ hiddenLayers: w.encoder });
// Its GPU layer falls back to the CPU with a warning per kernel; keep the output clean.
const warn = console.warn;
console.warn = () => {};
ae.train(data, { iterations: 1 });
const t0 = performance.now();
const iterations = 3;
const result = ae.train(data, { iterations }) as { error: number };
const seconds = (performance.now() - t0) / 1000;
console.warn = warn;
emit('brain.js', {
  samplesPerSecond: (rows * iterations) / seconds,
  finalLoss: null,
  note: `AE, own optimizer and loss (error ${result.error.toFixed(4)}); ${rows} rows x ${iterations} iterations`,
});
