// onnxruntime-node in the benchmark (predict workloads only): the Hourglass model built from the
// shared weights, exported with exportOnnx, and run by ONNX Runtime's CPU provider over all rows
// in one session.run per block, intra-op threads pinned to the bench's thread count.

import * as ort from 'onnxruntime-node';
import '../../src/index.js';
import { exportOnnx } from '../../src/interop/onnx/export.js';
import { hourglassModel } from '../hourglass_model.js';
import { childArgs, emit, measure, readWeights, workloadRows } from '../shared.js';
import { sampleSize } from '../workloads.js';

const { workload: w, weightsFile, threads } = childArgs();
if (w.kind !== 'predict') throw new Error('onnxruntime runs the predict workloads only');
const bytes = exportOnnx(hourglassModel(w, readWeights(weightsFile, w)));
const session = await ort.InferenceSession.create(bytes, {
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
});
const x = new ort.Tensor('float32', workloadRows(w, w.rows!), [w.rows!, sampleSize(w)]);
let checksum = 0;
const rate = await measure(
  w,
  async () => {
    const out = await session.run({ input: x });
    checksum = (out['output']!.data as Float32Array)[0]!;
  },
  w.rows!,
);
await session.release();
emit('onnxruntime', {
  samplesPerSecond: rate,
  finalLoss: checksum,
  note: `onnxruntime-node ${ort.env.versions?.node ?? ''}, cpu provider, ${threads} intra-op thread(s)`.replace(
    '  ',
    ' ',
  ),
});
