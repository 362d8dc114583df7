// Two threads give bit-identical results to one: GEMMs split by rows compute every element
// the same way. Checked on raw GEMMs and on a training run large enough to be split; the
// worker's job counter proves the work really was shared.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getThreads, input, layers, model, setSeed, setThreads, tensor } from '../src/index.js';
import { gemm } from '../src/engine/ops.js';
import { arena, bufFrom } from '../src/engine/memory.js';
import { threadsStarted, workerJobCounts } from '../src/engine/threads.js';
import { Random } from '../src/engine/random.js';
import { randomArray } from './helpers/engine.js';

async function untilThreadsReady(): Promise<void> {
  // Workers start asynchronously (slowly on a loaded machine): wait until they report ready, so
  // the split really happens; give up after 20 s and let the job counts fail the test.
  for (let i = 0; i < 400 && !threadsStarted(); i++) await new Promise((r) => setTimeout(r, 50));
}

test('GEMM results do not depend on the thread count', async () => {
  const rng = new Random(77);
  const m = 301,
    n = 67,
    k = 263;
  const a = bufFrom(randomArray(m * k, rng)),
    b = bufFrom(randomArray(k * n, rng)),
    bias = bufFrom(randomArray(n, rng));
  const run = (threads: number) => {
    setThreads(threads);
    const c = arena.alloc(m * n);
    gemm({ m, n, k, a, lda: k, b, ldb: k, transB: true, c, ldc: n, bias, act: 4 });
    const out = c.view().slice();
    arena.release(c);
    return out;
  };
  const one = run(1);
  assert.equal(getThreads(), 1);
  setThreads(2);
  await untilThreadsReady();
  const before = workerJobCounts()[0]!;
  const two = run(2);
  assert.equal(getThreads(), 2);
  assert.equal(workerJobCounts()[0]! - before, 1, 'the worker computed its share of the GEMM');
  assert.deepEqual(Array.from(two), Array.from(one));
});

test('training is bit-identical on one and two threads', async () => {
  const train = async (threads: number) => {
    setThreads(threads);
    await untilThreadsReady();
    setSeed(5);
    const x = input([300]);
    const h = layers.dense(128, { activation: 'relu' }).apply(x);
    const m = model({ inputs: x, outputs: layers.dense(300, { activation: 'sigmoid' }).apply(h) });
    m.compile({ optimizer: 'adam', loss: 'bce', seed: 1 });
    const d = tensor(
      Float32Array.from(randomArray(512 * 300, new Random(3)), (v) => 0.5 + 0.5 * v),
      [512, 300],
    );
    const jobs = workerJobCounts()[0] ?? 0;
    const hist = await m.fit(d, d, { epochs: 2, batchSize: 128, verbose: false });
    return {
      loss: hist.history['loss'],
      weights: m.getWeights().map((w) => Array.from(w)),
      jobs: (workerJobCounts()[0] ?? 0) - jobs,
    };
  };
  const one = await train(1);
  const two = await train(2);
  assert.equal(one.jobs, 0);
  // 8 steps of 3 GEMMs forward/backward each at least, and the loss chunks.
  assert.ok(two.jobs >= 8 * 3, `the worker ran ${two.jobs} jobs`);
  assert.deepEqual({ ...two, jobs: 0 }, { ...one, jobs: 0 });
});

test('convolutional training is bit-identical on one and two threads (batch-split kernels)', async () => {
  const { convAutoencoder } = await import('../src/models/conv_autoencoder.js');
  const train = async (threads: number) => {
    setThreads(threads);
    await untilThreadsReady();
    setSeed(8);
    const { autoencoder } = convAutoencoder({ inputShape: [12, 12, 1], filters: [4, 4] });
    autoencoder.compile({ optimizer: 'adam', loss: 'bce', seed: 2 });
    const d = tensor(
      Float32Array.from(randomArray(64 * 144, new Random(4)), (v) => 0.5 + 0.5 * v),
      [64, 12, 12, 1],
    );
    const jobs = workerJobCounts()[0] ?? 0;
    const hist = await autoencoder.fit(d, d, { epochs: 2, batchSize: 16, verbose: false });
    return {
      loss: hist.history['loss'],
      weights: autoencoder.getWeights().map((w) => Array.from(w)),
      jobs: (workerJobCounts()[0] ?? 0) - jobs,
    };
  };
  const one = await train(1);
  const two = await train(2);
  assert.equal(one.jobs, 0);
  // 8 steps, each with batch-split im2col/pooling/upsampling kernels handed to the worker.
  assert.ok(two.jobs >= 8 * 4, `the worker ran ${two.jobs} jobs`);
  assert.deepEqual({ ...two, jobs: 0 }, { ...one, jobs: 0 });
});
