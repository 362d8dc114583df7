// Hourglass in the benchmark: the model built with the public API, trained with fit()'s
// step (trainStep + optimizer) on batches in order, or predict() over all rows.

import { input, layers, model, setThreads, usesFusedMultiplyAdd } from '../../src/index.js';
import type { Model, SymbolicTensor } from '../../src/index.js';
import { convAutoencoder } from '../../src/models/conv_autoencoder.js';
import { gemmProfile, startGemmProfile } from '../../src/engine/ops.js';
import { childArgs, emit, measure, mnistRows, readWeights } from '../shared.js';
import { layerSizes, LEARNING_RATE } from '../workloads.js';

const { workload: w, weightsFile, threads } = childArgs();
const fmaNote = usesFusedMultiplyAdd() ? { note: 'fused multiply-add kernels (relaxed SIMD)' } : {};
setThreads(threads);
// Let the kernel workers start before the warm-up block.
await new Promise((r) => setTimeout(r, 200));
const sizes = layerSizes(w);
const weights = readWeights(weightsFile, w);
let ae: Model;
if (w.kind === 'conv') {
  ae = convAutoencoder({
    inputShape: [28, 28, 1],
    filters: w.encoder,
    ...(w.layout === 'strided' ? { downsampling: 'strided' as const, codeChannels: w.codeChannels! } : {}),
  }).autoencoder;
  // Same initial weights as the other systems: the preset's conv layers in order.
  ae.layers
    .filter((l) => l.className === 'Conv2D' || l.className === 'Conv2DTranspose')
    .forEach((l, i) => {
      l.params[0]!.value.view().set(weights[2 * i]!);
      l.params[1]!.value.view().set(weights[2 * i + 1]!);
    });
} else {
  const x = input([784]);
  let h: SymbolicTensor = x;
  for (let i = 1; i < sizes.length; i++) {
    h = layers
      .dense(sizes[i]!, {
        activation: i === sizes.length - 1 ? 'sigmoid' : 'relu',
        kernelInitializer: { values: weights[2 * (i - 1)]! },
        biasInitializer: { values: weights[2 * (i - 1) + 1]! },
      })
      .apply(h);
  }
  ae = model({ inputs: x, outputs: h });
}
ae.compile({ optimizer: { name: 'adam', learningRate: LEARNING_RATE }, loss: 'binaryCrossentropy' });

if (w.kind !== 'predict') {
  const rows = w.batch * w.steps;
  const data = { data: mnistRows(rows), shape: w.kind === 'conv' ? [rows, 28, 28, 1] : [rows, 784] };
  // One block = one epoch over the rows in order: the same batches every system sees. One fit()
  // call runs them all (as users train); a callback times each epoch, the first is warm-up.
  const rates: number[] = [];
  let started = 0;
  const hist = await ae.fit(data, data, {
    epochs: w.blocks + 1,
    batchSize: w.batch,
    shuffle: false,
    verbose: false,
    callbacks: [
      {
        // GEMM time is counted over the timed epochs only (from the second on).
        onEpochBegin: (epoch) => {
          if (epoch === 1) startGemmProfile();
          started = performance.now();
        },
        onEpochEnd: (epoch) => {
          if (epoch > 0) rates.push(rows / ((performance.now() - started) / 1000));
        },
      },
    ],
  });
  rates.sort((a, b) => a - b);
  emit('hourglass', {
    samplesPerSecond: rates[Math.floor(rates.length / 2)]!,
    finalLoss: hist.history['loss']!.at(-1)!,
    gemmGflops: gemmGflops(),
    ...fmaNote,
  });
} else {
  const data = { data: mnistRows(w.rows!), shape: [w.rows!, 784] };
  let checksum = 0;
  startGemmProfile();
  const rate = await measure(
    w,
    () => {
      const out = ae.predict(data, { batchSize: w.batch, verbose: false });
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
