// k-NN over codes: predictions equal a brute-force float64 reference on random data, and the
// 32-value codes of a dense autoencoder classify MNIST test digits at least 93% right.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed, tensor } from '../../src/index.js';
import { knnAccuracy, knnPredict } from '../../src/apps/knn.js';
import { loadMnist } from '../../src/data/mnist.js';
import { Random } from '../../src/engine/random.js';
import { denseAutoencoder } from '../../src/models/dense_autoencoder.js';
import { randomArray } from '../helpers/engine.js';

test('k-NN predictions equal a brute-force reference', () => {
  const rng = new Random(3);
  const [n, q, d, k] = [700, 300, 5, 7];
  const ref = randomArray(n * d, rng),
    qs = randomArray(q * d, rng);
  const labels = Int32Array.from({ length: n }, () => rng.int(4));
  const got = knnPredict(tensor(ref, [n, d]), labels, tensor(qs, [q, d]), k);
  for (let r = 0; r < q; r++) {
    const dist = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (qs[r * d + j]! - ref[i * d + j]!) ** 2;
      return [s, i] as const;
    })
      .sort((a, b) => a[0] - b[0])
      .slice(0, k);
    const votes = new Map<number, number>();
    let winner = labels[dist[0]![1]]!,
      most = 0;
    for (const [, i] of dist) {
      const v = (votes.get(labels[i]!) ?? 0) + 1;
      votes.set(labels[i]!, v);
      if (v > most) {
        most = v;
        winner = labels[i]!;
      }
    }
    assert.equal(got[r], winner, `query ${r}`);
  }
});

test('k-NN on 32-value autoencoder codes classifies MNIST test digits at least 93% right', async (t) => {
  const train = loadMnist('train'),
    testSet = loadMnist('test');
  setSeed(0);
  const { autoencoder, encoder } = denseAutoencoder({ inputDim: 784, hidden: [256, 64], latent: 32 });
  autoencoder.compile({ optimizer: { name: 'adam', learningRate: 0.002 }, loss: 'bce', seed: 1 });
  await autoencoder.fit(train.images, train.images, { epochs: 5, batchSize: 256, verbose: false });
  const accuracy = knnAccuracy(
    encoder.predict(train.images),
    train.labels,
    encoder.predict(testSet.images),
    testSet.labels,
    5,
  );
  t.diagnostic(`5-NN accuracy of 32-value codes on MNIST test: ${accuracy}`);
  assert.ok(accuracy >= 0.93, `k-NN accuracy ${accuracy}`);
});
