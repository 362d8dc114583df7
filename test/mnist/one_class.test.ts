// One-class MNIST: an autoencoder trained on one digit scores the whole test set; the other nine
// digits are the anomalies. ROC-AUC for every digit beside a PCA reconstruction-error baseline with
// the same code size (32), computed in the same run; the autoencoder's mean must beat PCA's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, model, setSeed } from '../../src/index.js';
import { anomalyScores } from '../../src/apps/anomaly.js';
import { rocAuc } from '../../src/apps/metrics.js';
import { fitPca, pcaErrors } from '../../src/apps/pca.js';
import { loadMnist } from '../../src/data/mnist.js';

test('one-class MNIST: autoencoder ROC-AUC beats PCA-32 on the mean over the ten digits', async (t) => {
  const train = loadMnist('train'),
    testSet = loadMnist('test');
  let aeSum = 0,
    pcaSum = 0;
  for (let digit = 0; digit < 10; digit++) {
    const rows = [...train.labels.keys()].filter((i) => train.labels[i] === digit);
    const data = new Float32Array(rows.length * 784);
    rows.forEach((r, i) => data.set(train.images.data.subarray(r * 784, (r + 1) * 784), i * 784));
    const x = { data, shape: [rows.length, 784] };
    setSeed(digit);
    const inp = input([784]);
    const ae = model({
      inputs: inp,
      outputs: layers.dense(784, { activation: 'sigmoid' }).apply(layers.dense(32, { activation: 'relu' }).apply(inp)),
    });
    ae.compile({ optimizer: { name: 'adam', learningRate: 0.002 }, loss: 'bce', seed: 1 });
    await ae.fit(x, x, { epochs: 20, batchSize: 64, verbose: false });
    const labels = Int32Array.from(testSet.labels, (l) => (l === digit ? 0 : 1));
    const aeAuc = rocAuc(anomalyScores(ae, testSet.images), labels);
    const pcaAuc = rocAuc(pcaErrors(fitPca(x, 32), testSet.images), labels);
    t.diagnostic(`digit ${digit}: autoencoder ROC-AUC ${aeAuc.toFixed(4)}, PCA-32 ${pcaAuc.toFixed(4)}`);
    aeSum += aeAuc;
    pcaSum += pcaAuc;
  }
  t.diagnostic(`mean: autoencoder ${(aeSum / 10).toFixed(4)}, PCA-32 ${(pcaSum / 10).toFixed(4)}`);
  assert.ok(aeSum > pcaSum, `autoencoder mean ROC-AUC ${aeSum / 10} vs PCA ${pcaSum / 10}`);
});
