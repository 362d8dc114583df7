// The high-level family on small real data (2,000 MNIST training images): every kind trains
// (loss falls), encode/decode/reconstruct/score agree with each other and with the network,
// save/load restores the kind and identical outputs, and bad calls get clear errors.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { autoencoders, loadAutoencoder, VariationalAutoencoder, type Autoencoder } from '../../src/index.js';
import { loadMnist } from '../../src/data/mnist.js';
import { sliceRows } from '../../src/engine/tensor.js';
import { assertClose } from '../helpers/engine.js';

const x = sliceRows(loadMnist('train').images, 0, 2000);
const fitQuiet = { epochs: 3, batchSize: 64, verbose: false } as const;

const kinds: [string, () => Autoencoder][] = [
  ['dense', () => autoencoders.dense({ hidden: [64], latent: 16 })],
  ['conv', () => autoencoders.conv({ imageShape: [28, 28, 1], filters: [8, 4] })],
  ['denoising', () => autoencoders.denoising({ hidden: [64], latent: 16, noise: { type: 'gaussian', stddev: 0.3 } })],
  [
    'denoising conv',
    () =>
      autoencoders.denoising({
        base: 'conv',
        imageShape: [28, 28, 1],
        filters: [8, 4],
        noise: { type: 'masking', rate: 0.3 },
      }),
  ],
  ['sparse l1', () => autoencoders.sparse({ hidden: [64], latent: 16, sparsity: { l1: 1e-4 } })],
  ['sparse kl', () => autoencoders.sparse({ hidden: [64], latent: 16, sparsity: { target: 0.05, weight: 0.1 } })],
  ['contractive', () => autoencoders.contractive({ hidden: [64], latent: 16, weight: 1e-3 })],
  ['variational', () => autoencoders.variational({ hidden: [64], latent: 8 })],
];

for (const [name, make] of kinds) {
  test(`${name}: trains, and encode/decode/reconstruct/score/save/load agree`, async () => {
    const ae = make();
    assert.throws(() => ae.encode(x), /has not been trained yet/);
    const h = await ae.fit(x, fitQuiet);
    const loss = h.history['loss']!;
    assert.ok(loss.at(-1)! < loss[0]!, `${name}: loss ${loss.map((v) => v.toFixed(4)).join(' -> ')}`);
    assert.equal(ae.outputActivation, 'sigmoid', 'MNIST pixels are in [0, 1]');
    const rows = sliceRows(x, 0, 50);
    const codes = ae.encode(rows);
    assert.equal(codes.shape[0], 50);
    const rebuilt = ae.decode(codes),
      direct = ae.reconstruct(rows);
    assertClose(rebuilt.data, direct.data, 1e-5, 1e-6, `${name}: decode(encode(x)) equals reconstruct(x)`);
    const scores = ae.score(rows);
    for (const r of [0, 17, 49]) {
      let s = 0;
      for (let j = 0; j < 784; j++) s += (direct.data[r * 784 + j]! - rows.data[r * 784 + j]!) ** 2;
      assert.ok(Math.abs(scores[r]! - s / 784) < 1e-6, `${name}: score of row ${r}`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-ae-'));
    ae.save(dir);
    const back = loadAutoencoder(dir);
    assert.equal(back.kind, ae.kind);
    assert.equal(back instanceof VariationalAutoencoder, name === 'variational');
    assertClose(back.reconstruct(rows).data, direct.data, 0, 0, `${name}: loaded model reconstructs identically`);
    assertClose(back.encode(rows).data, codes.data, 0, 0, `${name}: loaded model encodes identically`);
    fs.rmSync(dir, { recursive: true });
  });
}

test('KL sparsity brings the mean code activation near its target', async () => {
  const plain = autoencoders.dense({ hidden: [64], latent: 16, codeActivation: 'sigmoid' });
  const sparse = autoencoders.sparse({ hidden: [64], latent: 16, sparsity: { target: 0.05, weight: 0.5 } });
  await plain.fit(x, fitQuiet);
  await sparse.fit(x, fitQuiet);
  const meanActivation = (ae: Autoencoder) => {
    const c = ae.encode(x).data;
    return c.reduce((a, b) => a + b, 0) / c.length;
  };
  const p = meanActivation(plain),
    s = meanActivation(sparse);
  assert.ok(
    Math.abs(s - 0.05) < 0.05 && Math.abs(s - 0.05) < Math.abs(p - 0.05),
    `mean activation: sparse ${s.toFixed(3)}, plain ${p.toFixed(3)}`,
  );
});

test('the contractive penalty makes the code less sensitive to the input', async () => {
  const plain = autoencoders.dense({ hidden: [64], latent: 16 });
  const cae = autoencoders.contractive({ hidden: [64], latent: 16, weight: 0.01 });
  await plain.fit(x, fitQuiet);
  await cae.fit(x, fitQuiet);
  // Mean squared Frobenius norm of the encoder's Jacobian over 10 rows, by central differences.
  const sensitivity = (ae: Autoencoder) => {
    const eps = 1e-2,
      rows = 10;
    const probe = new Float32Array(rows * 784 * 2 * 784);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 784; i++) {
        for (const [k, sign] of [
          [0, 1],
          [1, -1],
        ] as const) {
          const at = ((r * 784 + i) * 2 + k) * 784;
          probe.set(x.data.subarray(r * 784, (r + 1) * 784), at);
          probe[at + i]! += sign * eps;
        }
      }
    }
    const c = ae.encode({ data: probe, shape: [rows * 784 * 2, 784] }).data,
      d = c.length / (rows * 784 * 2);
    let s = 0;
    for (let p = 0; p < rows * 784; p++)
      for (let j = 0; j < d; j++) s += ((c[2 * p * d + j]! - c[(2 * p + 1) * d + j]!) / (2 * eps)) ** 2;
    return s / rows;
  };
  const p = sensitivity(plain),
    c = sensitivity(cae);
  assert.ok(c < p / 2, `||J||^2 of the code: contractive ${c.toExponential(2)}, plain ${p.toExponential(2)}`);
});

