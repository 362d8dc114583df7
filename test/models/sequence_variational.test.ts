// autoencoders.sequence({ variational: true }): the conv1d and recurrent layouts around the dense
// VAE's Gaussian code (layers, code sizes), finite-difference gradients of the whole training loss
// with the sampling noise replayed, the KL term of the loss against its closed form with beta,
// training on sine windows (loss falls, reconstructions beat each window's own mean), and
// save/load as the same variational sequence model (reconstructions, codes, seeded samples).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import type { Model } from '../../src/model/model.js';
import { autoencoders, SequenceVariationalAutoencoder } from '../../src/models/index.js';
import { assertClose } from '../helpers/engine.js';
import { checkModelGradients } from '../helpers/model_harness.js';

function sineWindows(count: number, window: number, features: number, seed: number) {
  const rng = new Random(seed);
  const data = new Float32Array(count * window * features);
  for (let n = 0; n < count; n++) {
    const phase = rng.uniform() * 2 * Math.PI;
    for (let t = 0; t < window; t++)
      for (let f = 0; f < features; f++)
        data[(n * window + t) * features + f] = Math.sin((2 * Math.PI * t) / 24 + phase + f) + 0.05 * rng.normal();
  }
  return { data, shape: [count, window, features] };
}

/** Replays the same standard-normal draws after each reset (a fixed eps for finite differences). */
function replayNormals(m: Model): () => void {
  const rng = m.compiled!.random;
  const draws: number[] = [];
  const source = new Random(99);
  let at = 0;
  rng.normal = () => {
    if (at === draws.length) draws.push(source.normal());
    return draws[at++]!;
  };
  return () => {
    at = 0;
  };
}

const quiet = { verbose: false } as const;

test('variational layouts: flattened conv code or recurrent state into mean/log-variance heads and a sampled code', async () => {
  const conv = autoencoders.sequence({ window: 30, features: 2, variational: true });
  assert.ok(conv instanceof SequenceVariationalAutoencoder);
  await conv.fit(sineWindows(8, 30, 2, 1), { epochs: 1, batchSize: 8, ...quiet });
  assert.deepEqual(
    conv.model.layers.map((l) => l.className),
    [
      ...['InputLayer', 'Conv1D', 'Dropout', 'Conv1D', 'Flatten', 'Dense', 'Dense', 'Sampling', 'Dense', 'Reshape'],
      ...['Conv1DTranspose', 'Dropout', 'Conv1DTranspose', 'Cropping1D', 'Conv1DTranspose'],
    ],
  );
  // The code is a quarter of window x features, at most 16; the decoder's dense layer refills the
  // conv code [ceil(ceil(30 / 2) / 2), 16] = [8, 16].
  assert.deepEqual(conv.codeShape, [15]);
  assert.deepEqual(conv.model.graph.nodes.find((n) => n.layer.name === 'decoder_reshape')!.shape, [8, 16]);
  assert.deepEqual(conv.sample(3, { seed: 1 }).shape, [3, 30, 2]);
  conv.dispose();
  for (const arch of ['lstm', 'gru'] as const) {
    const ae = autoencoders.sequence({ window: 12, features: 1, arch, units: 5, variational: true, latent: 3 });
    await ae.fit(sineWindows(6, 12, 1, 2), { epochs: 1, batchSize: 6, ...quiet });
    const cls = arch === 'lstm' ? 'LSTM' : 'GRU';
    assert.deepEqual(
      ae.model.layers.map((l) => l.className),
      ['InputLayer', cls, 'Dense', 'Dense', 'Sampling', 'RepeatVector', cls, 'TimeDistributed'],
    );
    assert.deepEqual(ae.encode(sineWindows(4, 12, 1, 3)).shape, [4, 3]);
    assert.deepEqual(ae.sample(2).shape, [2, 12, 1]);
    ae.dispose();
  }
});

test('variational sequence networks: whole-loss gradients (KL term included) match finite differences', async () => {
  for (const o of [
    { window: 9, features: 2, filters: [3, 2], kernelSize: 3, dropout: 0, latent: 2 },
    { window: 5, features: 2, arch: 'gru' as const, units: 3, latent: 2 },
    { window: 4, features: 1, arch: 'lstm' as const, units: 2, latent: 2, beta: 3 },
  ]) {
    const ae = autoencoders.sequence({ ...o, variational: true });
    const x = sineWindows(3, o.window, o.features, 7);
    await ae.fit(x, { epochs: 1, batchSize: 3, learningRate: 1e-9, ...quiet });
    const m = ae.model;
    // Biases start at 0: a relu fed by a dead unit would sit exactly on its kink, where finite
    // differences see half a slope. Biases of magnitude 0.05-0.2 move every unit off it.
    const rng = new Random(13);
    for (const p of m.trainableParams())
      if (p.value.label.endsWith('.bias'))
        p.value.view().forEach((_, i, v) => (v[i] = (rng.uniform() < 0.5 ? -1 : 1) * (0.05 + 0.15 * rng.uniform())));
    const loss = checkModelGradients(m, x.data, x.data, 3, replayNormals(m));
    assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
    ae.dispose();
  }
});

