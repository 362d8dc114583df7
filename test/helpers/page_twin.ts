// The Node twin of the small model the browser tests train in a page (their page scripts build
// the same 300-64-6-300 network, seed and data): its weights are what the page must reproduce.
// The pages run the plain kernels (ready({ fma: false })); Node picks the fused multiply-add
// build wherever it can, so the twin trains in a child held to the plain build
// (HOURGLASS_FMA=0): the promise is the same bits from the same build.

import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { ROOT } from './child_training.js';

const SCRIPT = `
import { input, layers, sequential, setSeed, tensor, usesFusedMultiplyAdd } from './src/index.ts';
if (usesFusedMultiplyAdd()) throw new Error('the twin must run the plain build');
setSeed(11);
const m = sequential([
  input([300]),
  layers.dense(64, { activation: 'relu' }),
  layers.dense(6, { activation: 'tanh' }),
  layers.dense(300, { activation: 'sigmoid' }),
]);
m.compile({ loss: 'bce', optimizer: 'adam', seed: 3 });
const rows = 256, data = new Float32Array(rows * 300);
for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1000) / 1000;
const x = tensor(data, [rows, 300]);
await m.fit(x, x, { epochs: 3, batchSize: 128, verbose: false });
console.log(JSON.stringify(m.getWeights().map((w) => Array.from(w))));
`;

export async function nodeTwinWeights(): Promise<number[][]> {
  // The test runner's context variable is dropped so the child's output is only the weights.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...env, HOURGLASS_FMA: '0' },
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as number[][];
}