test('the variational autoencoder samples, interpolates and reports its ELBO in nats', async () => {
  const vae = autoencoders.variational({ hidden: [64], latent: 4 });
  await vae.fit(x, { ...fitQuiet, epochs: 1 });
  const samples = vae.sample(5, { seed: 3 });
  assert.deepEqual(samples.shape, [5, 784]);
  assert.ok(samples.data.every((v) => v >= 0 && v <= 1));
  assertClose(vae.sample(5, { seed: 3 }).data, samples.data, 0, 0, 'seeded samples repeat');
  const line = vae.interpolate(sliceRows(x, 0, 1), sliceRows(x, 1, 2), 5);
  assert.deepEqual(line.shape, [5, 784]);
  assertClose(
    line.data.subarray(0, 784),
    vae.reconstruct(sliceRows(x, 0, 1)).data,
    1e-5,
    1e-6,
    'the line starts at the first row',
  );
  const e = vae.elbo(sliceRows(x, 0, 500));
  assert.ok(e.kl > 0 && e.reconstruction > 0 && Math.abs(e.negativeElbo - e.reconstruction - e.kl) < 1e-9);
  assert.throws(() => vae.sample(0), /positive integer/);
});

test('bad options and data are refused with clear messages', async () => {
  assert.throws(() => autoencoders.denoising({ noise: { type: 'masking', rate: 1.5 } }), /rate must be in \[0, 1\)/);
  assert.throws(() => autoencoders.sparse({ sparsity: { target: 2 } }), /target must be between 0 and 1/);
  assert.throws(() => autoencoders.variational({ beta: -1 }), /beta must be/);
  await assert.rejects(autoencoders.conv().fit(x, fitQuiet), /needs images \[height, width, channels\]/);
  await assert.rejects(
    autoencoders.dense({ outputActivation: 'sigmoid' }).fit([[2, 3]], fitQuiet),
    /needs data in \[0, 1\]/,
  );
  await assert.rejects(
    autoencoders.variational({ likelihood: 'bernoulli' }).fit([[2, 3]], fitQuiet),
    /Bernoulli likelihood needs data in \[0, 1\]/,
  );
});

test('VAE negative ELBO in nats agrees between training history and elbo(), for both likelihoods', async () => {
  const { parseTable } = await import('../../src/data/table.js');
  const { fitPreprocessing, transformTable } = await import('../../src/data/tabular_preprocessing.js');
  const table = parseTable(fs.readFileSync('data/breast_cancer.csv', 'utf8'), 'bc.csv');
  const standardized = transformTable(fitPreprocessing(table, 'standard', 'bc.csv'), table, 'bc.csv').x;
  for (const [data, likelihood] of [
    [x, 'bernoulli'],
    [standardized, 'gaussian'],
  ] as const) {
    const vae = autoencoders.variational({ hidden: [32], latent: 4, likelihood });
    const h = await vae.fit(data, { epochs: 30, batchSize: 64, learningRate: 0.002, verbose: false });
    const fromHistory = h.history['negative_elbo']!.at(-1)!;
    const e = vae.elbo(data, { samples: 4 });
    assert.equal(vae.outputActivation, likelihood === 'bernoulli' ? 'sigmoid' : 'linear');
    assert.ok(
      Math.abs(e.negativeElbo - fromHistory) < 0.05 * Math.abs(fromHistory),
      `${likelihood}: elbo() ${e.negativeElbo} vs history ${fromHistory}`,
    );
  }
});
