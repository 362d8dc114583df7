// The conv preset's dense code (pooling layout with `latent`): the pooled map is flattened into a
// code of `latent` values and grown back to the pooled size, encoder and decoder compose to the
// autoencoder, the high-level preset passes the option through, and bad values are refused. With
// no latent the code is dense by default, sized by the rule in models/defaults.ts (a quarter of
// the pixels, at most 32 and at most the pooled map's size); latent: false keeps the pooled map,
// the denoising variant's default.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, setSeed, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { HourglassError } from '../../src/engine/errors.js';
import { convAutoencoder } from '../../src/models/conv_autoencoder.js';
import { randomArray } from '../helpers/engine.js';
import type { TrainOptions } from '../../src/apps/train.js';

test('pooling layout, conv decoder, with a dense code of 6 values on 12x10x1 images', () => {
  setSeed(2);
  const { autoencoder, encoder, decoder, codeShape } = convAutoencoder({
    inputShape: [12, 10, 1],
    filters: [3, 4],
    latent: 6,
    decoder: 'conv',
  });
  assert.deepEqual(codeShape, [6]);
  assert.deepEqual(autoencoder.output.shape, [12, 10, 1]);
  const names = autoencoder.layers.map((l) => `${l.className}:${l.name}`);
  assert.ok(names.includes('Dense:code') && names.includes('Dense:decoder_dense'), names.join(' '));
  // 12x10 -> 6x5 -> 3x3 pooled (4 channels): the decoder's dense layer grows 6 values back to 36.
  const grow = autoencoder.layers.find((l) => l.name === 'decoder_dense')!;
  assert.deepEqual(grow.params.find((p) => p.name.endsWith('kernel'))!.shape, [6, 36]);
  const x = tensor(
    Float32Array.from(randomArray(3 * 120, new Random(1)), (v) => 0.5 + 0.5 * v),
    [3, 12, 10, 1],
  );
  assert.deepEqual(Array.from(decoder.predict(encoder.predict(x)).data), Array.from(autoencoder.predict(x).data));
});

test('the high-level conv preset takes latent and encodes to that many values', async () => {
  const ae = autoencoders.conv({ filters: [2, 2], latent: 3 });
  const x = tensor(
    Float32Array.from(randomArray(8 * 64, new Random(4)), (v) => 0.5 + 0.5 * v),
    [8, 8, 8, 1],
  );
  const h = await ae.fit(x, { epochs: 4, batchSize: 4, verbose: false });
  assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]!);
  assert.deepEqual(ae.encode(x).shape, [8, 3]);
  ae.dispose();
});

test('the default code is dense, sized from the pixels and capped by the pooled map; latent: false keeps the map', () => {
  const cases: [[number, number, number], number[], number[]][] = [
    // MNIST with Keras's filters: 784 / 4 = 196 values, capped at 32 (the pooled map has 4x4x8 = 128).
    [[28, 28, 1], [16, 8, 8], [32]],
    // 12x12x1, one block of 3 filters: 144 / 4 = 36, capped at 32 (the map has 6x6x3 = 108).
    [[12, 12, 1], [3], [32]],
    // 8x8x1, 2-2 filters: 64 / 4 = 16, capped by the 2x2x2 = 8-value pooled map.
    [[8, 8, 1], [2, 2], [8]],
    // 8x8x3: 192 / 4 = 48, capped at 32; the map is 4x4x4 = 64.
    [[8, 8, 3], [4], [32]],
    // 6x6x1, one block of 2 filters: 36 / 4 = 9 (the map has 3x3x2 = 18).
    [[6, 6, 1], [2], [9]],
  ];
  for (const [inputShape, filters, code] of cases) {
    const parts = convAutoencoder({ inputShape, filters });
    assert.deepEqual(parts.codeShape, code, `${inputShape.join('x')} filters ${filters.join(',')}`);
    assert.equal(parts.autoencoder.layers.find((l) => l.name === 'code')!.className, 'Dense');
  }
  const classic = convAutoencoder({ inputShape: [28, 28, 1], filters: [16, 8, 8], latent: false });
  assert.deepEqual(classic.codeShape, [4, 4, 8]);
  assert.equal(classic.autoencoder.layers.find((l) => l.name === 'code')!.className, 'MaxPooling2D');
  assert.ok(!classic.autoencoder.layers.some((l) => l.className === 'Dense'));
  // The strided layout has no dense code; latent: false is accepted there and changes nothing.
  const strided = convAutoencoder({ inputShape: [8, 8, 1], filters: [2], downsampling: 'strided', latent: false });
  assert.deepEqual(strided.codeShape, [4, 4, 8]);
});

test('the high-level preset: a dense 32-value code on MNIST-sized images by default, the map with latent: false; denoising keeps the map', async () => {
  const x = tensor(
    Float32Array.from(randomArray(4 * 784, new Random(6)), (v) => 0.5 + 0.5 * v),
    [4, 28, 28, 1],
  );
  const dense = autoencoders.conv();
  await dense.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(dense.encode(x).shape, [4, 32]);
  const map = autoencoders.conv({ latent: false });
  await map.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(map.encode(x).shape, [4, 128]);
  dense.dispose();
  map.dispose();
  // The denoising variant keeps the map unless a dense code is asked for.
  const noise = { type: 'masking', rate: 0.3 } as const;
  const dae = autoencoders.denoising({ base: 'conv', noise });
  await dae.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(dae.encode(x).shape, [4, 128]);
  const denseDae = autoencoders.denoising({ base: 'conv', latent: 16, noise });
  await denseDae.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(denseDae.encode(x).shape, [4, 16]);
  dae.dispose();
  denseDae.dispose();
});

test('latent is refused when not a positive integer, and on the strided layout', () => {
  assert.throws(
    () => convAutoencoder({ inputShape: [8, 8, 1], filters: [2], latent: 0 }),
    (e: unknown) => e instanceof HourglassError && /latent must be a positive integer/.test(e.message),
  );
  assert.throws(
    () => convAutoencoder({ inputShape: [8, 8, 1], filters: [2], latent: 4, downsampling: 'strided' }),
    (e: unknown) => e instanceof HourglassError && /pooling layout/.test(e.message),
  );
});

test('the command line options (makeAutoencoder) pass latent to the pooling layout, not the strided one', async () => {
  const { makeAutoencoder } = await import('../../src/apps/train.js');
  const x = tensor(
    Float32Array.from(randomArray(4 * 64, new Random(8)), (v) => 0.5 + 0.5 * v),
    [4, 8, 8, 1],
  );
  const base: TrainOptions = {
    arch: 'conv',
    imageShape: [8, 8, 1],
    filters: [2, 2],
    latent: 5,
    epochs: 1,
    batchSize: 4,
    learningRate: 1e-3,
    loss: 'auto',
    seed: 1,
  };
  const pooling = makeAutoencoder(base);
  await pooling.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(pooling.encode(x).shape, [4, 5]);
  // The demo gives a latent for its dense architecture and the strided layout for conv.
  const strided = makeAutoencoder({ ...base, downsampling: 'strided', codeChannels: 3 });
  await strided.fit(x, { epochs: 1, batchSize: 4, verbose: false });
  assert.deepEqual(strided.encode(x).shape, [4, 2 * 2 * 3]);
  pooling.dispose();
  strided.dispose();
});
