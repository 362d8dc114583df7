// The full memory check of the lifecycle: trains, predicts and disposes 1,000 models (dense up to
// 20,000 x 800 values, conv on 5,000 images, varying sizes) and reports WebAssembly memory after
// the first 10 and after all of them. Run: npm run soak:memory [-- count]

import { getEngine } from '../src/engine/kernels.js';
import { arena } from '../src/engine/memory.js';
import { trainAndDispose, type ChurnSize } from '../test/helpers/model_churn.js';

const count = Number(process.argv[2] ?? 1000);
const size: ChurnSize = { rows: 20000, step: 130 };
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
await trainAndDispose(10, 0, size);
const memory = getEngine().memory.buffer.byteLength,
  top = arena.usedBytes;
console.log(`after 10 models: memory ${mib(memory)}, arena top ${mib(top)}`);
const t0 = Date.now();
await trainAndDispose(count - 10, 10, size);
const after = getEngine().memory.buffer.byteLength;
console.log(
  `after ${count} models (${((Date.now() - t0) / 1000).toFixed(0)} s): memory ${mib(after)}, arena top ${mib(arena.usedBytes)}`,
);
if (after !== memory || arena.usedBytes !== top) {
  console.error('memory grew');
  process.exit(1);
}
console.log('memory unchanged');
