// Building an ONNX graph node by node: fresh names, constants as initializers, and the layout of
// every value.
//
// Layouts. Hourglass (as Keras) keeps images and sequences channels-last: [N, H, W, C] and
// [N, T, C]. ONNX's Conv, ConvTranspose, MaxPool, AveragePool and BatchNormalization only accept
// channels-first ([N, C, H, W], [N, C, T]). The exported model keeps the channels-last interface
// (its input and output are what predict() takes and returns), and inside it each value carries
// its layout: a layer that needs channels-first asks for it and gets a Transpose only when the
// value is not already so, and a layer that depends on the row-major channels-last order (dense
// on the last axis, reshape, flatten) asks for channels-last. Runs of convolutions, pooling and
// element-wise layers therefore stay channels-first with no Transpose between them.

import { attr, floatTensor, int64Tensor, type AttributeProto, type NodeProto, type TensorProto } from './proto.js';
import type { Shape } from '../../layers/layer.js';

export type Layout = 'channelsLast' | 'channelsFirst';

/** A tensor of the graph: its ONNX name, its Keras shape (no batch axis) and its layout. */
export interface Value {
  name: string;
  shape: Shape;
  layout: Layout;
}

/** Whether layout matters: only for values with spatial axes and channels (rank 3+ with batch). */
export const hasChannels = (shape: Shape): boolean => shape.length >= 2;

export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet, from a readable base (the layer name and a role). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./-]/g, '_');
    let name = clean,
      i = 1;
    while (this.used.has(name)) name = `${clean}_${i++}`;
    this.used.add(name);
    return name;
  }

  /** A float constant (weights, scales); its data is copied. */
  floatConstant(base: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.fresh(base);
    this.initializers.push(floatTensor(name, dims, Float32Array.from(data)));
    return name;
  }

  /** An int64 vector constant (shapes, pads, slice bounds: the inputs ONNX wants as int64). */
  int64Constant(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push(int64Tensor(name, values));
    return name;
  }

  /** Appends a node with one output and returns the output's name. */
  node(op: string, inputs: string[], base: string, attributes: AttributeProto[] = []): string {
    const output = this.fresh(base);
    this.nodes.push({
      opType: op,
      input: inputs,
      output: [output],
      name: this.fresh(`${base}/${op}`),
      attribute: attributes,
    });
    return output;
  }

  /**
   * Appends a node with several outputs; `wanted[i]` false leaves output i unnamed (ONNX's "not
   * asked for"), and its entry in the result is ''.
   */
  multiNode(
    op: string,
    inputs: string[],
    base: string,
    wanted: boolean[],
    attributes: AttributeProto[] = [],
  ): string[] {
    const outputs = wanted.map((w, i) => (w ? this.fresh(`${base}_${i}`) : ''));
    this.nodes.push({
      opType: op,
      input: inputs,
      output: outputs,
      name: this.fresh(`${base}/${op}`),
      attribute: attributes,
    });
    return outputs;
  }

  /** The same value channels-first ([N, C, spatial...]), transposing only when needed. */
  channelsFirst(v: Value, base: string): Value {
    if (!hasChannels(v.shape) || v.layout === 'channelsFirst') return { ...v, layout: 'channelsFirst' };
    const r = v.shape.length + 1;
    const perm = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
    return {
      name: this.node('Transpose', [v.name], `${base}/to_channels_first`, [attr.ints('perm', perm)]),
      shape: v.shape,
      layout: 'channelsFirst',
    };
  }

  /** The same value channels-last ([N, spatial..., C]), transposing only when needed. */
  channelsLast(v: Value, base: string): Value {
    if (!hasChannels(v.shape) || v.layout === 'channelsLast') return { ...v, layout: 'channelsLast' };
    const r = v.shape.length + 1;
    const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
    return {
      name: this.node('Transpose', [v.name], `${base}/to_channels_last`, [attr.ints('perm', perm)]),
      shape: v.shape,
      layout: 'channelsLast',
    };
  }

  /**
   * The ONNX axis of Keras axis `kerasAxis` (1-based over [batch, ...shape], as Keras counts) in
   * this value's layout.
   */
  axisOf(v: Value, kerasAxis: number): number {
    if (v.layout === 'channelsLast' || !hasChannels(v.shape)) return kerasAxis;
    const last = v.shape.length;
    return kerasAxis === last ? 1 : kerasAxis + 1;
  }

  /**
   * The dims to broadcast a per-channel vector of `c` values against this value: [c] when the
   * channels are last, [c, 1, ...] when first.
   */
  channelDims(v: Value, c: number): number[] {
    if (v.layout === 'channelsLast' || !hasChannels(v.shape)) return [c];
    return [c, ...v.shape.slice(0, -1).map(() => 1)];
  }
}
