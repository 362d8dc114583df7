// TensorFlow.js in the benchmark (wasm or cpu backend): the same layers, initial weights,
// Adam and binary cross-entropy, trained with trainOnBatch on the same batches in order.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { childArgs, emit, measure, mnistRows, readWeights } from '../shared.js';
import { tfjsModel, trainTfjs } from '../tfjs_model.js';

const { workload: w, weightsFile, threads } = childArgs();
const backend = process.argv[5] ?? 'wasm';
if (backend === 'wasm') setThreadsCount(threads);
await tf.setBackend(backend);
await tf.ready();
const m = tfjsModel(w, readWeights(weightsFile, w));

if (w.kind !== 'predict') {
  const r = await trainTfjs(m, w, mnistRows(w.batch * w.steps));
  emit(`tfjs-${backend}`, { ...r, note: `threads ${backend === 'wasm' ? threads : 1}` });
} else {
  const x = tf.tensor2d(mnistRows(w.rows!), [w.rows!, 784]);
  let checksum = 0;
  const rate = await measure(
    w,
    async () => {
      const out = m.predict(x, { batchSize: w.batch }) as tf.Tensor;
      checksum = (await out.data())[0]!;
      out.dispose();
    },
    w.rows!,
  );
  emit(`tfjs-${backend}`, { samplesPerSecond: rate, finalLoss: checksum });
}
