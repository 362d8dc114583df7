// The shared initial weights: drawn once (Glorot uniform, seeded) and split per layer. Pure, so
// that the Node children (reading the runner's file) and the browser page (fetching it) cut the
// same bytes the same way.

import { Random } from '../src/engine/random.js';
import { sequenceParams } from './sequence_workloads.js';
import { convKernelShapes, layerSizes, type Workload } from './workloads.js';

/** [kernel, bias] per layer (Keras layouts), concatenated: Glorot-uniform kernels, zero biases. */
export function glorotWeights(w: Workload): Float32Array {
  const rng = new Random(2024);
  const parts: Float32Array[] = [];
  const layer = (fanIn: number, fanOut: number, kernel: number, units: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    parts.push(Float32Array.from({ length: kernel }, () => (rng.uniform() * 2 - 1) * limit));
    parts.push(new Float32Array(units));
  };
  if (w.kind === 'sequence')
    for (const p of sequenceParams(w)) {
      const n = p.shape.reduce((a, b) => a * b, 1);
      const limit = p.fanIn ? Math.sqrt(6 / (p.fanIn + p.fanOut)) : 0;
      parts.push(Float32Array.from({ length: n }, () => (limit ? (rng.uniform() * 2 - 1) * limit : 0)));
    }
  else if (w.kind === 'conv')
    for (const {
      kernel: [kh, kw, a, b],
      units,
    } of convKernelShapes(w))
      layer(kh * kw * a, kh * kw * b, kh * kw * a * b, units);
  else {
    const s = layerSizes(w);
    for (let i = 0; i + 1 < s.length; i++) layer(s[i]!, s[i + 1]!, s[i]! * s[i + 1]!, s[i + 1]!);
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Weights as [kernel, bias] per layer (Keras layouts), from the runner's concatenated float32s. */
export function splitWeights(all: Float32Array, w: Workload): Float32Array[] {
  const out: Float32Array[] = [];
  let o = 0;
  const take = (n: number) => {
    out.push(all.slice(o, o + n));
    o += n;
  };
  if (w.kind === 'sequence') {
    for (const p of sequenceParams(w)) take(p.shape.reduce((a, b) => a * b, 1));
    return out;
  }
  if (w.kind === 'conv') {
    for (const { kernel, units } of convKernelShapes(w)) {
      take(kernel.reduce((a, b) => a * b, 1));
      take(units);
    }
    return out;
  }
  const s = layerSizes(w);
  for (let i = 0; i + 1 < s.length; i++) {
    take(s[i]! * s[i + 1]!);
    take(s[i + 1]!);
  }
  return out;
}
