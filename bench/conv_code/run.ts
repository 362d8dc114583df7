// The conv preset's code, dense (the default, latent sized by convCodeSize) or the pooled map
// (latent: false, Keras's classic 4x4x8), on the jobs other than detection that use it:
// - compression: PSNR of MNIST test images rebuilt from their codes quantized to 8 bits, beside
//   PCA with as many 8-bit coefficients as the dense code (computed here);
// - denoising: MSE to the clean test images of the denoising conv preset's output on noisy ones
//   (Gaussian sigma 0.5 clipped to [0, 1], and masking 0.3), and of the noisy input itself.
// Both codes train the same epochs, batch, rate and seed on the same images.
//
// npm run bench:conv-code [-- --train 10000 --epochs 3 --only compression|denoising]

import { parseArgs } from 'node:util';
import { autoencoders, setThreads } from '../../src/index.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import type { NoiseSpec } from '../../src/models/denoising_autoencoder.js';
import { dequantize, meanSquaredError, psnr, quantize } from '../../src/apps/compress.js';
import { fitPca, pcaInverse, pcaTransform } from '../../src/apps/pca.js';
import { loadMnist } from '../../src/data/mnist.js';
import { Random } from '../../src/engine/random.js';
import type { Tensor } from '../../src/engine/tensor.js';

const { values: flags } = parseArgs({
  options: {
    train: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    /** compression, denoising or both (default). */
    only: { type: 'string' },
  },
});
setThreads(Number(flags.threads));
const rows = Number(flags.train),
  epochs = Number(flags.epochs);
const all = loadMnist('train').images;
const train: Tensor = { data: all.data.subarray(0, rows * 784), shape: [rows, 28, 28, 1] };
const testFlat = loadMnist('test').images;
const testSet: Tensor = { data: testFlat.data, shape: [testFlat.shape[0]!, 28, 28, 1] };
const fit = { epochs, batchSize: 64, learningRate: 0.002, seed: 1, verbose: false } as const;
// latent given both ways: the plain preset's default on MNIST is the dense 32-value code, the
// denoising variant's is the map.
const CODES = { dense: { latent: 32 }, map: { latent: false as const } };
// The map cut to the dense code's 32 values (4x4x2), to compare compression at the same size.
const COMPRESSION_CODES = { ...CODES, 'map 4x4x2': { latent: false as const, filters: [16, 8, 2] } };

function noisy(noise: NoiseSpec, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from(testSet.data, (v) =>
    noise.type === 'gaussian'
      ? Math.min(1, Math.max(0, v + noise.stddev * r.normal()))
      : r.uniform() < (noise as { rate: number }).rate
        ? 0
        : v,
  );
}

async function trained(ae: Autoencoder): Promise<Autoencoder> {
  const started = Date.now();
  await ae.fit(train, fit);
  console.error(`  trained in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return ae;
}

console.log(`MNIST, ${rows} training images, ${epochs} epochs at batch 64, Adam 0.002, one thread`);
for (const [name, code] of Object.entries(flags.only === 'denoising' ? {} : COMPRESSION_CODES)) {
  const ae = await trained(autoencoders.conv(code));
  const codes = ae.encode(testSet);
  const values = codes.data.length / testSet.shape[0]!;
  const rebuilt = ae.decode(dequantize(quantize(codes, 8))).data;
  console.log(
    `compression, ${name} code: ${values} values x 8 bits, PSNR ${psnr(testSet.data, rebuilt).toFixed(2)} dB`,
  );
  ae.dispose();
}
const pca = fitPca({ data: train.data, shape: [rows, 784] }, 32);
const coefficients = { data: pcaTransform(pca, testFlat), shape: [testFlat.shape[0]!, 32] };
const pcaRows = pcaInverse(pca, dequantize(quantize(coefficients, 8)).data, testFlat.shape[0]!).map((v) =>
  Math.min(1, Math.max(0, v)),
);
console.log(`compression, PCA-32: 32 values x 8 bits, PSNR ${psnr(testSet.data, pcaRows).toFixed(2)} dB`);

const noises: NoiseSpec[] = [
  { type: 'gaussian', stddev: 0.5, clip: [0, 1] },
  { type: 'masking', rate: 0.3 },
];
for (const noise of flags.only === 'compression' ? [] : noises) {
  const input = noisy(noise, 2024);
  const label = noise.type === 'gaussian' ? 'gaussian 0.5' : 'masking 0.3';
  console.log(`denoising, ${label}: noisy input MSE ${meanSquaredError(testSet.data, input).toFixed(5)}`);
  for (const [name, code] of Object.entries(CODES)) {
    const dae = await trained(autoencoders.denoising({ base: 'conv', ...code, noise }));
    const out = dae.reconstruct({ data: input, shape: testSet.shape }).data;
    console.log(`denoising, ${label}, ${name} code: MSE ${meanSquaredError(testSet.data, out).toFixed(5)}`);
    dae.dispose();
  }
}
