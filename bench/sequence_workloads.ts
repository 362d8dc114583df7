// The sequence workloads (issue 12): Keras's time-series Conv1D autoencoder on windows of 288 and
// an LSTM autoencoder on windows of 128, both on one feature, MSE and Adam. Their parameters are
// listed here once, in Keras layouts, so every system cuts the shared weight file the same way.
// Dropout is left out of the bench twins: each system draws its own masks, so with it the losses
// could not be compared (and a 0.2 dropout costs two element-wise passes, little next to the GEMMs).

import type { Workload } from './workloads.js';

export const LSTM_UNITS = 64;
/** Conv1D autoencoder: [filters, stride, transposed] in order (kernel 7, Keras 'same' padding). */
export const CONV1D_LAYERS: { filters: number; stride: number; transposed: boolean }[] = [
  { filters: 32, stride: 2, transposed: false },
  { filters: 16, stride: 2, transposed: false },
  { filters: 16, stride: 2, transposed: true },
  { filters: 32, stride: 2, transposed: true },
  { filters: 1, stride: 1, transposed: true },
];
export const CONV1D_KERNEL = 7;

/** One parameter tensor: its Keras shape, and the fan-in/fan-out of its Glorot limit (0: zeros). */
export interface ParamShape {
  shape: number[];
  fanIn: number;
  fanOut: number;
}

/** The workload's parameters in Hourglass/Keras order and layout. */
export function sequenceParams(w: Workload): ParamShape[] {
  const out: ParamShape[] = [];
  const bias = (n: number) => out.push({ shape: [n], fanIn: 0, fanOut: 0 });
  if (w.arch === 'lstm') {
    const u = LSTM_UNITS;
    for (const f of [1, u]) {
      out.push({ shape: [f, 4 * u], fanIn: f, fanOut: 4 * u }); // kernel, gates i f c o
      out.push({ shape: [u, 4 * u], fanIn: u, fanOut: 4 * u }); // recurrent kernel
      bias(4 * u);
    }
    out.push({ shape: [u, 1], fanIn: u, fanOut: 1 }); // timeDistributed(dense 1)
    bias(1);
    return out;
  }
  let c = 1;
  const k = CONV1D_KERNEL;
  for (const l of CONV1D_LAYERS) {
    // conv1d kernel [k, in, out]; conv1dTranspose [k, out, in] (Keras's layouts).
    out.push({ shape: l.transposed ? [k, l.filters, c] : [k, c, l.filters], fanIn: k * c, fanOut: k * l.filters });
    bias(l.filters);
    c = l.filters;
  }
  return out;
}

/** FLOPs per sample of a training step: 3x the forward GEMMs (forward, input and weight gradients). */
export function sequenceFlops(w: Workload): number {
  const T = w.window!;
  if (w.arch === 'lstm') {
    const u = LSTM_UNITS;
    const lstm = (f: number) => 2 * T * 4 * u * (f + u);
    return 3 * (lstm(1) + lstm(u) + 2 * T * u);
  }
  // Each layer's GEMM runs at its output length (convs) or its input length (transposed convs).
  let c = 1,
    len = T,
    fwd = 0;
  for (const l of CONV1D_LAYERS) {
    const gemmLen = l.transposed ? len : Math.ceil(len / l.stride);
    fwd += 2 * gemmLen * CONV1D_KERNEL * c * l.filters;
    len = l.transposed ? len * l.stride : Math.ceil(len / l.stride);
    c = l.filters;
  }
  return 3 * fwd;
}

/**
 * Synthetic windows, identical in bench/systems/pytorch_bench.py: two sines of periods 48 and 97
 * steps, each window starting 3 steps after the last (overlapping, as sliding windows do).
 */
export function sineWindows(rows: number, window: number): Float32Array {
  const out = new Float32Array(rows * window);
  for (let i = 0; i < rows; i++)
    for (let t = 0; t < window; t++) {
      const s = 3 * i + t;
      out[i * window + t] = 0.8 * Math.sin((2 * Math.PI * s) / 48) + 0.2 * Math.sin((2 * Math.PI * s) / 97);
    }
  return out;
}
