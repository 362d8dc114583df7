// The single-thread build (no shared memory: the fallback for browser pages without
// cross-origin isolation) trains exactly like the threaded one, with a note instead of workers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const script = `
import { getThreads, input, layers, model, setSeed, setThreads, tensor, threadNote } from './src/index.ts';
setThreads(2);
setSeed(3);
const x = input([40]);
const m = model({ inputs: x, outputs: layers.dense(40, { activation: 'sigmoid' }).apply(layers.dense(300, { activation: 'relu' }).apply(x)) });
m.compile({ optimizer: 'adam', loss: 'bce', seed: 1 });
const d = tensor(Float32Array.from({ length: 600 * 40 }, (_, i) => (Math.sin(i) + 1) / 2), [600, 40]);
const h = await m.fit(d, d, { epochs: 2, batchSize: 100, verbose: false });
console.log(JSON.stringify({ loss: h.history.loss, threads: getThreads(), note: threadNote() }));
`;

function run(single: boolean) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, HOURGLASS_SINGLE_THREAD: single ? '1' : '0' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { loss: number[]; threads: number; note: string | null };
}

test('the single-thread build gives the same training as the threaded build, with a note', () => {
  const single = run(true), threaded = run(false);
  assert.deepEqual(single.loss, threaded.loss);
  assert.equal(single.threads, 1);
  assert.match(single.note ?? '', /one thread/);
  assert.equal(threaded.threads, 2);
});
