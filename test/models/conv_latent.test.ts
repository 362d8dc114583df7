// The conv preset's dense code (pooling layout with `latent`): the pooled map is flattened into a
// code of `latent` values and grown back to the pooled size, encoder and decoder compose to the
// autoencoder, the high-level preset passes the option through, and bad values are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, setSeed, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { HourglassError } from '../../src/engine/errors.js';
import { convAutoencoder } from '../../src/models/conv_autoencoder.js';
import { randomArray } from '../helpers/engine.js';

test('pooling layout with a dense code of 6 values on 12x10x1 images', () => {
  setSeed(2);
  const { autoencoder, encoder, decoder, codeShape } = convAutoencoder({
    inputShape: [12, 10, 1],
    filters: [3, 4],
    latent: 6,
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
