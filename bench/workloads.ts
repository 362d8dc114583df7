// The benchmark workloads: the same architecture, data, batch, optimizer and step count for
// every system. Initial weights are shared through a file so losses can be compared.

import { sequenceFlops } from './sequence_workloads.js';

export interface Workload {
  name: string;
  description: string;
  /** Encoder sizes after the input; the decoder mirrors them back to the input size. */
  encoder: number[];
  /** Dense workloads: values per input row (default 784, an MNIST image). */
  inputSize?: number;
  /** Dense workloads' loss (default binary cross-entropy after a sigmoid; 'mse' has a linear output). */
  loss?: 'binaryCrossentropy' | 'mse';
  /** The rows trained on (default MNIST; 'tabular': bench/tabular_data.ts). */
  data?: 'mnist' | 'tabular';
  /**
   * Predict workloads: each system makes one call over all rows, as its users write it
   * (Hourglass predict() with its default batching, PyTorch net(x) under no_grad, onnxruntime
   * session.run), instead of a loop over batches of `batch`.
   */
  wholeCall?: boolean;
  kind: 'train' | 'predict' | 'conv' | 'sequence';
  batch: number;
  /** Steps per timed block, and timed blocks (the first, warm-up block is excluded). */
  steps: number;
  blocks: number;
  /** Rows for predict workloads. */
  rows?: number;
  /** Conv workloads: the preset's layout (default pooling) and, strided, the code's channels. */
  layout?: 'pooling' | 'strided';
  codeChannels?: number;
  /** Sequence workloads (bench/sequence_workloads.ts): the architecture and the window length (one feature). */
  arch?: 'conv1d' | 'lstm';
  window?: number;
}

export const WORKLOADS: Record<string, Workload> = {
  dense: {
    name: 'dense',
    description: 'train 784-32-784',
    encoder: [32],
    kind: 'train',
    batch: 256,
    steps: 40,
    blocks: 5,
  },
  deep: {
    name: 'deep',
    description: 'train 784-1000-500-250-30 mirrored',
    encoder: [1000, 500, 250, 30],
    kind: 'train',
    batch: 256,
    steps: 6,
    blocks: 5,
  },
  predict: {
    name: 'predict',
    description: 'predict 10,000 rows, deep model',
    encoder: [1000, 500, 250, 30],
    kind: 'predict',
    batch: 256,
    steps: 1,
    blocks: 5,
    rows: 10000,
  },
  // Issue 18: a small tabular autoencoder (a code of 8), where per-step overhead and narrow GEMMs dominate.
  tabular: {
    name: 'tabular',
    description: 'train tabular 30-64-8-64-30 (synthetic 10,000x30 standardized), MSE',
    encoder: [64, 8],
    inputSize: 30,
    loss: 'mse',
    data: 'tabular',
    kind: 'train',
    batch: 64,
    steps: 156,
    blocks: 5,
  },
  // Issue 18: inference as users call it, against PyTorch's no_grad forward and onnxruntime-node.
  inference: {
    name: 'inference',
    description: 'predict 10,000 rows in one call, deep model (predict(), torch.no_grad(), onnxruntime-node)',
    encoder: [1000, 500, 250, 30],
    kind: 'predict',
    batch: 256,
    steps: 1,
    blocks: 5,
    rows: 10000,
    wholeCall: true,
  },
  conv: {
    name: 'conv',
    description: 'train conv 16-8-8 (4x4x8 code), 28x28x1',
    encoder: [16, 8, 8],
    kind: 'conv',
    batch: 128,
    steps: 8,
    blocks: 3,
  },
  'conv-strided': {
    name: 'conv-strided',
    description: 'train strided conv 32-64-128, ELU (4x4x8 code), 28x28x1',
    encoder: [32, 64, 128],
    kind: 'conv',
    layout: 'strided',
    codeChannels: 8,
    batch: 128,
    steps: 8,
    blocks: 3,
  },
  conv1d: {
    name: 'conv1d',
    description:
      "train Keras's time-series Conv1D autoencoder (32-16 k7 s2, transposed back), window 288, MSE, dropout off",
    encoder: [],
    kind: 'sequence',
    arch: 'conv1d',
    window: 288,
    batch: 128,
    steps: 8,
    blocks: 3,
  },
  lstm: {
    name: 'lstm',
    description:
      'train LSTM 64 -> repeatVector 128 -> LSTM 64 (sequences) -> timeDistributed(dense 1), window 128, MSE',
    encoder: [],
    kind: 'sequence',
    arch: 'lstm',
    window: 128,
    batch: 64,
    steps: 4,
    blocks: 3,
  },
};

/** Values per input row of a dense workload: an MNIST image unless the workload says. */
export function inputSize(w: Workload): number {
  return w.inputSize ?? 784;
}

/** Values per sample: a 28x28 image, a tabular row, or a sequence workload's window of one feature. */
export function sampleSize(w: Workload): number {
  return w.kind === 'sequence' ? w.window! : w.kind === 'conv' ? 784 : inputSize(w);
}

/** One batch's input shape (after the batch axis) as the layers see it. */
export function sampleShape(w: Workload): number[] {
  return w.kind === 'sequence' ? [w.window!, 1] : w.kind === 'conv' ? [28, 28, 1] : [inputSize(w)];
}

