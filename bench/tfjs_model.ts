// The TensorFlow.js side of the workloads, for Node and the browser page alike: Hourglass's
// presets rebuilt from tfjs layers with the shared initial weights, Adam and binary
// cross-entropy, trained with trainOnBatch on the same batches in order. The caller picks the backend.

import * as tf from '@tensorflow/tfjs';
import { measure } from './timing.js';
import { convKernelShapes, layerSizes, LEARNING_RATE, type Workload } from './workloads.js';

export function tfjsModel(w: Workload, weights: Float32Array[]): tf.Sequential {
  const sizes = layerSizes(w);
  const m = tf.sequential();
  if (w.kind === 'conv' && w.layout === 'strided') {
    // Hourglass's strided preset: stride-2 convs, a linear code conv, transposed convs back with a
    // crop from 8x8 to 7x7.
    const shapes = convKernelShapes(w);
    w.encoder.forEach((f, i) => {
      m.add(
        tf.layers.conv2d({
          filters: f,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'elu',
          ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        }),
      );
    });
    m.add(tf.layers.conv2d({ filters: w.codeChannels!, kernelSize: 3, padding: 'same' }));
    m.add(tf.layers.conv2d({ filters: w.encoder.at(-1)!, kernelSize: 3, padding: 'same', activation: 'elu' }));
    const sizes = [28];
    for (let i = 0; i < w.encoder.length; i++) sizes.push(Math.ceil(sizes.at(-1)! / 2));
    [...w.encoder].reverse().forEach((_, i, r) => {
      const last = i === r.length - 1;
      m.add(
        tf.layers.conv2dTranspose({
          filters: last ? 1 : r[i + 1]!,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: last ? 'sigmoid' : 'elu',
        }),
      );
      const over = 2 * sizes[r.length - i]! - sizes[r.length - i - 1]!;
      if (over > 0)
        m.add(
          tf.layers.cropping2D({
            cropping: [
              [0, over],
              [0, over],
            ],
          }),
        );
    });
    m.setWeights(
      weights.map((v, k) => tf.tensor(v, k % 2 === 0 ? shapes[k / 2]!.kernel : [shapes[(k - 1) / 2]!.units])),
    );
  } else if (w.kind === 'conv') {
    // Hourglass's conv preset: conv+pool blocks, conv+upsample back, crop to 28x28, output conv.
    const shapes = convKernelShapes(w);
    const n = w.encoder.length;
    w.encoder.forEach((f, i) => {
      m.add(
        tf.layers.conv2d({
          filters: f,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        }),
      );
      m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    });
    [...w.encoder].reverse().forEach((f) => {
      m.add(tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'relu' }));
      m.add(tf.layers.upSampling2d({ size: [2, 2] }));
    });
    const grown = Math.ceil(28 / 2 ** n) * 2 ** n;
    const crop = (grown - 28) / 2;
    if (crop > 0)
      m.add(
        tf.layers.cropping2D({
          cropping: [
            [crop, crop],
            [crop, crop],
          ],
        }),
      );
    m.add(tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }));
    m.setWeights(
      weights.map((v, k) => tf.tensor(v, k % 2 === 0 ? shapes[k / 2]!.kernel : [shapes[(k - 1) / 2]!.units])),
    );
  } else {
    for (let i = 1; i < sizes.length; i++) {
      m.add(
        tf.layers.dense({
          units: sizes[i]!,
          activation: i === sizes.length - 1 ? 'sigmoid' : 'relu',
          ...(i === 1 ? { inputShape: [784] } : {}),
        }),
      );
    }
    m.setWeights(
      weights.map((v, k) => tf.tensor(v, k % 2 === 0 ? [sizes[k / 2]!, sizes[k / 2 + 1]!] : [sizes[(k - 1) / 2 + 1]!])),
    );
  }
  // Keras's Adam puts epsilon outside the bias correction; PyTorch's inside. Irrelevant at 1e-7.
  m.compile({ optimizer: tf.train.adam(LEARNING_RATE, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });
  return m;
}

/** Trains on the workload's batches (one block = one pass over them); returns samples/s and the last block's mean loss. */
export async function trainTfjs(
  m: tf.Sequential,
  w: Workload,
  data: Float32Array,
): Promise<{ samplesPerSecond: number; finalLoss: number }> {
  const rows = w.batch * w.steps;
  const shape = w.kind === 'conv' ? [w.batch, 28, 28, 1] : [w.batch, 784];
  const batches = Array.from({ length: w.steps }, (_, s) =>
    tf.tensor(data.subarray(s * w.batch * 784, (s + 1) * w.batch * 784), shape),
  );
  let last = 0;
  const rate = await measure(
    w,
    async () => {
      let sum = 0;
      for (const b of batches) sum += Number(await m.trainOnBatch(b, b));
      last = sum / batches.length;
    },
    rows,
  );
  tf.dispose(batches);
  return { samplesPerSecond: rate, finalLoss: last };
}