test('the loss adds beta x the closed-form KL divergence, scaled per value as the dense VAE does', async () => {
  const window = 16,
    features = 2,
    beta = 0.5;
  for (const arch of ['conv1d', 'lstm'] as const) {
    const ae = autoencoders.sequence({ window, features, arch, units: 6, variational: true, latent: 3, beta });
    const x = sineWindows(5, window, features, 11);
    await ae.fit(x, { epochs: 2, batchSize: 5, ...quiet });
    // Evaluation decodes the mean; its loss is the MSE plus the KL term of N(mean, exp(logVar))
    // against N(0, I): 0.5 * sum(exp(lv) + mu^2 - 1 - lv), per example, times beta * 2 sigma^2 / d.
    const { mean, logVar } = ae.posterior(x);
    let kl = 0;
    for (let i = 0; i < mean.data.length; i++)
      kl += 0.5 * (Math.exp(logVar.data[i]!) + mean.data[i]! ** 2 - 1 - logVar.data[i]!);
    kl /= 5;
    const y = ae.reconstruct(x).data;
    let mse = 0;
    for (let i = 0; i < y.length; i++) mse += (y[i]! - x.data[i]!) ** 2 / y.length;
    const expected = mse + (beta * 2 * kl) / (window * features);
    const ev = ae.model.evaluate(x, x)['loss']!;
    assert.ok(kl > 1e-3, `KL ${kl}`);
    assert.ok(Math.abs(ev - expected) < 1e-5 * Math.max(1, expected), `${arch}: evaluate ${ev} vs ${expected}`);
    // elbo() reports the same KL in nats per example.
    assert.ok(Math.abs(ae.elbo(x).kl - kl) < 1e-6 * Math.max(1, kl));
    ae.dispose();
  }
});

test('conv1d and lstm variational sequence autoencoders learn sine windows better than each window mean', async () => {
  const window = 24;
  const x = sineWindows(128, window, 1, 4);
  // The baseline: every window reconstructed by its own mean.
  let baseline = 0;
  for (let n = 0; n < 128; n++) {
    const w = x.data.subarray(n * window, (n + 1) * window);
    const m = w.reduce((a, b) => a + b, 0) / window;
    for (const v of w) baseline += (v - m) ** 2 / (128 * window);
  }
  for (const arch of ['conv1d', 'lstm'] as const) {
    const ae = autoencoders.sequence({ window, arch, units: 16, latent: 4, dropout: 0, variational: true });
    const h = await ae.fit(x, { epochs: 30, batchSize: 16, learningRate: 0.01, ...quiet });
    const loss = h.history['loss']!;
    const y = ae.reconstruct(x).data;
    let mse = 0;
    for (let i = 0; i < y.length; i++) mse += (y[i]! - x.data[i]!) ** 2 / y.length;
    const note = `${arch}: loss ${loss[0]!.toFixed(4)} -> ${loss.at(-1)!.toFixed(4)}, mse ${mse.toFixed(4)} vs window mean ${baseline.toFixed(4)}`;
    assert.ok(loss.at(-1)! < 0.7 * loss[0]!, note);
    assert.ok(mse < 0.25 * baseline, note);
    // The history carries the negative ELBO in nats, as the dense VAE's does.
    assert.equal(h.history['negative_elbo']!.length, loss.length);
    ae.dispose();
  }
});

test('a saved variational sequence model loads back with the same reconstructions, codes and samples', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-seqvae-'));
  for (const o of [
    { window: 20, features: 2, variational: true as const, latent: 3, beta: 2 },
    { window: 10, features: 1, arch: 'gru' as const, units: 4, variational: true as const },
  ]) {
    const ae = autoencoders.sequence(o);
    const x = sineWindows(8, o.window, o.features, 5);
    await ae.fit(x, { epochs: 2, batchSize: 8, ...quiet });
    const where = path.join(dir, o.arch ?? 'conv1d');
    ae.save(where);
    const back = autoencoders.load(where);
    assert.equal(back.kind, 'sequence');
    assert.ok(back instanceof SequenceVariationalAutoencoder);
    assert.deepEqual(back.options, { ...o });
    assertClose(back.reconstruct(x).data, ae.reconstruct(x).data, 0, 0, 'reconstruction');
    assertClose(back.encode(x).data, ae.encode(x).data, 0, 0, 'codes');
    assertClose(back.sample(4, { seed: 9 }).data, ae.sample(4, { seed: 9 }).data, 0, 0, 'seeded samples');
    assert.equal(back.elbo(x, { seed: 2 }).negativeElbo, ae.elbo(x, { seed: 2 }).negativeElbo);
    ae.dispose();
    back.dispose();
  }
});

test('refuses variational options on the plain preset and a non-boolean variational', () => {
  const refuses = (run: () => unknown, message: RegExp) =>
    assert.throws(run, (e: unknown) => e instanceof HourglassError && message.test(e.message));
  refuses(() => autoencoders.sequence({ window: 8, latent: 4 }), /latent is for the variational variant/);
  refuses(() => autoencoders.sequence({ window: 8, beta: 2 }), /beta is for the variational variant/);
  refuses(
    () => autoencoders.sequence({ window: 8, variational: 'yes' as unknown as boolean }),
    /variational must be true or false/,
  );
  refuses(() => autoencoders.sequence({ window: 8, variational: true, beta: -1 }), /beta must be a non-negative/);
  refuses(() => autoencoders.sequence({ window: 8, variational: true, latent: 0 }), /latent must be a positive/);
});
