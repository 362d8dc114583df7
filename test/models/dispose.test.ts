// dispose(): an autoencoder frees its network and every sub-model it built (encoder, decoder, the
// VAE's log-variance model) through Model.dispose, once each, and any later call says it was
// disposed. Data: seeded uniform rows (no reference values are needed).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { autoencoders, HourglassError, loadAutoencoder, Model, type Autoencoder } from '../../src/index.js';
import { Random } from '../../src/engine/random.js';

const rows = 64,
  width = 12;
const rng = new Random(5);
const x = { data: Float32Array.from({ length: rows * width }, () => rng.uniform()), shape: [rows, width] };
const quiet = { epochs: 1, batchSize: 32, verbose: false } as const;
const disposedError = (e: unknown) => e instanceof HourglassError && /autoencoder was disposed/.test(e.message);

/** Runs body while recording every Model.dispose call (the models it was called on, in order). */
function recordingDisposals(body: () => void): Model[] {
  const seen: Model[] = [];
  const original = Model.prototype.dispose;
  Model.prototype.dispose = function (this: Model) {
    seen.push(this);
    original.call(this);
  };
  try {
    body();
  } finally {
    Model.prototype.dispose = original;
  }
  return seen;
}

function assertEveryCallRefused(ae: Autoencoder): void {
  const codes = { data: new Float32Array(3), shape: [1, 3] };
  for (const [name, call] of [
    ['encode', () => ae.encode(x)],
    ['decode', () => ae.decode(codes)],
    ['reconstruct', () => ae.reconstruct(x)],
    ['score', () => ae.score(x)],
    ['model', () => ae.model],
    ['encoder', () => ae.encoder()],
    ['decoder', () => ae.decoder()],
    ['codeShape', () => ae.codeShape],
    ['save', () => ae.save(path.join(os.tmpdir(), 'never-written'))],
  ] as const)
    assert.throws(call, disposedError, name);
}

test('after dispose(), encode throws that the autoencoder was disposed', async () => {
  const ae = autoencoders.dense({ hidden: [8], latent: 3 });
  await ae.fit(x, quiet);
  ae.decode(ae.encode(x)); // builds the encoder and decoder sub-models
  const owned = [ae.model, ae.encoder(), ae.decoder()];
  const seen = recordingDisposals(() => ae.dispose());
  assert.equal(seen.length, 3, 'one dispose per model the autoencoder owns');
  for (const m of owned) assert.ok(seen.includes(m), `${m.name} was disposed`);
  assert.throws(() => ae.encode(x), /disposed/);
  assert.ok(ae.isDisposed && !ae.built);
  assertEveryCallRefused(ae);
  await assert.rejects(ae.fit(x, quiet), disposedError);
  assert.throws(() => ae.build([width], 'sigmoid'), disposedError);
  assert.equal(recordingDisposals(() => ae.dispose()).length, 0, 'a second dispose does nothing');
});

test('a variational autoencoder also frees its log-variance model; sampling after dispose is refused', async () => {
  const vae = autoencoders.variational({ hidden: [8], latent: 2 });
  await vae.fit(x, quiet);
  vae.elbo(x); // builds the encoder, decoder and log-variance sub-models
  const network = vae.model;
  const seen = recordingDisposals(() => vae.dispose());
  assert.equal(new Set(seen).size, 4, 'network, encoder, decoder and log-variance model');
  assert.equal(seen.length, 4, 'each once');
  assert.equal(seen.at(-1), network, 'the network goes last, after the sub-models built on it');
  assert.throws(() => vae.sample(3), disposedError);
  assert.throws(() => vae.elbo(x), disposedError);
  assert.throws(() => vae.interpolate(x, x), disposedError);
  assertEveryCallRefused(vae);
});

test('an untrained autoencoder and a loaded one dispose too', async () => {
  const untrained = autoencoders.sparse({ latent: 3 });
  assert.equal(recordingDisposals(() => untrained.dispose()).length, 0, 'nothing built, nothing to free');
  assert.throws(() => untrained.encode(x), disposedError);

  const ae = autoencoders.contractive({ hidden: [8], latent: 3 });
  await ae.fit(x, quiet);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-dispose-'));
  ae.save(dir);
  ae.dispose();
  const back = loadAutoencoder(dir);
  back.encode(x);
  assert.equal(recordingDisposals(() => back.dispose()).length, 2, 'the loaded network and its encoder');
  assert.throws(() => back.encode(x), /disposed/);
  fs.rmSync(dir, { recursive: true });
});
