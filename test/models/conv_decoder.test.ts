// The conv preset's decoder options (pooling layout with a dense code): decoder: 'dense' grows
// the code through dense layers to every pixel, reshaped to the image (the dense preset's decoder
// after a conv encoder and, by default, the dense preset's encoder layers; the default);
// decoder: 'conv' is Keras's, and decoderChannels starts it
// from a wider map at the last-but-one pooled size. Each builds the intended layers, composes from encoder and decoder, has the
// finite-difference gradients of its whole training loss (the dense decoder's sigmoid is fused
// into cross-entropy after the reshape), trains, saves and loads; bad combinations are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoencoders, loadModel, setSeed, tensor } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { HourglassError } from '../../src/engine/errors.js';
import { convAutoencoder, type ConvAutoencoderOptions } from '../../src/models/conv_autoencoder.js';
import { randomArray } from '../helpers/engine.js';
import { checkModelGradients } from '../helpers/model_harness.js';
import { CONV_DEFAULTS } from '../../src/models/defaults.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-convdec-'));
const images = (n: number, [h, w, c]: [number, number, number], seed: number) =>
  tensor(
    Float32Array.from(randomArray(n * h * w * c, new Random(seed)), (v) => 0.5 + 0.5 * v),
    [n, h, w, c],
  );
const layerList = (parts: { autoencoder: { layers: { className: string; name: string }[] } }) =>
  parts.autoencoder.layers.map((l) => `${l.className}:${l.name}`);
const kernelShape = (parts: ReturnType<typeof convAutoencoder>, name: string) =>
  parts.autoencoder.layers.find((l) => l.name === name)!.params.find((p) => p.name.endsWith('kernel'))!.shape;

test("the default decoder is CONV_DEFAULTS.decoder ('dense'); 'conv' with the pooled map as the code or a conv-only option", () => {
  const decoderOf = (o: Partial<ConvAutoencoderOptions>) => {
    const names = layerList(convAutoencoder({ inputShape: [8, 8, 1], filters: [2, 2], ...o }));
    return names.includes('Dense:decoder_pixels') ? 'dense' : names.includes('Conv2D:reconstruction') ? 'conv' : '?';
  };
  assert.equal(CONV_DEFAULTS.decoder, 'dense');
  assert.equal(decoderOf({}), 'dense');
  assert.equal(decoderOf({ latent: 4 }), 'dense');
  assert.equal(decoderOf({ decoder: 'dense', upsampling: 'upsampling' }), 'dense');
  assert.equal(decoderOf({ decoder: 'conv' }), 'conv');
  assert.equal(decoderOf({ latent: false }), 'conv');
  assert.equal(decoderOf({ decoderChannels: 3 }), 'conv');
  assert.equal(decoderOf({ upsampling: 'transpose' }), 'conv');
});

test("the default network on MNIST-sized images: one conv block of 16, the dense preset's 128-64 layers to a 32-value code and back", () => {
  const parts = convAutoencoder({ inputShape: [28, 28, 1] });
  assert.deepEqual(parts.codeShape, [32]);
  assert.deepEqual(layerList(parts), [
    'InputLayer:input',
    'Conv2D:encoder_conv_1',
    'MaxPooling2D:encoder_pool_1',
    'Flatten:encoder_flatten',
    'Dense:encoder_dense_1',
    'Dense:encoder_dense_2',
    'Dense:code',
    'Dense:decoder_dense_1',
    'Dense:decoder_dense_2',
    'Dense:decoder_pixels',
    'Reshape:decoder_reshape',
    'Activation:reconstruction',
  ]);
  // 28x28 pooled to 14x14x16 = 3136 values; denseSizes(784) is [128, 64] on both sides of the code.
  assert.deepEqual(kernelShape(parts, 'encoder_conv_1'), [3, 3, 1, 16]);
  assert.deepEqual(kernelShape(parts, 'encoder_dense_1'), [3136, 128]);
  assert.deepEqual(kernelShape(parts, 'encoder_dense_2'), [128, 64]);
  assert.deepEqual(kernelShape(parts, 'code'), [64, 32]);
  assert.deepEqual(kernelShape(parts, 'decoder_dense_1'), [32, 64]);
  // Keras's 16-8-8 blocks stay the conv decoder's default.
  const keras = layerList(convAutoencoder({ inputShape: [28, 28, 1], decoder: 'conv' }));
  assert.deepEqual(
    keras.filter((n) => n.startsWith('Conv2D:encoder')),
    ['Conv2D:encoder_conv_1', 'Conv2D:encoder_conv_2', 'Conv2D:encoder_conv_3'],
  );
  assert.ok(!keras.some((n) => n.startsWith('Dense:encoder_dense')), keras.join(' '));
});

