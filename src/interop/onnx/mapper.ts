// What one layer family's op mapping receives and returns.

import type { Layer, Shape } from '../../layers/layer.js';
import type { OnnxGraphBuilder, Value } from './graph_builder.js';

export interface MapContext {
  builder: OnnxGraphBuilder;
  layer: Layer;
  /** The layer's inputs, in whatever layout they were left in. */
  inputs: Value[];
  /** The layer's Keras output shape (no batch axis). */
  outputShape: Shape;
  /** A readable base for the names of the nodes it adds (the layer's name). */
  base: string;
}

/** Adds the layer's nodes and returns its output value. */
export type LayerMapper = (ctx: MapContext) => Value;

/** A parameter's values as a plain copy (the arena's view can move when it grows). */
export const paramData = (p: { value: { view(): Float32Array } }): Float32Array => Float32Array.from(p.value.view());

/** Reorders a row-major tensor of shape `shape` so that output axis i is input axis perm[i]. */
export function permute(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((a) => shape[a]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = data[src]!;
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}
