// Compression of MNIST test digits with a 32-value code at 8 bits: the container is at least 20x
// smaller than the raw 8-bit pixels, its PSNR beats PCA with the same number of 8-bit values
// (computed here, in the same run), the round trip is exact to the quantized codes, and damaged or
// foreign containers are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed } from '../../src/index.js';
import {
  decodeContainer,
  dequantize,
  encodeContainer,
  modelFingerprint,
  psnr,
  quantize,
} from '../../src/apps/compress.js';
import { fitPca, pcaInverse, pcaTransform } from '../../src/apps/pca.js';
import { loadMnist } from '../../src/data/mnist.js';
import { decoderOf, denseAutoencoder } from '../../src/models/dense_autoencoder.js';

test('MNIST at 32 values x 8 bits: >= 20x smaller than raw pixels, PSNR above 8-bit PCA-32, exact round trip', async (t) => {
  const train = loadMnist('train').images,
    testSet = loadMnist('test').images;
  setSeed(0);
  const { autoencoder, encoder } = denseAutoencoder({ inputDim: 784, hidden: [256, 64], latent: 32 });
  autoencoder.compile({ optimizer: { name: 'adam', learningRate: 0.002 }, loss: 'bce', seed: 1 });
  await autoencoder.fit(train, train, { epochs: 5, batchSize: 256, verbose: false });

  const q = quantize(encoder.predict(testSet), 8);
  const fingerprint = modelFingerprint(autoencoder);
  const file = encodeContainer(q, fingerprint);
  const ratio = (testSet.shape[0]! * 784) / file.length;
  const back = decodeContainer(file, fingerprint, 'test.hgc');
  assert.deepEqual(Array.from(back.levels), Array.from(q.levels));
  assert.deepEqual(Array.from(dequantize(back).data), Array.from(dequantize(q).data));
  const rebuilt = decoderOf(autoencoder).predict(dequantize(back));
  const aePsnr = psnr(testSet.data, rebuilt.data);

  // PCA with the same budget: 32 coefficients per image, quantized to 8 bits the same way.
  const pca = fitPca(train, 32);
  const coefficients = { data: pcaTransform(pca, testSet), shape: [testSet.shape[0]!, 32] };
  const pcaRows = pcaInverse(pca, dequantize(quantize(coefficients, 8)).data, testSet.shape[0]!).map((v) =>
    Math.min(1, Math.max(0, v)),
  );
  const pcaPsnr = psnr(testSet.data, pcaRows);
  t.diagnostic(
    `container ${file.length} bytes (${ratio.toFixed(1)}x smaller than 8-bit pixels); PSNR autoencoder ${aePsnr.toFixed(2)} dB, PCA-32 ${pcaPsnr.toFixed(2)} dB`,
  );
  assert.ok(ratio >= 20, `compression ratio ${ratio}`);
  assert.ok(aePsnr > pcaPsnr, `PSNR ${aePsnr} vs PCA ${pcaPsnr}`);

  assert.throws(
    () => decodeContainer(file.subarray(0, file.length - 7), fingerprint, 'cut.hgc'),
    /cut.hgc: .*truncated/,
  );
  const flipped = file.slice();
  flipped[100] = flipped[100]! ^ 1;
  assert.throws(() => decodeContainer(flipped, fingerprint, 'bad.hgc'), /checksum does not match/);
  assert.throws(() => decodeContainer(file, fingerprint ^ 1, 'other.hgc'), /different model/);
  assert.throws(() => decodeContainer(new Uint8Array(40), fingerprint, 'zero.hgc'), /bad magic number/);
  for (const bits of [4, 16] as const) {
    const qb = quantize(encoder.predict(testSet), bits);
    assert.deepEqual(
      Array.from(decodeContainer(encodeContainer(qb, fingerprint), fingerprint, 'b').levels),
      Array.from(qb.levels),
    );
  }
});