test('encoderHidden: the dense layers between the pooled map and the code, as given (none: straight to the code)', () => {
  const names = (o: Partial<ConvAutoencoderOptions>) =>
    layerList(convAutoencoder({ inputShape: [8, 8, 1], filters: [2], ...o }));
  assert.deepEqual(
    names({ encoderHidden: [5] }).filter((n) => n.startsWith('Dense:encoder')),
    ['Dense:encoder_dense_1'],
  );
  assert.ok(!names({ encoderHidden: [] }).some((n) => n.startsWith('Dense:encoder')));
  assert.throws(() => convAutoencoder({ inputShape: [8, 8, 1], encoderHidden: [0] }), /encoderHidden must be positive/);
  assert.throws(
    () => convAutoencoder({ inputShape: [8, 8, 1], latent: false, encoderHidden: [4] }),
    /encoderHidden needs a dense code/,
  );
});

test("decoder: 'dense' on MNIST-sized images: the conv encoder, then the dense preset's 32-64-128-784 decoder", () => {
  const parts = convAutoencoder({ inputShape: [28, 28, 1], filters: [16, 8, 8], decoder: 'dense' });
  assert.deepEqual(parts.codeShape, [32]);
  assert.deepEqual(parts.autoencoder.output.shape, [28, 28, 1]);
  const names = layerList(parts);
  const decoder = names.slice(names.indexOf('Dense:code') + 1);
  assert.deepEqual(decoder, [
    'Dense:decoder_dense_1',
    'Dense:decoder_dense_2',
    'Dense:decoder_pixels',
    'Reshape:decoder_reshape',
    'Activation:reconstruction',
  ]);
  // denseSizes(784) is [128, 64] around the code; the decoder mirrors it.
  assert.deepEqual(kernelShape(parts, 'decoder_dense_1'), [32, 64]);
  assert.deepEqual(kernelShape(parts, 'decoder_dense_2'), [64, 128]);
  assert.deepEqual(kernelShape(parts, 'decoder_pixels'), [128, 784]);
  // The encoder is the conv preset's own.
  assert.deepEqual(
    names.slice(0, names.indexOf('Dense:code')).filter((n) => n.startsWith('Conv2D')),
    ['Conv2D:encoder_conv_1', 'Conv2D:encoder_conv_2', 'Conv2D:encoder_conv_3'],
  );
  const x = images(3, [28, 28, 1], 1);
  assert.deepEqual(
    Array.from(parts.decoder.predict(parts.encoder.predict(x)).data),
    Array.from(parts.autoencoder.predict(x).data),
  );
});

test('decoderChannels: the code grows to a 7x7 map of 24 channels on MNIST, two blocks back to 28x28, no crop', () => {
  const parts = convAutoencoder({ inputShape: [28, 28, 1], filters: [16, 8, 8], decoderChannels: 24 });
  assert.deepEqual(parts.autoencoder.output.shape, [28, 28, 1]);
  const names = layerList(parts);
  assert.deepEqual(names.slice(names.indexOf('Dense:code') + 1), [
    'Dense:decoder_dense',
    'Reshape:decoder_reshape',
    'Conv2D:decoder_conv_1',
    'UpSampling2D:decoder_up_1',
    'Conv2D:decoder_conv_2',
    'UpSampling2D:decoder_up_2',
    'Conv2D:reconstruction',
  ]);
  assert.deepEqual(kernelShape(parts, 'decoder_dense'), [32, 7 * 7 * 24]);
  // The remaining blocks are the encoder's filters mirrored, less the innermost: 24 -> 8 -> 16.
  assert.deepEqual(kernelShape(parts, 'decoder_conv_1'), [3, 3, 24, 8]);
  assert.deepEqual(kernelShape(parts, 'decoder_conv_2'), [3, 3, 8, 16]);
  // Without decoderChannels the conv decoder starts at the last pooled map (4x4x8) and crops 32 back to 28.
  const classic = layerList(convAutoencoder({ inputShape: [28, 28, 1], filters: [16, 8, 8], decoder: 'conv' }));
  assert.ok(classic.includes('Cropping2D:decoder_crop') && classic.includes('Conv2D:decoder_conv_3'));
});

test('decoderChannels on odd sizes: 13x10 pools to 7x5 and 4x3; the decoder starts at 7x5 and crops 14x10 to 13x10', () => {
  setSeed(5);
  const parts = convAutoencoder({ inputShape: [13, 10, 2], filters: [3, 4], latent: 5, decoderChannels: 6 });
  assert.deepEqual(parts.autoencoder.output.shape, [13, 10, 2]);
  assert.deepEqual(kernelShape(parts, 'decoder_dense'), [5, 7 * 5 * 6]);
  assert.deepEqual(kernelShape(parts, 'decoder_conv_1'), [3, 3, 6, 3]);
  const x = images(2, [13, 10, 2], 2);
  assert.deepEqual(
    Array.from(parts.decoder.predict(parts.encoder.predict(x)).data),
    Array.from(parts.autoencoder.predict(x).data),
  );
  assert.ok(layerList(parts).includes('Cropping2D:decoder_crop'));
});

