// The protobuf side of the ONNX export: ONNX's own message types (ModelProto, GraphProto, NodeProto,
// TensorProto) as the `onnx-proto` package generates them from onnx.proto with protobufjs, so the
// bytes are written by a maintained protobuf encoder, not by hand. Everything here is a thin
// constructor of those messages; the graph logic lives in graph_builder.ts.

import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/**
 * Opset 17 (ONNX 1.12): every op used here exists there with the attribute forms used (ReduceMean
 * takes `axes` as an attribute until opset 18), and onnxruntime has supported it for years.
 */
export const OPSET = 17;
/** IR version 8 is the one that goes with opset 17 (ONNX 1.12's IR). */
export const IR_VERSION = 8;

const Type = onnx.AttributeProto.AttributeType;

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: Type.INT, i }),
  ints: (name: string, ints: number[]): AttributeProto => ({ name, type: Type.INTS, ints }),
  float: (name: string, f: number): AttributeProto => ({ name, type: Type.FLOAT, f }),
  floats: (name: string, floats: number[]): AttributeProto => ({ name, type: Type.FLOATS, floats }),
  string: (name: string, s: string): AttributeProto => ({ name, type: Type.STRING, s: new TextEncoder().encode(s) }),
  strings: (name: string, strings: string[]): AttributeProto => ({
    name,
    type: Type.STRINGS,
    strings: strings.map((s) => new TextEncoder().encode(s)),
  }),
};

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  // rawData: the little-endian float32 bytes, the compact form readers expect for weights.
  const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

export function int64Tensor(name: string, values: number[]): TensorProto {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values };
}

/** A float tensor value whose first axis is the dynamic batch ('batch'). */
export function batchedFloatInfo(name: string, dims: number[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, ...dims.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}

export interface ModelParts {
  graphName: string;
  docString: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  producerVersion: string;
}

export function encodeModel(p: ModelParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'hourglass-ae',
    producerVersion: p.producerVersion,
    docString: p.docString,
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: p.graphName,
      node: p.nodes,
      initializer: p.initializers,
      input: p.inputs,
      output: p.outputs,
    },
  });
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`internal error: the ONNX model does not verify (${err})`);
  return onnx.ModelProto.encode(model).finish();
}
