// The 784-400-20 variational autoencoder on MNIST: test negative ELBO in nats per example falls
// with training, and samples from the prior are written as a PNG grid to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { autoencoders } from '../../src/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { writeImageGrid } from '../../src/data/png.js';

test('VAE 784-400-20 on MNIST: test negative ELBO falls with training; samples written as PNG', async () => {
  const train = loadMnist('train').images,
    testSet = loadMnist('test').images;
  const vae = autoencoders.variational({ hidden: [400], latent: 20 });
  await vae.fit(train, { epochs: 1, batchSize: 128, verbose: false });
  const first = vae.elbo(testSet, { seed: 1 });
  const h = await vae.fit(train, { epochs: 3, batchSize: 128, verbose: false });
  const later = vae.elbo(testSet, { seed: 1 });
  console.log(
    `test negative ELBO: ${first.negativeElbo.toFixed(2)} nats after 1 epoch (KL ${first.kl.toFixed(2)}), ${later.negativeElbo.toFixed(2)} after 4 (KL ${later.kl.toFixed(2)}); training: ${h.history['negative_elbo']!.map((v) => v.toFixed(1)).join(', ')}`,
  );
  assert.ok(
    later.negativeElbo < first.negativeElbo - 3,
    `negative ELBO ${first.negativeElbo} -> ${later.negativeElbo}`,
  );
  // Continuous-pixel Bernoulli likelihood: a VAE of this size reaches about 100-110 nats in 10+ epochs.
  assert.ok(later.negativeElbo < 125, `negative ELBO after 4 epochs ${later.negativeElbo}`);
  assert.ok(later.kl > 5, `the code is used (KL ${later.kl})`);
  const samples = vae.sample(32, { seed: 7 });
  const file = path.join(os.tmpdir(), 'hourglass-vae-samples.png');
  const images = Array.from({ length: 32 }, (_, i) => samples.data.subarray(i * 784, (i + 1) * 784));
  writeImageGrid(
    file,
    [0, 1, 2, 3].map((r) => images.slice(r * 8, r * 8 + 8)),
    { height: 28, width: 28, columns: 8 },
  );
  assert.ok(fs.statSync(file).size > 1000);
  console.log(`samples: ${file}`);
});
