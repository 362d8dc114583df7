// The memory lifecycle: the arena's free list (reuse, coalescing, the top coming back down),
// models that free everything on dispose(), refits that reuse their buffers, and requests too
// large for WebAssembly memory refused before anything is allocated.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HourglassError, input, layers, model, sequential, tensor } from '../../src/index.js';
import { getEngine } from '../../src/engine/kernels.js';
import { arena, MEMORY_LIMIT_BYTES } from '../../src/engine/memory.js';
import { Random } from '../../src/engine/random.js';
import { randomArray } from '../helpers/engine.js';
import { trainAndDispose } from '../helpers/model_churn.js';

test('the free list reuses, coalesces and lowers the top', () => {
  const top = arena.usedBytes;
  const a = arena.alloc(1000, 'a'),
    b = arena.alloc(3000, 'b'),
    c = arena.alloc(500, 'c');
  arena.release(b);
  const d = arena.alloc(2000, 'd');
  assert.equal(d.ptr, b.ptr, 'a freed block is reused first-fit');
  arena.release(a);
  arena.release(d);
  // a and d (the head of b's block) and b's remainder are one free range now.
  assert.ok(
    arena.freeBlocks.some((f) => f.ptr === a.ptr && f.bytes >= 4000 * 4),
    'neighbouring free ranges coalesce',
  );
  arena.release(c);
  assert.equal(arena.usedBytes, top, 'freeing the highest block brings the top back down');
  assert.throws(() => a.view(), /was freed/);
});

test('a buffer too large for WebAssembly memory is refused before allocating, with bytes and limit', () => {
  const before = getEngine().memory.buffer.byteLength,
    top = arena.usedBytes;
  assert.throws(
    () => arena.alloc(2 ** 31, 'huge'),
    (e: unknown) =>
      e instanceof HourglassError &&
      /huge needs 8\.00 GiB, more than WebAssembly memory can hold \(limit 4\.00 GiB/.test(e.message),
  );
  assert.ok(MEMORY_LIMIT_BYTES === 4 * 2 ** 30);
  assert.throws(
    () => layers.dense(1e12).apply(input([30])),
    (e: unknown) =>
      e instanceof HourglassError &&
      /layer 'dense\w*' kernel \(shape \[30, 1000000000000\]\) needs 218\.3 TiB/.test(e.message),
  );
  const conv = sequential([input([4000, 4000, 3]), layers.conv2d(64, { kernelSize: 3, padding: 'same' })]);
  const withWeights = arena.usedBytes;
  assert.throws(
    () => conv.planForInference(1),
    (e: unknown) =>
      e instanceof HourglassError &&
      /an inference plan for batches of 1 needs \d+\.\d+ GiB, more than WebAssembly memory can hold/.test(e.message),
  );
  assert.equal(getEngine().memory.buffer.byteLength, before, 'the memory did not grow');
  assert.equal(arena.usedBytes, withWeights, 'the refused plan allocated nothing');
  conv.dispose();
  assert.equal(arena.usedBytes, top);
});

test('a disposed model is refused clearly, and so are models sharing its layers', () => {
  const x = input([6]);
  const h = layers.dense(3).apply(x);
  const ae = model({ inputs: x, outputs: layers.dense(6).apply(h) });
  const encoder = model({ inputs: x, outputs: h });
  ae.dispose();
  const rows = tensor(new Float32Array(12), [2, 6]);
  assert.throws(() => ae.predict(rows), /model 'model' was disposed/);
  assert.throws(() => encoder.predict(rows), /shares layers with a model that was disposed/);
  ae.dispose();
});

test('fit again reuses the buffers and keeps the optimizer state unless asked', async () => {
  const m = sequential([input([20]), layers.dense(8, { activation: 'relu' }), layers.dense(20)]);
  m.compile({ loss: 'mse', optimizer: 'adam', seed: 3 });
  const d = tensor(randomArray(200 * 20, new Random(2)), [200, 20]);
  await m.fit(d, d, { epochs: 1, batchSize: 50, verbose: false });
  const used = arena.usedBytes,
    plan = m.planForTraining(50);
  const opt = m.compiled!.optimizer;
  assert.equal(opt.iterations, 4);
  await m.fit(d, d, { epochs: 1, batchSize: 50, verbose: false, learningRate: 0.01 });
  assert.equal(arena.usedBytes, used, 'the second fit allocated nothing that stays');
  assert.equal(m.planForTraining(50), plan, 'the same plan');
  assert.equal(opt.iterations, 8, 'the optimizer went on from its state');
  assert.equal(opt.learningRate(), 0.01);
  await m.fit(d, d, { epochs: 1, batchSize: 50, verbose: false, freshOptimizer: true });
  assert.equal(opt.iterations, 4, 'a fresh optimizer starts over');
  m.dispose();
});

test('training, predicting and disposing models leaves WebAssembly memory as after the first ten', async () => {
  const count = Number(process.env['HOURGLASS_CHURN_MODELS'] ?? 40);
  await trainAndDispose(10);
  const memory = getEngine().memory.buffer.byteLength,
    top = arena.usedBytes;
  await trainAndDispose(count - 10, 10);
  assert.equal(arena.usedBytes, top, 'the arena top is back where it was');
  assert.equal(getEngine().memory.buffer.byteLength, memory, `memory did not grow over ${count} models`);
});
