// The convolutional preset's strided layout on odd image sizes: the code shrinks by stride 2 per
// block, the decoder crops back to each size its mirrored encoder block saw, encoder and decoder
// compose to the autoencoder, and the model saves and loads with identical predictions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel, setSeed, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { convAutoencoder } from '../../src/models/conv_autoencoder.js';
import { randomArray } from '../helpers/engine.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-convae-'));

test('strided layout on 13x10x3 images: sizes 13x10 -> 7x5 -> 4x3 and back, crops where the doubling overshoots', () => {
  setSeed(3);
  const { autoencoder, encoder, decoder, codeShape } = convAutoencoder({
    inputShape: [13, 10, 3],
    filters: [4, 6],
    codeChannels: 5,
    downsampling: 'strided',
  });
  assert.deepEqual(codeShape, [4, 3, 5]);
  assert.deepEqual(autoencoder.output.shape, [13, 10, 3]);
  const names = autoencoder.layers.map((l) => `${l.className}:${l.name}`);
  // 4x3 -> 8x6 -> crop 7x5 -> 14x10 -> crop 13x10.
  assert.deepEqual(
    names.filter((n) => n.startsWith('Cropping2D')),
    ['Cropping2D:decoder_crop_1', 'Cropping2D:decoder_crop_2'],
  );
  assert.ok(!names.some((n) => n.startsWith('MaxPooling2D')));
  assert.equal(autoencoder.layers.find((l) => l.name === 'code')?.className, 'Conv2D');
  const x = tensor(
    Float32Array.from(randomArray(4 * 13 * 10 * 3, new Random(5)), (v) => 0.5 + 0.5 * v),
    [4, 13, 10, 3],
  );
  const direct = autoencoder.predict(x).data;
  const composed = decoder.predict(encoder.predict(x)).data;
  assert.deepEqual(Array.from(composed), Array.from(direct));
});

test('strided layout trains, saves and loads with identical predictions', async () => {
  setSeed(4);
  const { autoencoder } = convAutoencoder({ inputShape: [9, 8, 1], filters: [3, 4], downsampling: 'strided' });
  autoencoder.compile({ optimizer: 'adam', loss: 'bce' });
  const x = tensor(
    Float32Array.from(randomArray(8 * 72, new Random(6)), (v) => 0.5 + 0.5 * v),
    [8, 9, 8, 1],
  );
  const h = await autoencoder.fit(x, x, { epochs: 5, batchSize: 4, verbose: false });
  assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]!);
  const dir = path.join(tmp, 'strided');
  autoencoder.save(dir);
  const { model: loaded } = loadModel(dir);
  assert.deepEqual(Array.from(loaded.predict(x).data), Array.from(autoencoder.predict(x).data));
});

test('strided layout refuses a bad code size', () => {
  assert.throws(
    () => convAutoencoder({ inputShape: [8, 8, 1], downsampling: 'strided', codeChannels: 0 }),
    /codeChannels must be a positive integer, got 0/,
  );
});

test('the denoising variant builds on the strided layout: noise in training only, codes of the code size', async () => {
  const { autoencoders } = await import('../../src/index.js');
  const x = tensor(
    Float32Array.from(randomArray(16 * 64, new Random(7)), (v) => 0.5 + 0.5 * v),
    [16, 8, 8, 1],
  );
  const ae = autoencoders.denoising({
    base: 'conv',
    downsampling: 'strided',
    filters: [3, 4],
    noise: { type: 'gaussian', stddev: 0.2 },
  });
  const h = await ae.fit(x, { epochs: 8, batchSize: 4, learningRate: 0.01, verbose: false });
  assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]!);
  assert.ok(ae.model.layers.some((l) => l.className === 'GaussianNoise'));
  // 8x8 -> 4x4 -> 2x2 with 8 code channels; inference is deterministic (no noise).
  assert.deepEqual(ae.encode(x).shape, [16, 32]);
  assert.deepEqual(Array.from(ae.reconstruct(x).data), Array.from(ae.reconstruct(x).data));
  assert.deepEqual(ae.reconstruct(x).shape, [16, 8, 8, 1]);
});
