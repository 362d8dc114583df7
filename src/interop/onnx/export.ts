// exportOnnx: a Hourglass model (or one part of an autoencoder) as an ONNX model file, opset 17,
// float32, with a dynamic batch axis. Its input is "input" and its output "output", both in the
// model's own channels-last shapes, so it is called exactly as predict() is.

import { HourglassError } from '../../engine/errors.js';
import { preprocessingOf } from '../../apps/tabular.js';
import type { TabularPreprocessing } from '../../data/tabular_preprocessing.js';
import { InputLayer } from '../../layers/input.js';
import type { SymbolicTensor } from '../../layers/layer.js';
import { Model } from '../../model/model.js';
import { Autoencoder } from '../../models/autoencoder.js';
import { OnnxGraphBuilder, type Value } from './graph_builder.js';
import { FIRST_INPUT_ONLY, ONNX_MAPPINGS } from './mapping_table.js';
import { foldInput, foldOutput, numericColumns } from './preprocessing.js';
import { batchedFloatInfo, encodeModel } from './proto.js';

export type ExportPart = 'whole' | 'encoder' | 'decoder';

export interface OnnxExportOptions {
  /** For an autoencoder: the whole network (default), the encoder or the decoder. */
  part?: ExportPart;
  /**
   * Fold the tabular preprocessing into the graph (raw numeric columns in and out; see
   * preprocessing.ts). Refused for models without one or with text columns.
   */
  foldPreprocessing?: boolean;
  /** The preprocessing to fold for a plain Model (an Autoencoder brings its own). */
  preprocessing?: TabularPreprocessing;
}

export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

function partOf(source: Model | Autoencoder, part: ExportPart): Model {
  if (source instanceof Model) {
    if (part !== 'whole') throw new HourglassError(`part '${part}' needs an autoencoder; a plain model exports whole`);
    return source;
  }
  if (part === 'whole') return source.model;
  if (part === 'encoder') return source.encoder();
  if (part === 'decoder') return source.decoder();
  throw new HourglassError(`part must be 'whole', 'encoder' or 'decoder', got ${JSON.stringify(part)}`);
}

/** The tensors the output needs, following only the mean of a sampling layer. */
function neededTensors(output: SymbolicTensor): Set<SymbolicTensor> {
  const needed = new Set<SymbolicTensor>();
  const visit = (t: SymbolicTensor): void => {
    if (needed.has(t)) return;
    needed.add(t);
    const inputs = FIRST_INPUT_ONLY.has(t.layer.className) ? t.inputs.slice(0, 1) : t.inputs;
    inputs.forEach(visit);
  };
  visit(output);
  return needed;
}

export function exportOnnx(source: Model | Autoencoder, options: OnnxExportOptions = {}): Uint8Array {
  const part = options.part ?? 'whole';
  const model = partOf(source, part);
  const unsupported = [
    ...new Set(
      model.layers
        .filter((l) => !(l instanceof InputLayer) && !ONNX_MAPPINGS[l.className])
        .map((l) => `${l.name} (${l.className})`),
    ),
  ];
  if (unsupported.length > 0)
    throw new HourglassError(
      `cannot export to ONNX: no ONNX mapping for layer${unsupported.length > 1 ? 's' : ''} ${unsupported.join(', ')}`,
    );

  let cols: ReturnType<typeof numericColumns> | null = null;
  if (options.foldPreprocessing) {
    const p = options.preprocessing ?? (source instanceof Autoencoder ? preprocessingOf(source) : null);
    if (!p) throw new HourglassError('this model has no tabular preprocessing to fold into the ONNX model');
    cols = numericColumns(p);
  }

  const b = new OnnxGraphBuilder();
  b.fresh(ONNX_INPUT);
  b.fresh(ONNX_OUTPUT);
  const values = new Map<SymbolicTensor, Value>();
  const needed = neededTensors(model.output);
  for (const t of model.graph.nodes) {
    if (!needed.has(t)) continue;
    if (t.layer instanceof InputLayer) {
      let v: Value = { name: ONNX_INPUT, shape: t.shape, layout: 'channelsLast' };
      if (cols && part !== 'decoder') v = foldInput(b, v, checkWidth(cols, t.shape, 'input'));
      values.set(t, v);
      continue;
    }
    const inputs = (FIRST_INPUT_ONLY.has(t.layer.className) ? t.inputs.slice(0, 1) : t.inputs).map((i) =>
      values.get(i)!,
    );
    const mapper = ONNX_MAPPINGS[t.layer.className]!;
    values.set(t, mapper({ builder: b, layer: t.layer, inputs, outputShape: t.shape, base: t.layer.name }));
  }
  let out = b.channelsLast(values.get(model.output)!, 'output');
  if (cols && part !== 'encoder') out = foldOutput(b, out, checkWidth(cols, model.output.shape, 'output'));
  // A named Identity gives the output a stable name whatever the last layer was (or none, when
  // every layer was the identity).
  b.nodes.push({ opType: 'Identity', input: [out.name], output: [ONNX_OUTPUT], name: 'output/Identity' });

  return encodeModel({
    graphName: model.name,
    docString: `Hourglass ${part === 'whole' ? 'model' : part} '${model.name}'. Input and output are channels-last as in Hourglass (Keras); the batch axis is dynamic.${cols ? ' The tabular preprocessing is folded in: raw numeric columns in and out.' : ''}`,
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [batchedFloatInfo(ONNX_INPUT, model.input.shape)],
    outputs: [batchedFloatInfo(ONNX_OUTPUT, model.output.shape)],
    producerVersion: '0.1.0',
  });
}

function checkWidth<T extends { center: number[] }>(cols: T, shape: number[], what: string): T {
  if (shape.length !== 1 || shape[0] !== cols.center.length)
    throw new HourglassError(
      `the preprocessing has ${cols.center.length} columns but the model's ${what} is [batch, ${shape.join(', ')}]`,
    );
  return cols;
}