const gradientCases: [string, Partial<ConvAutoencoderOptions>][] = [
  ["decoder: 'dense'", { decoder: 'dense', decoderHidden: [4] }],
  ['decoderChannels', { decoderChannels: 3 }],
];
for (const [what, options] of gradientCases) {
  test(`${what}: the whole training loss (cross-entropy) has finite-difference gradients`, () => {
    setSeed(7);
    // tanh rather than relu: finite differences across a relu kink are not its derivative.
    const { autoencoder } = convAutoencoder({
      inputShape: [6, 6, 1],
      filters: [2, 2],
      latent: 3,
      activation: 'tanh',
      ...options,
    });
    autoencoder.compile({ optimizer: 'sgd', loss: 'bce' });
    const x = images(2, [6, 6, 1], 3).data;
    const t = Float32Array.from(x, (v) => (v > 0.5 ? 0.9 : 0.1));
    const loss = checkModelGradients(autoencoder, x, t, 2);
    assert.ok(Number.isFinite(loss) && loss > 0);
  });
}

test("decoder: 'dense' trains with the sigmoid fused into cross-entropy on logits", () => {
  const { autoencoder } = convAutoencoder({ inputShape: [6, 6, 1], filters: [2], latent: 3, decoder: 'dense' });
  autoencoder.compile({ optimizer: 'adam', loss: 'bce' });
  const plan = autoencoder.summary(() => {}, { plan: true });
  assert.match(plan, /loss BceLogits .*z=reconstruction\.logits/);
});

test("the high-level preset: decoder: 'dense' trains, encodes to the code and saves and loads with identical output", async () => {
  const x = images(16, [8, 8, 1], 4);
  const ae = autoencoders.conv({ filters: [2, 2], latent: 4, decoder: 'dense', decoderHidden: [16] });
  const h = await ae.fit(x, { epochs: 6, batchSize: 4, learningRate: 0.01, verbose: false });
  assert.ok(h.history['loss']!.at(-1)! < h.history['loss']![0]!);
  assert.deepEqual(ae.encode(x).shape, [16, 4]);
  const dir = path.join(tmp, 'dense-decoder');
  ae.save(dir);
  const loaded = autoencoders.load(dir);
  assert.deepEqual(Array.from(loaded.reconstruct(x).data), Array.from(ae.reconstruct(x).data));
  const { model: raw } = loadModel(dir);
  assert.ok(raw.layers.some((l) => l.name === 'decoder_pixels'));
  ae.dispose();
  loaded.dispose();
});

test('codeActivation: a relu dense code encodes to non-negative values', () => {
  setSeed(9);
  const parts = convAutoencoder({ inputShape: [8, 8, 1], filters: [2, 2], latent: 6, codeActivation: 'relu' });
  const codes = parts.encoder.predict(images(8, [8, 8, 1], 5)).data;
  assert.ok(codes.every((v) => v >= 0));
  // The default code is linear: some of the same codes are negative.
  setSeed(9);
  const linear = convAutoencoder({ inputShape: [8, 8, 1], filters: [2, 2], latent: 6 });
  assert.ok(linear.encoder.predict(images(8, [8, 8, 1], 5)).data.some((v) => v < 0));
});

test('bad decoder options are refused with a clear error', () => {
  const cases: [Parameters<typeof convAutoencoder>[0], RegExp][] = [
    [{ inputShape: [8, 8, 1], decoder: 'pixels' as 'dense' }, /decoder must be 'conv' or 'dense', got "pixels"/],
    [{ inputShape: [8, 8, 1], decoder: 'dense', latent: false }, /decoder: 'dense' needs a dense code/],
    [{ inputShape: [8, 8, 1], decoderChannels: 4, latent: false }, /decoderChannels needs a dense code/],
    [{ inputShape: [8, 8, 1], filters: [2], decoderChannels: 4 }, /at least two encoder blocks/],
    [{ inputShape: [8, 8, 1], filters: [2, 2], decoderChannels: 0 }, /decoderChannels must be a positive integer/],
    [{ inputShape: [8, 8, 1], decoder: 'dense', decoderChannels: 4 }, /decoderChannels is for decoder: 'conv'/],
    [{ inputShape: [8, 8, 1], decoder: 'conv', decoderHidden: [4] }, /decoderHidden is for decoder: 'dense'/],
    [{ inputShape: [8, 8, 1], decoder: 'dense', decoderHidden: [4, 0] }, /decoderHidden must be positive integers/],
    [{ inputShape: [8, 8, 1], downsampling: 'strided', decoder: 'dense' }, /options of the pooling layout/],
    [{ inputShape: [8, 8, 1], downsampling: 'strided', codeActivation: 'relu' }, /options of the pooling layout/],
    [{ inputShape: [8, 8, 1], latent: false, codeActivation: 'relu' }, /codeActivation needs a dense code/],
    [{ inputShape: [8, 8, 1], decoder: 'dense', upsampling: 'transpose' }, /'transpose' is for decoder: 'conv'/],
  ];
  for (const [options, message] of cases)
    assert.throws(
      () => convAutoencoder(options),
      (e: unknown) => e instanceof HourglassError && message.test(e.message),
      String(message),
    );
});
