// A small training run in a child process, for the tests that compare kernel builds (chosen by
// environment variables and runtime flags at start-up, so each build needs its own process).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export const ROOT = new URL('../..', import.meta.url).pathname;

const SCRIPT = `
import { getThreads, input, layers, model, setSeed, setThreads, tensor, threadNote, usesFusedMultiplyAdd } from './src/index.ts';
setThreads(Number(process.env.THREADS));
setSeed(3);
const x = input([40]);
const m = model({ inputs: x, outputs: layers.dense(40, { activation: 'sigmoid' }).apply(layers.dense(300, { activation: 'relu' }).apply(x)) });
m.compile({ optimizer: 'adam', loss: 'bce', seed: 1 });
const d = tensor(Float32Array.from({ length: 600 * 40 }, (_, i) => (Math.sin(i) + 1) / 2), [600, 40]);
const h = await m.fit(d, d, { epochs: Number(process.env.EPOCHS), batchSize: 100, verbose: false });
console.log(JSON.stringify({ loss: h.history.loss, threads: getThreads(), note: threadNote(), fma: usesFusedMultiplyAdd() }));
`;

export interface ChildTraining {
  loss: number[];
  threads: number;
  note: string | null;
  fma: boolean;
}

/** Trains a 40-300-40 autoencoder on fixed data in a child with these threads, epochs, env and node flags. */
export function trainInChild(o: {
  threads: number;
  epochs: number;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): ChildTraining {
  const r = spawnSync(
    process.execPath,
    [...(o.nodeArgs ?? []), '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
    {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, THREADS: String(o.threads), EPOCHS: String(o.epochs), ...o.env },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildTraining;
}
