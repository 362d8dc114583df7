// A variational autoencoder on MNIST: trains for a few epochs, reports the test negative ELBO in
// nats, and writes samples from the prior and an interpolation between two test digits.
// Run: npx tsx examples/vae.ts

import { autoencoders, loadMnist, writeImageGrid } from 'hourglass-ae';

const train = loadMnist('train').images,
  test = loadMnist('test').images;
const vae = autoencoders.variational({ hidden: [400], latent: 20 });
await vae.fit(train, { epochs: 5, batchSize: 128 });
const e = vae.elbo(test);
console.log(
  `test negative ELBO ${e.negativeElbo.toFixed(1)} nats (reconstruction ${e.reconstruction.toFixed(1)}, KL ${e.kl.toFixed(1)})`,
);

const image = (t: Float32Array, i: number) => t.subarray(i * 784, (i + 1) * 784);
const samples = vae.sample(32, { seed: 1 }).data;
const row = (from: number, t: Float32Array) => Array.from({ length: 8 }, (_, k) => image(t, from + k));
const line = vae.interpolate(
  { data: image(test.data, 0), shape: [1, 784] },
  { data: image(test.data, 1), shape: [1, 784] },
  8,
).data;
writeImageGrid('vae.png', [row(0, samples), row(8, samples), row(16, samples), row(24, samples), row(0, line)], {
  height: 28,
  width: 28,
  columns: 8,
});
console.log('wrote vae.png: four rows of samples, then a 7 turning into a 2');
