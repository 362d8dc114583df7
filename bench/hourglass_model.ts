// The Hourglass side of the training workloads, for Node and the browser page alike: the model
// built with the public API from the shared initial weights, and fit() timed per epoch. It imports
// the platform-free API only; the caller's entry (src/index.ts or src/browser.ts) loads the kernels.

import { convAutoencoder, input, layers, model } from '../src/api.js';
import type { Model, SymbolicTensor } from '../src/api.js';
import { median } from './timing.js';
import { CONV1D_KERNEL, CONV1D_LAYERS, LSTM_UNITS } from './sequence_workloads.js';
import { inputSize, layerSizes, LEARNING_RATE, sampleShape, sampleSize, type Workload } from './workloads.js';

/** The sequence workloads built layer by layer (the preset would add dropout), from the shared weights. */
function sequenceModel(w: Workload, weights: Float32Array[]): Model {
  const x = input([w.window!, 1]);
  let h: SymbolicTensor = x;
  let k = 0;
  const values = () => ({ values: weights[k++]! });
  if (w.arch === 'lstm') {
    const lstm = (returnSequences: boolean) =>
      layers.lstm(LSTM_UNITS, {
        returnSequences,
        unitForgetBias: false, // the shared bias is given whole
        kernelInitializer: values(),
        recurrentInitializer: values(),
        biasInitializer: values(),
      });
    h = lstm(false).apply(h);
    h = layers.repeatVector(w.window!).apply(h);
    h = lstm(true).apply(h);
    h = layers.timeDistributed(layers.dense(1, { kernelInitializer: values(), biasInitializer: values() })).apply(h);
  } else {
    CONV1D_LAYERS.forEach((l, i) => {
      const last = i === CONV1D_LAYERS.length - 1;
      const options = {
        kernelSize: CONV1D_KERNEL,
        strides: l.stride,
        padding: 'same' as const,
        ...(last ? {} : { activation: 'relu' as const }),
        kernelInitializer: values(),
        biasInitializer: values(),
      };
      h = (l.transposed ? layers.conv1dTranspose(l.filters, options) : layers.conv1d(l.filters, options)).apply(h);
    });
  }
  const ae = model({ inputs: x, outputs: h });
  ae.compile({ optimizer: { name: 'adam', learningRate: LEARNING_RATE }, loss: 'mse' });
  return ae;
}

export function hourglassModel(w: Workload, weights: Float32Array[]): Model {
  let ae: Model;
  if (w.kind === 'sequence') return sequenceModel(w, weights);
  if (w.kind === 'conv') {
    ae = convAutoencoder({
      inputShape: [28, 28, 1],
      filters: w.encoder,
      // The classic pooling network, as the other systems build it: the pooled map is the code.
      ...(w.layout === 'strided'
        ? { downsampling: 'strided' as const, codeChannels: w.codeChannels! }
        : { latent: false as const }),
    }).autoencoder;
    // Same initial weights as the other systems: the preset's conv layers in order.
    ae.layers
      .filter((l) => l.className === 'Conv2D' || l.className === 'Conv2DTranspose')
      .forEach((l, i) => {
        l.params[0]!.value.view().set(weights[2 * i]!);
        l.params[1]!.value.view().set(weights[2 * i + 1]!);
      });
  } else {
    const sizes = layerSizes(w);
    const x = input([inputSize(w)]);
    const outputActivation = w.loss === 'mse' ? 'linear' : 'sigmoid';
    let h: SymbolicTensor = x;
    for (let i = 1; i < sizes.length; i++) {
      h = layers
        .dense(sizes[i]!, {
          activation: i === sizes.length - 1 ? outputActivation : 'relu',
          kernelInitializer: { values: weights[2 * (i - 1)]! },
          biasInitializer: { values: weights[2 * (i - 1) + 1]! },
        })
        .apply(h);
    }
    ae = model({ inputs: x, outputs: h });
  }
  ae.compile({ optimizer: { name: 'adam', learningRate: LEARNING_RATE }, loss: w.loss ?? 'binaryCrossentropy' });
  return ae;
}

export interface TrainRate {
  samplesPerSecond: number;
  finalLoss: number;
}

/**
 * One block = one epoch over `data`'s rows in order: the same batches every system sees. One
 * fit() call runs them all (as users train); a callback times each epoch, the first is warm-up.
 * `onTimedStart` runs as the first timed epoch begins (Node starts its GEMM profile there).
 */
export async function trainHourglass(
  ae: Model,
  w: Workload,
  data: Float32Array,
  onTimedStart?: () => void,
): Promise<TrainRate> {
  const rows = data.length / sampleSize(w);
  const x = { data, shape: [rows, ...sampleShape(w)] };
  const rates: number[] = [];
  let started = 0;
  const hist = await ae.fit(x, x, {
    epochs: w.blocks + 1,
    batchSize: w.batch,
    shuffle: false,
    verbose: false,
    callbacks: [
      {
        onEpochBegin: (epoch) => {
          if (epoch === 1) onTimedStart?.();
          started = performance.now();
        },
        onEpochEnd: (epoch) => {
          if (epoch > 0) rates.push(rows / ((performance.now() - started) / 1000));
        },
      },
    ],
  });
  return { samplesPerSecond: median(rates), finalLoss: hist.history['loss']!.at(-1)! };
}
