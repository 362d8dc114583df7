// Conv networks train at their own default Adam rate (CONV_DEFAULTS.learningRate, 3x the usual):
// measured through Adam's first step, which moves every weight with a gradient well above epsilon
// by the rate itself (bias-corrected m / sqrt(v) = g / |g|), so the largest change after one step
// is the rate the network really trained at. The library (autoencoders.conv, the denoising conv)
// and the command line's plan (hourglass train --arch conv) choose the same rate; a given rate wins.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, setSeed, tensor, type Autoencoder } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { CONV_DEFAULTS, TRAINING_DEFAULTS } from '../../src/models/defaults.js';
import { planTraining } from '../../src/cli/train_plan.js';
import { randomArray } from '../helpers/engine.js';

const images = tensor(
  Float32Array.from(randomArray(6 * 64, new Random(3)), (v) => 0.5 + 0.5 * v),
  [6, 8, 8, 1],
);

/** The largest weight change of one Adam step (one epoch of one batch) from fresh weights. */
async function firstStep(ae: Autoencoder, x: typeof images, learningRate?: number): Promise<number> {
  setSeed(5);
  ae.build(x.shape.slice(1), 'sigmoid');
  const before = ae.model.getWeights().map((w) => Float32Array.from(w));
  await ae.fit(x, {
    epochs: 1,
    batchSize: x.shape[0]!,
    shuffle: false,
    verbose: false,
    ...(learningRate ? { learningRate } : {}),
  });
  const after = ae.model.getWeights();
  let largest = 0;
  before.forEach((w, i) => w.forEach((v, j) => (largest = Math.max(largest, Math.abs(after[i]![j]! - v)))));
  ae.dispose();
  return largest;
}

test('conv networks take Adam steps of CONV_DEFAULTS.learningRate (0.003), dense ones of 0.001; a given rate wins', async () => {
  assert.ok(CONV_DEFAULTS.learningRate > TRAINING_DEFAULTS.learningRate);
  const close = (got: number, want: number, what: string) =>
    assert.ok(Math.abs(got - want) < 1e-3 * want, `${what}: largest first-step change ${got}, expected ${want}`);
  close(await firstStep(autoencoders.conv({ filters: [2, 2] }), images), CONV_DEFAULTS.learningRate, 'conv');
  close(
    await firstStep(
      autoencoders.denoising({ base: 'conv', filters: [2, 2], noise: { type: 'masking', rate: 0.2 } }),
      images,
    ),
    CONV_DEFAULTS.learningRate,
    'denoising conv',
  );
  close(
    await firstStep(autoencoders.conv({ filters: [2], downsampling: 'strided' }), images),
    CONV_DEFAULTS.learningRate,
    'conv strided',
  );
  const flat = tensor(images.data, [6, 64]);
  close(await firstStep(autoencoders.dense(), flat), TRAINING_DEFAULTS.learningRate, 'dense');
  close(await firstStep(autoencoders.conv({ filters: [2, 2] }), images, 0.0005), 0.0005, 'conv, learningRate given');
});

test('hourglass train plans the same rates: --arch conv the conv rate and says why, --lr wins, dense the usual', () => {
  const conv = planTraining(6000, 784, { kind: 'plain', arch: 'conv' });
  assert.equal(conv.budget.learningRate, CONV_DEFAULTS.learningRate);
  assert.match(conv.line, new RegExp(`lr ${CONV_DEFAULTS.learningRate} \\(conv networks' default`));
  const given = planTraining(6000, 784, { kind: 'denoising', arch: 'conv', lr: 0.01 });
  assert.equal(given.budget.learningRate, 0.01);
  assert.match(given.line, /lr 0.01 \(--lr\)/);
  const dense = planTraining(6000, 784, { kind: 'plain', arch: 'dense' });
  assert.equal(dense.budget.learningRate, TRAINING_DEFAULTS.learningRate);
  assert.match(dense.line, /lr 0.001 \(Adam's usual\)/);
});
