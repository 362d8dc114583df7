// Inference through a stack of dense layers runs as one GEMM chain: each thread takes the same
// rows of every layer from one hand-off per forward pass (src/engine/threads.ts runGemmChain).
// Checked against the reference executor (the oracle), bit for bit against one thread, and for
// which plans qualify (anything but row-local GEMMs runs op by op).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, sequential, setSeed, setThreads, tensor, type Model } from '../../src/index.js';
import { referenceExecutor, rowChainCalls, wasmExecutor } from '../../src/engine/executor.js';
import { threadsStarted, workerJobCounts } from '../../src/engine/threads.js';
import { Random } from '../../src/engine/random.js';
import { assertClose } from '../helpers/engine.js';

after(() => setThreads(1));

const jobs = () => workerJobCounts().reduce((a, b) => a + b, 0);

function denseStack(): Model {
  setSeed(9);
  return sequential([
    input([50]),
    layers.dense(300, { activation: 'relu', biasInitializer: 'glorotUniform' }),
    layers.dense(12, { activation: 'elu', biasInitializer: 'glorotUniform' }),
    layers.dense(200, { activation: 'tanh', biasInitializer: 'glorotUniform' }),
    layers.dense(50, { activation: 'sigmoid', biasInitializer: 'glorotUniform' }),
  ]);
}

test('a dense stack predicts through one chain per block on two threads: the reference executor within rounding, one thread bit for bit', async () => {
  const m = denseStack();
  const rows = 600;
  const rng = new Random(3);
  const x = Float32Array.from({ length: rows * 50 }, () => rng.uniform() * 2 - 1);
  const plan = m.planForInference(rows);
  assert.ok(rowChainCalls(plan.phases.forward), 'the forward pass qualifies as a chain');
  const oneThread = m.predict(tensor(x, [rows, 50]), { verbose: false }).data;

  setThreads(2);
  for (let i = 0; i < 400 && !threadsStarted(); i++) await new Promise((r) => setTimeout(r, 25));
  const before = jobs();
  const twoThreads = m.predict(tensor(x, [rows, 50]), { verbose: false }).data;
  assert.equal(jobs() - before, 1, 'one hand-off for the four GEMMs of the block');
  assert.deepEqual(twoThreads, oneThread);
  const inBlocks = m.predict(tensor(x, [rows, 50]), { batchSize: 100, verbose: false }).data;
  assert.equal(jobs() - before, 7, 'one hand-off per 100-row block');
  assert.deepEqual(inBlocks, oneThread);

  plan.useExecutor(referenceExecutor());
  plan.input.view().set(x);
  plan.forward(rows);
  assertClose(oneThread, plan.output.view().slice(), 1e-5, 1e-6, 'wasm chain vs reference');
  plan.useExecutor(wasmExecutor());
  m.dispose();
});

test('only plans of row-local GEMMs chain: a layer with another kernel, or rows that are not samples, run op by op', () => {
  const withNorm = sequential([
    input([20]),
    layers.dense(16, { activation: 'relu' }),
    layers.batchNormalization(),
    layers.dense(20),
  ]);
  assert.equal(rowChainCalls(withNorm.planForInference(8).phases.forward), null);
  // Dense over a sequence: the GEMMs have five rows per sample.
  const perStep = sequential([input([5, 20]), layers.dense(16, { activation: 'relu' }), layers.dense(20)]);
  assert.equal(rowChainCalls(perStep.planForInference(8).phases.forward), null);
  const flat = sequential([input([20]), layers.dense(16, { activation: 'relu' }), layers.dense(20)]);
  assert.equal(rowChainCalls(flat.planForInference(8).phases.forward)?.length, 2);
  for (const m of [withNorm, perStep, flat]) m.dispose();
});
