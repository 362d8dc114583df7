// Timing a workload's blocks: the first is warm-up (compilation, allocation), the median of the
// rest is the rate. Pure, so the Node children and the browser page time the same way.

import type { Workload } from './workloads.js';

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
  return median(rates);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, c) => a - c);
  return sorted[Math.floor(sorted.length / 2)]!;
}
