// The benchmark workloads: the same architecture, data, batch, optimizer and step count for
// every system. Initial weights are shared through a file so losses can be compared.

export interface Workload {
  name: string;
  description: string;
  /** Encoder sizes after the input; the decoder mirrors them back to 784. */
  encoder: number[];
  kind: 'train' | 'predict';
  batch: number;
  /** Steps per timed block, and timed blocks (the first, warm-up block is excluded). */
  steps: number;
  blocks: number;
  /** Rows for predict workloads. */
  rows?: number;
}

export const WORKLOADS: Record<string, Workload> = {
  dense: { name: 'dense', description: 'train 784-32-784', encoder: [32], kind: 'train', batch: 256, steps: 40, blocks: 5 },
  deep: { name: 'deep', description: 'train 784-1000-500-250-30 mirrored', encoder: [1000, 500, 250, 30], kind: 'train', batch: 256, steps: 6, blocks: 5 },
  predict: { name: 'predict', description: 'predict 10,000 rows, deep model', encoder: [1000, 500, 250, 30], kind: 'predict', batch: 256, steps: 1, blocks: 5, rows: 10000 },
};

/** Layer sizes from input to output: [784, ...encoder, ...mirror, 784]. */
export function layerSizes(w: Workload): number[] {
  return [784, ...w.encoder, ...w.encoder.slice(0, -1).reverse(), 784];
}

/** FLOPs per sample: forward 2·in·out per layer; backward 4·in·out, less the first layer's input gradient. */
export function flopsPerSample(w: Workload): number {
  const s = layerSizes(w);
  let f = 0;
  for (let i = 0; i + 1 < s.length; i++) {
    const mac = s[i]! * s[i + 1]!;
    f += 2 * mac;
    if (w.kind === 'train') f += i === 0 ? 2 * mac : 4 * mac;
  }
  return f;
}

/** Hidden layers use relu, the output sigmoid; the loss is binary cross-entropy; Adam lr 1e-3. */
export const LEARNING_RATE = 1e-3;

export function quick(w: Workload): Workload {
  return { ...w, steps: Math.min(w.steps, 3), blocks: 2, ...(w.rows ? { rows: 1000 } : {}) };
}
