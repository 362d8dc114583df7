// The determinism matrix: for the members of the family whose training draws random numbers
// (sampling, noise, dropout) or runs other kernels than the dense GEMM (recurrent, conv1d), the
// same seed gives bit-identical weights and losses run after run and on one or two threads; a
// different seed gives different weights (so equality is not vacuous). Already covered
// elsewhere and not repeated here: plain dense and conv2d on 1 vs 2 threads
// (test/engine_threads.test.ts), the FMA build (test/engine_fma.test.ts), dense run to run
// (test/model/api.test.ts), Node against Chromium (test/browser/page_training.test.ts).

import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import { autoencoders, setThreads, tensor } from '../../src/index.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { Random } from '../../src/engine/random.js';
import { threadsStarted, workerJobCounts } from '../../src/engine/threads.js';

async function untilThreadsReady(): Promise<void> {
  for (let i = 0; i < 400 && !threadsStarted(); i++) await new Promise((r) => setTimeout(r, 50));
}

const data = (shape: number[], seed: number) => {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float32Array.from({ length: n }, () => rng.uniform()),
    shape,
  );
};

interface Member {
  name: string;
  make: () => Autoencoder;
  shape: number[];
}

const MEMBERS: Member[] = [
  {
    name: 'variational (sampling)',
    make: () => autoencoders.variational({ hidden: [96], latent: 8 }),
    shape: [192, 64],
  },
  {
    name: 'denoising (masking noise)',
    make: () => autoencoders.denoising({ hidden: [96], latent: 8, noise: { type: 'masking', rate: 0.3 } }),
    shape: [192, 64],
  },
  {
    name: 'sequence conv1d (dropout)',
    make: () => autoencoders.sequence({ window: 32, features: 2, arch: 'conv1d', filters: [16, 8], dropout: 0.2 }),
    shape: [96, 32, 2],
  },
  {
    name: 'sequence lstm',
    make: () => autoencoders.sequence({ window: 12, features: 2, arch: 'lstm', units: 32 }),
    shape: [64, 12, 2],
  },
  {
    name: 'sequence gru',
    make: () => autoencoders.sequence({ window: 12, features: 2, arch: 'gru', units: 32 }),
    shape: [64, 12, 2],
  },
];

async function train(m: Member, threads: number, seed: number) {
  setThreads(threads);
  if (threads > 1) await untilThreadsReady();
  const ae = m.make();
  const jobs = workerJobCounts()[0] ?? 0;
  const h = await ae.fit(data(m.shape, 5), { epochs: 2, batchSize: 32, seed, verbose: false });
  const result = {
    loss: h.history['loss']!,
    weights: ae.model.getWeights().map((w) => Array.from(w)),
    jobs: (workerJobCounts()[0] ?? 0) - jobs,
  };
  ae.dispose();
  return result;
}

after(() => setThreads(1));

for (const m of MEMBERS) {
  test(`determinism: ${m.name}: run to run, 1 vs 2 threads, and seed sensitivity`, async () => {
    const a = await train(m, 1, 7);
    const b = await train(m, 1, 7);
    const two = await train(m, 2, 7);
    const other = await train(m, 1, 8);
    assert.ok(a.loss.every(Number.isFinite));
    assert.deepEqual(b.weights, a.weights, 'two runs with the same seed');
    assert.deepEqual(b.loss, a.loss);
    assert.deepEqual(two.weights, a.weights, 'one thread against two');
    assert.deepEqual(two.loss, a.loss);
    assert.notDeepEqual(other.weights, a.weights, 'another seed trains other weights');
    // The second thread really took work (60-216 kernel jobs here), so the split was exercised.
    assert.ok(two.jobs > 0, `the second thread ran ${two.jobs} jobs`);
  });
}
