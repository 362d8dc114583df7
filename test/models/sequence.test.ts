// autoencoders.sequence(): the Conv1D layout of Keras's time-series example (parameter counts by
// the closed form of each layer, windows that are not a multiple of 4 cropped back), the LSTM/GRU
// encoder-decoder, the denoising variant, save/load as the same kind with the same outputs, and
// refusals of bad options.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { autoencoders } from '../../src/models/index.js';

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

test("the conv1d layout is Keras's example: parameters per layer, and odd windows cropped back", async () => {
  for (const [window, features] of [
    [288, 1],
    [290, 3],
    [33, 2],
  ] as const) {
    const ae = autoencoders.sequence({ window, features });
    await ae.fit(sineWindows(8, window, features, 1), { epochs: 1, batchSize: 8, verbose: false });
    const m = ae.model;
    const params = m.layers.filter((l) => l.countParams() > 0).map((l) => l.countParams());
    // conv1d: k * in * out + out; conv1dTranspose the same with in and out swapped.
    assert.deepEqual(params, [
      7 * features * 32 + 32,
      7 * 32 * 16 + 16,
      7 * 16 * 16 + 16,
      7 * 16 * 32 + 32,
      7 * 32 * features + features,
    ]);
    assert.deepEqual(m.output.shape, [window, features]);
    assert.deepEqual(ae.codeShape, [Math.ceil(Math.ceil(window / 2) / 2), 16]);
    const cropped = m.layers.some((l) => l.className === 'Cropping1D');
    assert.equal(cropped, window % 4 !== 0, `window ${window}`);
    assert.equal(m.layers.filter((l) => l.className === 'Dropout').length, 2);
    assert.equal(ae.outputActivation, 'linear');
    ae.dispose();
  }
});

test('the lstm and gru layouts: encoder state as the code, repeatVector, decoder, timeDistributed(dense)', async () => {
  for (const arch of ['lstm', 'gru'] as const) {
    const ae = autoencoders.sequence({ window: 12, features: 2, arch, units: 5 });
    await ae.fit(sineWindows(6, 12, 2, 2), { epochs: 1, batchSize: 6, verbose: false });
    const cls = arch === 'lstm' ? 'LSTM' : 'GRU';
    assert.deepEqual(
      ae.model.layers.map((l) => l.className),
      ['InputLayer', cls, 'RepeatVector', cls, 'TimeDistributed'],
    );
    assert.deepEqual(ae.codeShape, [5]);
    assert.deepEqual(ae.encode(sineWindows(3, 12, 2, 3)).shape, [3, 5]);
    assert.deepEqual(ae.reconstruct(sineWindows(3, 12, 2, 3)).shape, [3, 12, 2]);
    ae.dispose();
  }
});

test('an lstm sequence autoencoder learns sine windows', async () => {
  const ae = autoencoders.sequence({ window: 24, features: 1, arch: 'lstm', units: 16 });
  const x = sineWindows(64, 24, 1, 4);
  const h = await ae.fit(x, { epochs: 25, batchSize: 16, learningRate: 0.01, verbose: false });
  const loss = h.history['loss']!;
  assert.ok(loss.at(-1)! < 0.25 * loss[0]!, `loss ${loss[0]!.toFixed(4)} -> ${loss.at(-1)!.toFixed(4)}`);
  ae.dispose();
});

test('the denoising variant corrupts in training only; saved sequence models load back as kind sequence', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-seq-'));
  for (const o of [
    { window: 20, features: 1, noise: { type: 'gaussian', stddev: 0.3 } as const },
    { window: 10, features: 2, arch: 'gru' as const, units: 4, noise: { type: 'masking', rate: 0.2 } as const },
  ]) {
    const ae = autoencoders.sequence(o);
    const x = sineWindows(8, o.window, o.features, 5);
    await ae.fit(x, { epochs: 1, batchSize: 8, verbose: false });
    assert.equal(ae.model.layers[1]!.name, 'corruption');
    const a = ae.reconstruct(x).data;
    assert.deepEqual(ae.reconstruct(x).data, a, 'inference is deterministic (no noise)');
    const where = path.join(dir, o.arch ?? 'conv1d');
    ae.save(where);
    const back = autoencoders.load(where);
    assert.equal(back.kind, 'sequence');
    assert.deepEqual(back.options, { ...o });
    assert.deepEqual(back.reconstruct(x).data, a);
    assert.deepEqual(back.encode(x).data, ae.encode(x).data);
    ae.dispose();
    back.dispose();
  }
});

test('refuses bad sequence options and windows of the wrong shape', async () => {
  const refuses = (run: () => unknown, message: RegExp) =>
    assert.throws(run, (e: unknown) => e instanceof HourglassError && message.test(e.message));
  refuses(() => autoencoders.sequence({ window: 0 }), /window must be a positive integer/);
  refuses(() => autoencoders.sequence({ window: 8, arch: 'rnn' as 'lstm' }), /arch must be 'conv1d', 'lstm' or 'gru'/);
  refuses(() => autoencoders.sequence({ window: 8, filters: [4] }), /filters must be two numbers/);
  refuses(() => autoencoders.sequence({ window: 8, dropout: 1 }), /dropout must be in \[0, 1\)/);
  refuses(
    () => autoencoders.sequence({ window: 8, noise: { type: 'gaussian', stddev: -1 } }),
    /stddev|noise|standard deviation/i,
  );
  const ae = autoencoders.sequence({ window: 16, features: 1 });
  await assert.rejects(
    ae.fit(sineWindows(4, 12, 1, 6), { verbose: false }),
    /built for windows \[16, 1\] \(window, features\), given rows of shape \[12, 1\]/,
  );
});
