// Denoising on MNIST: a denoising autoencoder trained with Gaussian noise (sigma 0.5, clipped to
// [0, 1]) brings noisy test images at least 4x closer (MSE) to the clean ones than the noisy input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoencoders } from '../../src/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { Random } from '../../src/engine/random.js';
import { meanSquaredError } from '../../src/apps/compress.js';

/** Clean images plus N(0, sigma^2) noise, clipped to [0, 1], drawn with its own seed. */
function addNoise(x: Float32Array, sigma: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from(x, (v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
}

test('denoising autoencoder: output at least 4x closer to clean MNIST test images than the noisy input', async () => {
  const train = loadMnist('train').images,
    clean = loadMnist('test').images;
  const dae = autoencoders.denoising({
    hidden: [256],
    latent: 64,
    noise: { type: 'gaussian', stddev: 0.5, clip: [0, 1] },
  });
  await dae.fit(train, { epochs: 3, batchSize: 128, verbose: false });
  const noisy = addNoise(clean.data, 0.5, 2024);
  const denoised = dae.reconstruct({ data: noisy, shape: clean.shape }).data;
  const before = meanSquaredError(clean.data, noisy),
    after = meanSquaredError(clean.data, denoised);
  console.log(
    `MSE to the clean test images: noisy input ${before.toFixed(4)}, denoised ${after.toFixed(4)} (${(before / after).toFixed(1)}x closer)`,
  );
  assert.ok(after * 4 <= before, `denoised MSE ${after} vs noisy ${before}`);
});
