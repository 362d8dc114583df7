// Streaming from disk against training from memory, the dense MNIST workload (784-32-784,
// batch 256, Adam, MSE): the 60,000 MNIST rows as a float32 .npy in a temporary folder, trained
// through fitFile (the path `hourglass train --stream` takes: rows read in 4 MB chunks, a shuffle
// buffer of 8,192 rows, batches prefetched ahead of the step) and in memory through fit. Each is
// run `--reps` times, alternating; the best epoch time of each is compared (the goal is at least
// 80% of the in-memory speed). The CPU time of each run (all the process's threads) is reported
// too: on a machine shared with other jobs the wall-clock ratio is mostly noise, while the CPU
// seconds a row costs still tell the two paths apart. Flags: --epochs N (default 1), --reps N
// (default 3), --json.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoencoders } from '../src/index.js';
import { fitFile } from '../src/apps/fit_file.js';
import { encodeNpy } from '../src/data/npy.js';
import { mnistRows } from './shared.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const epochs = arg('epochs', 1),
  reps = arg('reps', 3);
const ROWS = 60000;
const x = { data: mnistRows(ROWS), shape: [ROWS, 784] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-bench-stream-'));
const file = path.join(tmp, 'mnist.npy');
fs.writeFileSync(file, encodeNpy(x.data, x.shape));
const options = { epochs, seed: 1, loss: 'mse' as const, verbose: false };
const make = () => autoencoders.dense({ hidden: [], latent: 32, outputActivation: 'sigmoid' });

interface Run {
  rowsPerSecond: number;
  /** Rows per second of CPU time (user and system, every thread of the process). */
  rowsPerCpuSecond: number;
}

async function timed(train: () => Promise<unknown>): Promise<Run> {
  const cpu = process.cpuUsage(),
    t = performance.now();
  await train();
  const used = process.cpuUsage(cpu);
  return {
    rowsPerSecond: (ROWS * epochs) / ((performance.now() - t) / 1000),
    rowsPerCpuSecond: (ROWS * epochs) / ((used.user + used.system) / 1e6),
  };
}

const inMemory = () => timed(() => make().fit(x, { ...options, batchSize: 256 }));
const streamed = () => timed(() => fitFile(make(), file, { ...options, batchSize: 256 }));

try {
  const memory: Run[] = [],
    stream: Run[] = [];
  for (let r = 0; r < reps; r++) {
    memory.push(await inMemory());
    stream.push(await streamed());
  }
  const best = (v: Run[], k: keyof Run) => Math.max(...v.map((r) => r[k]));
  const ratio = best(stream, 'rowsPerSecond') / best(memory, 'rowsPerSecond');
  const cpuRatio = best(stream, 'rowsPerCpuSecond') / best(memory, 'rowsPerCpuSecond');
  const load = os.loadavg()[0]!;
  const result = {
    workload: 'dense 784-32-784 streaming',
    in_memory_samples_per_s: best(memory, 'rowsPerSecond'),
    streamed_samples_per_s: best(stream, 'rowsPerSecond'),
    ratio,
    in_memory_samples_per_cpu_s: best(memory, 'rowsPerCpuSecond'),
    streamed_samples_per_cpu_s: best(stream, 'rowsPerCpuSecond'),
    cpu_ratio: cpuRatio,
    load_average: load,
    cores: os.cpus().length,
  };
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
  else
    process.stdout.write(
      `dense MNIST, ${epochs} epoch(s), best of ${reps}: in memory ${result.in_memory_samples_per_s.toFixed(0)} rows/s, streamed from .npy ${result.streamed_samples_per_s.toFixed(0)} rows/s: ${(ratio * 100).toFixed(0)}%; per CPU second ${result.in_memory_samples_per_cpu_s.toFixed(0)} and ${result.streamed_samples_per_cpu_s.toFixed(0)} rows: ${(cpuRatio * 100).toFixed(0)}% (load average ${load.toFixed(1)} on ${os.cpus().length} cores)\n`,
    );
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
