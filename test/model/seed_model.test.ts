// The seed autoencoder (20-10-20, relu then sigmoid) trained 5 Adam steps from PyTorch's initial
// weights gives PyTorch's losses and final weights (tools/make_fixtures.py, seed_model.json),
// for MSE and for binary cross-entropy fused with the sigmoid.

import { test } from 'node:test';
import { input, layers, model } from '../../src/index.js';
import { assertClose } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

interface Case {
  loss: 'mse' | 'binaryCrossentropy';
  x: number[];
  initial: number[][];
  losses: number[];
  final: number[][];
}
const { cases } = fixture<{ cases: Case[] }>('seed_model.json');

for (const c of cases) {
  test(`seed autoencoder with ${c.loss} follows PyTorch for 5 Adam steps`, async () => {
    const x = input([20]);
    const h = layers
      .dense(10, {
        activation: 'relu',
        kernelInitializer: { values: c.initial[0]! },
        biasInitializer: { values: c.initial[1]! },
      })
      .apply(x);
    const y = layers
      .dense(20, {
        activation: 'sigmoid',
        kernelInitializer: { values: c.initial[2]! },
        biasInitializer: { values: c.initial[3]! },
      })
      .apply(h);
    const ae = model({ inputs: x, outputs: y });
    ae.compile({ optimizer: { name: 'adam', learningRate: 0.01, epsilon: 1e-7 }, loss: c.loss });
    const data = { data: Float32Array.from(c.x), shape: [16, 20] };
    const history = await ae.fit(data, data, { epochs: 5, batchSize: 16, shuffle: false, verbose: false });
    assertClose(history.history['loss']!, c.losses, 1e-5, 1e-7, 'losses');
    ae.getWeights().forEach((w, i) => assertClose(w, c.final[i]!, 1e-4, 1e-6, `weights ${i}`));
  });
}
