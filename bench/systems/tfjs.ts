// TensorFlow.js in the benchmark (wasm or cpu backend): the same layers, initial weights,
// Adam and binary cross-entropy, trained with trainOnBatch on the same batches in order.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { childArgs, emit, measure, mnistRows, readWeights } from '../shared.js';
import { layerSizes, LEARNING_RATE } from '../workloads.js';

const { workload: w, weightsFile, threads } = childArgs();
const backend = process.argv[5] ?? 'wasm';
if (backend === 'wasm') setThreadsCount(threads);
await tf.setBackend(backend);
await tf.ready();
const sizes = layerSizes(w);
const weights = readWeights(weightsFile, w);
const m = tf.sequential();
for (let i = 1; i < sizes.length; i++) {
  m.add(tf.layers.dense({ units: sizes[i]!, activation: i === sizes.length - 1 ? 'sigmoid' : 'relu', ...(i === 1 ? { inputShape: [784] } : {}) }));
}
m.setWeights(weights.map((v, k) => tf.tensor(v, k % 2 === 0 ? [sizes[k / 2]!, sizes[k / 2 + 1]!] : [sizes[(k - 1) / 2 + 1]!])));
// Keras's Adam puts epsilon outside the bias correction; PyTorch's inside. Irrelevant at 1e-7.
m.compile({ optimizer: tf.train.adam(LEARNING_RATE, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });

if (w.kind === 'train') {
  const rows = w.batch * w.steps;
  const data = mnistRows(rows);
  const batches = Array.from({ length: w.steps }, (_, s) => tf.tensor2d(data.subarray(s * w.batch * 784, (s + 1) * w.batch * 784), [w.batch, 784]));
  let last = 0;
  const rate = await measure(w, async () => {
    let sum = 0;
    for (const b of batches) sum += Number(await m.trainOnBatch(b, b));
    last = sum / batches.length;
  }, rows);
  emit(`tfjs-${backend}`, { samplesPerSecond: rate, finalLoss: last, note: `threads ${backend === 'wasm' ? threads : 1}` });
} else {
  const x = tf.tensor2d(mnistRows(w.rows!), [w.rows!, 784]);
  let checksum = 0;
  const rate = await measure(w, async () => {
    const out = m.predict(x, { batchSize: w.batch }) as tf.Tensor;
    checksum = (await out.data())[0]!;
    out.dispose();
  }, w.rows!);
  emit(`tfjs-${backend}`, { samplesPerSecond: rate, finalLoss: checksum });
}
