// importKeras: a Keras model (.keras archive or legacy .h5) as an Hourglass Model with the same
// weights, so it predicts what Keras predicts and trains, saves and loads like any other. When it
// is an autoencoder (output shape = input shape), `extra` carries the record that makes the
// saved folder an autoencoder for every job (encode, evaluate, detect, ...), split at the code
// layer (code_layer.ts says how it is found).

import { HourglassError } from '../../engine/errors.js';
import { Model } from '../../model/model.js';
import { FORMAT, FORMAT_VERSION, modelArgsFromJson, type ModelJson } from '../../model/serialize.js';
import type { AutoencoderKind, AutoencoderRecord } from '../../models/autoencoder.js';
import { readKerasArchive } from './archive.js';
import { chooseCodeLayer, type CodeLayerReason } from './code_layer.js';
import { kerasGraph, type KerasLeaf } from './graph.js';
import { hourglassLayer, kerasVariables, type MappedLayer } from './layer_map.js';
import { assignVariables } from './weights.js';

export interface KerasImportOptions {
  /** Names the file in error messages (default 'model.keras'). */
  where?: string;
  /** The layer whose output is the code (default: found by name, else the narrowest layer). */
  codeLayer?: string;
}

export interface KerasImport {
  model: Model;
  /** For model.json's extra: the autoencoder record when the model is an autoencoder, else empty. */
  extra: Record<string, unknown>;
  /** The code layer and how it was chosen (null when the output shape differs from the input's). */
  code: { layer: string; reason: CodeLayerReason; shape: number[] } | null;
  format: 'keras' | 'h5';
  kerasVersion: string;
  /** Weight tensors read. */
  tensors: number;
}

/** The leaves the output depends on, input first (a Functional config holds only those, but be sure). */
function liveLeaves(leaves: KerasLeaf[], output: string, inputName: string, where: string): KerasLeaf[] {
  const byName = new Map(leaves.map((l) => [l.name, l]));
  const live: KerasLeaf[] = [];
  for (let at = output; at !== inputName;) {
    const leaf = byName.get(at);
    if (!leaf) throw new HourglassError(`${where}: the output does not follow from the input`);
    live.unshift(leaf);
    at = leaf.input;
  }
  return live;
}

function kindOf(rank: number): AutoencoderKind {
  return rank === 3 ? 'conv' : rank === 2 ? 'sequence' : 'dense';
}

export function importKeras(bytes: Uint8Array, options: KerasImportOptions = {}): KerasImport {
  const where = options.where ?? 'model.keras';
  const archive = readKerasArchive(bytes, where);
  const graph = kerasGraph(archive.config, archive.format === 'h5', where);
  if (graph.output === graph.inputName) throw new HourglassError(`${where}: the model has no layers`);
  const leaves = liveLeaves(graph.leaves, graph.output, graph.inputName, where);
  const mapped: MappedLayer[] = leaves.map((l) => hourglassLayer(l.className, l.name, l.config, where));
  const index = new Map<string, number>([[graph.inputName, 0]]);
  leaves.forEach((l, i) => index.set(l.name, i + 1));
  const json: ModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    name: graph.modelName,
    layers: [
      { className: 'InputLayer', name: graph.inputName, options: { shape: graph.inputShape } },
      ...mapped.map(({ className, name, options }) => ({ className, name, options })),
    ],
    nodes: [
      { layer: graph.inputName, inputs: [] },
      ...leaves.map((l) => ({ layer: l.name, inputs: [index.get(l.input)!] })),
    ],
    inputs: [0],
    outputs: [leaves.length],
  };
  const model = new Model(modelArgsFromJson(json, where));
  try {
    checkNormalizationAxes(model, mapped, where);
    const tensors = loadWeights(model, archive.weights, leaves, where);
    const inShape = model.input.shape;
    const outShape = model.output.shape;
    if (inShape.join(',') !== outShape.join(','))
      return { model, extra: {}, code: null, format: archive.format, kerasVersion: archive.kerasVersion, tensors };
    const choice = chooseCodeLayer(model, graph.nested, options.codeLayer, where);
    const record: AutoencoderRecord = {
      kind: kindOf(inShape.length),
      options: { importedFrom: archive.format === 'keras' ? 'keras' : 'keras-h5', kerasVersion: archive.kerasVersion },
      encodeLayer: choice.layer,
      codeLayer: choice.layer,
      outputActivation: model.output.layer.endsInSigmoid() ? 'sigmoid' : 'linear',
    };
    const node = model.graph.nodes.find((n) => n.layer.name === choice.layer)!;
    return {
      model,
      extra: { autoencoder: record },
      code: { ...choice, shape: [...node.shape] },
      format: archive.format,
      kerasVersion: archive.kerasVersion,
      tensors,
    };
  } catch (e) {
    // A file refused half-way must not leave the built model's memory behind.
    model.dispose();
    throw e;
  }
}

function checkNormalizationAxes(model: Model, mapped: MappedLayer[], where: string): void {
  for (const m of mapped) {
    if (m.axis === undefined || m.axis === -1) continue;
    const node = model.graph.nodes.find((n) => n.layer.name === m.name)!;
    // Keras counts the batch axis: the last axis of a [batch, ...shape] tensor is shape.length.
    if (m.axis !== node.shape.length)
      throw new HourglassError(
        `${where}: layer '${m.name}' (BatchNormalization) normalizes axis ${m.axis}; only the last axis (${node.shape.length} or -1) is supported`,
      );
  }
}

function loadWeights(
  model: Model,
  file: ReturnType<typeof readKerasArchive>['weights'],
  leaves: KerasLeaf[],
  where: string,
): number {
  const assigned = assignVariables(
    file,
    leaves.map((leaf) => ({ leaf, variables: kerasVariables(leaf.className, leaf.config) })),
  );
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  const staged: { view: Float32Array; data: Float32Array }[] = [];
  for (const a of assigned) {
    const layer = layers.get(a.leaf.name)!;
    const param = layer.params.find((p) => p.name === a.variable.param);
    if (!param) throw new HourglassError(`${where}: layer '${layer.name}' has no parameter ${a.variable.param}`);
    if (a.value.shape.join(',') !== param.shape.join(','))
      throw new HourglassError(
        `${where}: layer '${layer.name}' ${a.variable.param} has shape [${a.value.shape.join(', ')}] in the file (${a.path}), the layer needs [${param.shape.join(', ')}]`,
      );
    if (!a.value.data.every(Number.isFinite))
      throw new HourglassError(
        `${where}: layer '${layer.name}' ${a.variable.param} has NaN or infinite values (${a.path})`,
      );
    staged.push({ view: param.value.view(), data: a.value.data });
  }
  for (const s of staged) s.view.set(s.data);
  return staged.length;
}
