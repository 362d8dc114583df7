// The benchmark workloads: the same architecture, data, batch, optimizer and step count for
// every system. Initial weights are shared through a file so losses can be compared.

export interface Workload {
  name: string;
  description: string;
  /** Encoder sizes after the input; the decoder mirrors them back to 784. */
  encoder: number[];
  kind: 'train' | 'predict' | 'conv';
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
  conv: { name: 'conv', description: 'train conv 16-8-8 (4x4x8 code), 28x28x1', encoder: [16, 8, 8], kind: 'conv', batch: 128, steps: 8, blocks: 3 },
};

/** Conv workload kernels in Hourglass/Keras layout [3, 3, in, out], in layer order. */
export function convKernelShapes(w: Workload): [number, number, number, number][] {
  const f = w.encoder;
  const shapes: [number, number, number, number][] = [];
  let c = 1;
  for (const n of f) { shapes.push([3, 3, c, n]); c = n; }
  for (const n of [...f].reverse()) { shapes.push([3, 3, c, n]); c = n; }
  shapes.push([3, 3, c, 1]);
  return shapes;
}

/** FLOPs per sample of the conv workload on 28x28 images (each conv: 2 * out pixels * 9 * in * out). */
function convFlops(w: Workload): number {
  const shapes = convKernelShapes(w);
  const n = w.encoder.length;
  // Spatial size each conv runs at: 28, 14, 7 (encoder); 4, 8, 16 (decoder); 28 (output).
  const sizes: number[] = [];
  let s = 28;
  for (let i = 0; i < n; i++) { sizes.push(s); s = Math.ceil(s / 2); }
  for (let i = 0; i < n; i++) { sizes.push(s); s *= 2; }
  sizes.push(28);
  let fwd = 0;
  shapes.forEach(([kh, kw, ci, co], i) => { fwd += 2 * sizes[i]! * sizes[i]! * kh * kw * ci * co; });
  return 3 * fwd;
}

/** Layer sizes from input to output: [784, ...encoder, ...mirror, 784]. */
export function layerSizes(w: Workload): number[] {
  return [784, ...w.encoder, ...w.encoder.slice(0, -1).reverse(), 784];
}

/** FLOPs per sample: forward 2·in·out per layer; backward 4·in·out, less the first layer's input gradient. */
export function flopsPerSample(w: Workload): number {
  if (w.kind === 'conv') return convFlops(w);
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