/** One layer of a conv workload: 3x3 kernel from ci to co channels; transposed convs are
 *  stored in Keras's transposed layout [3, 3, co, ci] (same element count). `size` is the
 *  spatial size the layer's input-side GEMM runs at: output size for convs, input for transposed. */
export interface ConvLayerShape {
  ci: number;
  co: number;
  transposed: boolean;
  size: number;
}

/** The conv workload's layers in the preset's order. */
export function convLayers(w: Workload): ConvLayerShape[] {
  const f = w.encoder,
    out: ConvLayerShape[] = [];
  if (w.layout === 'strided') {
    // stride-2 convs 28 -> 14 -> 7 -> 4, the code conv and the decoder's first conv at 4x4,
    // then transposed convs from 4, 7 (after the crop) and 14.
    let c = 1,
      s = 28;
    for (const n of f) {
      s = Math.ceil(s / 2);
      out.push({ ci: c, co: n, transposed: false, size: s });
      c = n;
    }
    out.push({ ci: c, co: w.codeChannels!, transposed: false, size: s });
    out.push({ ci: w.codeChannels!, co: c, transposed: false, size: s });
    const sizes = [28];
    for (let i = 0; i < f.length; i++) sizes.push(Math.ceil(sizes.at(-1)! / 2));
    [...f].reverse().forEach((_, i) => {
      const co = i === f.length - 1 ? 1 : f[f.length - 2 - i]!;
      out.push({ ci: c, co, transposed: true, size: sizes[f.length - i]! });
      c = co;
    });
    return out;
  }
  // Spatial size each conv runs at: 28, 14, 7 (encoder); 4, 8, 16 (decoder); 28 (output).
  let c = 1,
    s = 28;
  for (const n of f) {
    out.push({ ci: c, co: n, transposed: false, size: s });
    c = n;
    s = Math.ceil(s / 2);
  }
  for (const n of [...f].reverse()) {
    out.push({ ci: c, co: n, transposed: false, size: s });
    c = n;
    s *= 2;
  }
  out.push({ ci: c, co: 1, transposed: false, size: 28 });
  return out;
}

/** Conv workload kernels in Hourglass/Keras layout, in layer order: [3, 3, in, out], or
 *  [3, 3, out, in] for transposed convs. The bias has `out` values. */
export function convKernelShapes(w: Workload): { kernel: [number, number, number, number]; units: number }[] {
  return convLayers(w).map((l) => ({ kernel: l.transposed ? [3, 3, l.co, l.ci] : [3, 3, l.ci, l.co], units: l.co }));
}

/** FLOPs per sample of the conv workload on 28x28 images (each layer: 2 * GEMM-side pixels * 9 * in * out, forward). */
function convFlops(w: Workload): number {
  const fwd = convLayers(w).reduce((sum, l) => sum + 2 * l.size * l.size * 9 * l.ci * l.co, 0);
  return 3 * fwd;
}

/** Layer sizes from input to output: [in, ...encoder, ...mirror, in] (in = 784 unless the workload says). */
export function layerSizes(w: Workload): number[] {
  const n = inputSize(w);
  return [n, ...w.encoder, ...w.encoder.slice(0, -1).reverse(), n];
}

/** FLOPs per sample: forward 2·in·out per layer; backward 4·in·out, less the first layer's input gradient. */
export function flopsPerSample(w: Workload): number {
  if (w.kind === 'conv') return convFlops(w);
  if (w.kind === 'sequence') return sequenceFlops(w);
  const s = layerSizes(w);
  let f = 0;
  for (let i = 0; i + 1 < s.length; i++) {
    const mac = s[i]! * s[i + 1]!;
    f += 2 * mac;
    if (w.kind === 'train') f += i === 0 ? 2 * mac : 4 * mac;
  }
  return f;
}

/** Hidden layers use relu, the output sigmoid; the loss is binary cross-entropy (MSE with a linear
 *  output where the workload says); Adam lr 1e-3. */
export const LEARNING_RATE = 1e-3;

export function quick(w: Workload): Workload {
  return { ...w, steps: Math.min(w.steps, 3), blocks: 2, ...(w.rows ? { rows: 1000 } : {}) };
}

/**
 * The same workload with fewer steps, for systems ~50x slower than the rest (tfjs's cpu backend,
 * WebGL without a GPU): on the strided conv, ~2 samples/s, one step of 16 images per block.
 */
export function slowSystemWorkload(w: Workload): Workload {
  if (w.kind === 'predict') return { ...w, rows: Math.min(w.rows!, 1024), blocks: Math.min(w.blocks, 2) };
  if (w.layout === 'strided') return { ...w, batch: 16, steps: 1, blocks: Math.min(w.blocks, 2) };
  return { ...w, steps: Math.max(1, Math.ceil(w.steps / 8)), blocks: Math.min(w.blocks, 2) };
}

/** The note a reduced row carries: how much of the workload it ran per block. */
export function reducedNote(reduced: Workload, full: Workload): string {
  const per =
    reduced.kind === 'predict'
      ? `${reduced.rows} rows`
      : `${reduced.steps} step${reduced.steps === 1 ? '' : 's'}${reduced.batch !== full.batch ? ` of ${reduced.batch}` : ''}`;
  return `(${per} per block: slow)`;
}
