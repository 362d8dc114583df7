// Hourglass in the benchmark: the model built with the public API, trained with fit()'s
// step (trainStep + optimizer) on batches in order, or predict() over all rows.

import { setThreads, usesFusedMultiplyAdd } from '../../src/index.js';
import { gemmProfile, startGemmProfile } from '../../src/engine/ops.js';
import { hourglassModel, trainHourglass } from '../hourglass_model.js';
import { childArgs, emit, measure, readWeights, workloadRows } from '../shared.js';
import { sampleSize } from '../workloads.js';

const { workload: w, weightsFile, threads } = childArgs();
const fmaNote = usesFusedMultiplyAdd() ? { note: 'fused multiply-add kernels (relaxed SIMD)' } : {};
setThreads(threads);
// Let the kernel workers start before the warm-up block.
await new Promise((r) => setTimeout(r, 200));
const ae = hourglassModel(w, readWeights(weightsFile, w));

if (w.kind !== 'predict') {
  // GEMM time is counted over the timed epochs only (from the second on).
  const r = await trainHourglass(ae, w, workloadRows(w, w.batch * w.steps), startGemmProfile);
  emit('hourglass', { ...r, gemmGflops: gemmGflops(), ...fmaNote });
} else {
  const data = { data: workloadRows(w, w.rows!), shape: [w.rows!, sampleSize(w)] };
  // One call over every row uses predict()'s own batching, as users call it.
  const options = w.wholeCall ? { verbose: false } : { batchSize: w.batch, verbose: false };
  let checksum = 0;
  startGemmProfile();
  const rate = await measure(
    w,
    () => {
      const out = ae.predict(data, options);
      checksum = out.data[0]!;
    },
    w.rows!,
  );
  emit('hourglass', { samplesPerSecond: rate, finalLoss: checksum, gemmGflops: gemmGflops(), ...fmaNote });
}

/** GFLOP/s of the time spent inside GEMMs (the rest of a step: activations, loss, optimizer). */
function gemmGflops(): number {
  const p = gemmProfile();
  return p && p.seconds > 0 ? p.flops / p.seconds / 1e9 : 0;
}
