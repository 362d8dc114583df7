// Loading goes through the explicit table of kinds (src/models/kinds.ts): every kind comes back
// as its own class with its kind and options, and a kind the table does not know is refused by
// name, with the known ones listed. Data: seeded uniform rows.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  autoencoders,
  HourglassError,
  loadAutoencoder,
  VariationalAutoencoder,
  type Autoencoder,
} from '../../src/index.js';
import { Random } from '../../src/engine/random.js';
import { KINDS } from '../../src/models/kinds.js';
import { toLegacyFolder } from '../helpers/saved_folder.js';

const rng = new Random(9);
const x = { data: Float32Array.from({ length: 32 * 6 }, () => rng.uniform()), shape: [32, 6] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-kinds-'));

test("the table has exactly the family's kinds", () => {
  assert.deepEqual(Object.keys(KINDS), [
    'dense',
    'conv',
    'denoising',
    'sparse',
    'contractive',
    'variational',
    'sequence',
  ]);
});

test('every dense-based kind saves and loads as itself, options included', async () => {
  const made: Autoencoder[] = [
    autoencoders.dense({ hidden: [4], latent: 2 }),
    autoencoders.denoising({ hidden: [4], latent: 2, noise: { type: 'masking', rate: 0.2 } }),
    autoencoders.sparse({ hidden: [4], latent: 2, sparsity: { target: 0.1 } }),
    autoencoders.contractive({ hidden: [4], latent: 2, weight: 0.02 }),
    autoencoders.variational({ hidden: [4], latent: 2, beta: 0.5 }),
  ];
  for (const ae of made) {
    await ae.fit(x, { epochs: 1, batchSize: 16, verbose: false });
    const dir = path.join(tmp, ae.kind);
    ae.save(dir);
    const back = loadAutoencoder(dir);
    assert.equal(back.kind, ae.kind);
    assert.deepEqual(back.options, ae.options);
    assert.equal(back instanceof VariationalAutoencoder, ae.kind === 'variational', ae.kind);
    assert.deepEqual(Array.from(back.encode(x).data), Array.from(ae.encode(x).data), `${ae.kind}: same codes`);
  }
});

test('an unknown kind is refused with its name and the known kinds; a damaged record too', async () => {
  const dir = path.join(tmp, 'dense');
  toLegacyFolder(dir); // edit the plain file: the loader's message, not the manifest's checksum
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.extra.autoencoder.kind = 'hypersphere';
  fs.writeFileSync(file, JSON.stringify(json));
  assert.throws(
    () => loadAutoencoder(dir),
    (e: unknown) =>
      e instanceof HourglassError &&
      e.message.includes("unknown autoencoder kind 'hypersphere'") &&
      e.message.includes('known kinds: dense, conv, denoising, sparse, contractive, variational'),
  );
  json.extra.autoencoder = { kind: 'dense' };
  fs.writeFileSync(file, JSON.stringify(json));
  assert.throws(() => loadAutoencoder(dir), /the autoencoder record is damaged/);
  // The builtin Object keys are no kinds either.
  json.extra.autoencoder = { kind: 'toString', encodeLayer: 'code', codeLayer: 'code' };
  fs.writeFileSync(file, JSON.stringify(json));
  assert.throws(() => loadAutoencoder(dir), /unknown autoencoder kind 'toString'/);
});
