// importTfjs: a TensorFlow.js layers model (model.json + weight shards, see model_json.ts) as a
// Hourglass Model with its weights. Sequential and functional topologies (tfjs and Keras 2's
// inbound_nodes [[name, node, tensor, kwargs]], Keras 3's {args: [keras tensors]}) of single-input
// layers, one input and one output, fixed shapes but the batch. Weights are matched by layer name
// and the last part of their manifest name (dense_1/kernel, lstm/lstm_cell/recurrent_kernel);
// every weight must find its parameter and every parameter its weight.

import { HourglassError } from '../../engine/errors.js';
import { jsonPreview } from '../../engine/json_preview.js';
import { input } from '../../layers/input.js';
import type { Layer, SymbolicTensor } from '../../layers/layer.js';
import { Model } from '../../model/model.js';
import { batchNormAxis, kerasLayer, type KerasLayerConfig } from './keras_layers.js';
import { decodeWeights, parseModelJson, shardPaths, type NamedWeight, type TfjsModelJson } from './model_json.js';

export interface TfjsFiles {
  /** model.json's text (or its parsed object). */
  modelJson: string | object;
  /** The shard files by the paths model.json names (a leading './' is dropped). */
  shards: Map<string, Uint8Array> | Record<string, Uint8Array>;
}

export interface TfjsImportResult {
  model: Model;
  /** Weights read (manifest entries). */
  weights: number;
  /** Where the model.json says it came from (generatedBy / convertedBy). */
  source: string;
}

type Config = Record<string, unknown>;
// `file` names the model file in messages; the mapper adds the layer's name and class.
type MakeLayer = (k: KerasLayerConfig, name: string, file: string) => Layer;

/** Keras's weight names -> Hourglass parameter names. */
const PARAM_NAMES: Record<string, string> = {
  kernel: 'kernel',
  bias: 'bias',
  recurrent_kernel: 'recurrentKernel',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'moving_mean',
  moving_variance: 'moving_variance',
};

function modelConfig(topology: unknown, file: string): { className: string; config: Config } {
  const t = topology as Config;
  // model.save() writes the model config itself; the converter may wrap it in model_config.
  const m = (t['model_config'] ?? t) as Config;
  const className = m['class_name'];
  if (typeof className !== 'string' || typeof m['config'] !== 'object' || m['config'] === null)
    throw new HourglassError(`${file}: modelTopology has no model class_name/config`);
  return { className, config: m['config'] as Config };
}

function inputShape(c: Config, where: string): number[] {
  const s = (c['batch_input_shape'] ?? c['batch_shape']) as (number | null)[] | undefined;
  if (!Array.isArray(s)) return [];
  const rest = s.slice(1);
  if (!rest.every((d) => Number.isInteger(d) && (d as number) > 0))
    throw new HourglassError(
      `${where}: input shape [${s.map((d) => d ?? 'None').join(', ')}] has a free axis besides the batch (Hourglass needs fixed sizes)`,
    );
  return rest as number[];
}

const isObject = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

const layerName = (k: KerasLayerConfig): string => (k.config?.['name'] ?? k.name) as string;

/** The model config's layer list, each entry checked to be a named {class_name, config} object. */
function layerList(c: Config, file: string, kind: string): KerasLayerConfig[] {
  const list = c['layers'];
  if (!Array.isArray(list) || list.length === 0) throw new HourglassError(`${file}: the ${kind} model has no layers`);
  list.forEach((k: unknown, i) => {
    const at = `${file}: modelTopology layers[${i}]`;
    if (!isObject(k) || typeof k['class_name'] !== 'string')
      throw new HourglassError(`${at} must be a {class_name, config} object`);
    if (k['config'] !== undefined && !isObject(k['config'])) throw new HourglassError(`${at}.config must be an object`);
    const n = layerName(k as unknown as KerasLayerConfig);
    if (typeof n !== 'string' || n === '') throw new HourglassError(`${at} (${k['class_name']}) has no name`);
  });
  return list as KerasLayerConfig[];
}

/** A [layer, node, tensor] reference (Keras's inbound node entries, input_layers, keras_history). */
function tensorRef(r: unknown, where: string): [string, number, number] {
  if (!Array.isArray(r) || typeof r[0] !== 'string')
    throw new HourglassError(`${where}: ${jsonPreview(r)} is not a [layer name, node, tensor] reference`);
  const node = Number(r[1] ?? 0),
    tensor = Number(r[2] ?? 0);
  if (!Number.isSafeInteger(node) || node < 0 || !Number.isSafeInteger(tensor) || tensor < 0)
    throw new HourglassError(`${where}: ${jsonPreview(r)} names no node and tensor (non-negative integers)`);
  return [r[0], node, tensor];
}

function checkBatchNorm(k: KerasLayerConfig, t: SymbolicTensor, where: string): void {
  if (k.class_name !== 'BatchNormalization') return;
  const a = batchNormAxis(k.config, where);
  if (a !== -1 && a !== t.shape.length)
    throw new HourglassError(`${where}: normalizes axis ${a}; Hourglass normalizes the last (channels) axis only`);
}

function buildSequential(c: Config, file: string, make: MakeLayer): Model {
  const list = layerList(c, file, 'Sequential');
  let x: SymbolicTensor | null = null,
    t: SymbolicTensor | null = null;
  for (const k of list) {
    const name = layerName(k);
    const where = `${file}: layer '${name}' (${k.class_name})`;
    if (!t) {
      const shape = inputShape(k.config ?? {}, where);
      if (shape.length === 0) throw new HourglassError(`${where}: the first layer has no batch_input_shape`);
      x = t = input(shape, { name: k.class_name === 'InputLayer' ? name : 'input' });
      if (k.class_name === 'InputLayer') continue;
    } else if (k.class_name === 'InputLayer') throw new HourglassError(`${where}: a second InputLayer`);
    checkBatchNorm(k, t, where);
    t = make(k, name, file).apply(t);
  }
  return new Model({ inputs: x!, outputs: t!, name: typeof c['name'] === 'string' ? c['name'] : 'tfjs_model' });
}

/** The [layer, node, tensor] references of an inbound node, in both Keras formats. */
function inboundRefs(node: unknown, where: string): [string, number, number][] {
  if (Array.isArray(node)) return node.map((r) => tensorRef(r, where));
  const args = isObject(node) ? node['args'] : undefined;
  if (Array.isArray(args)) {
    const refs: [string, number, number][] = [];
    const visit = (a: unknown): void => {
      if (Array.isArray(a)) return a.forEach(visit);
      const h = isObject(a) && isObject(a['config']) ? a['config']['keras_history'] : undefined;
      if (Array.isArray(h)) refs.push(tensorRef(h, where));
    };
    visit(args);
    return refs;
  }
  throw new HourglassError(`${where}: inbound node ${jsonPreview(node)} is in no format known`);
}

function endpoints(v: unknown, key: string, file: string): [string, number, number] {
  const list = Array.isArray(v) && typeof v[0] === 'string' ? [v] : (v as unknown[]);
  if (!Array.isArray(list) || list.length !== 1)
    throw new HourglassError(
      `${file}: the model has ${Array.isArray(list) ? list.length : 'no'} ${key}; Hourglass models have one input and one output`,
    );
  return tensorRef(list[0], `${file}: ${key}`);
}

function buildFunctional(c: Config, file: string, make: MakeLayer): Model {
  const list = layerList(c, file, 'functional');
  const [inName] = endpoints(c['input_layers'], 'inputs', file);
  const [outName, outNode] = endpoints(c['output_layers'], 'outputs', file);
  const configs = new Map(list.map((k) => [layerName(k), k]));
  // Output tensors by "layer:node": layers are built when their input is known, in any order.
  const tensors = new Map<string, SymbolicTensor>();
  const built = new Map<string, Layer>();
  let x: SymbolicTensor | null = null;
  const resolve = (name: string, node: number, depth: number): SymbolicTensor => {
    const key = `${name}:${node}`;
    const have = tensors.get(key);
    if (have) return have;
    const k = configs.get(name);
    if (!k) throw new HourglassError(`${file}: a layer's input '${name}' is not a layer of the model`);
    const where = `${file}: layer '${name}' (${k.class_name})`;
    if (depth > list.length) throw new HourglassError(`${where}: the graph has a cycle`);
    let t: SymbolicTensor;
    if (k.class_name === 'InputLayer') {
      if (name !== inName) throw new HourglassError(`${where}: a second input; Hourglass models have one`);
      t = x = input(inputShape(k.config ?? {}, where), { name });
    } else {
      const nodes = Array.isArray(k.inbound_nodes) ? (k.inbound_nodes as unknown[]) : [];
      if (nodes.length !== 1)
        throw new HourglassError(`${where}: applied ${nodes.length} times; Hourglass applies each layer once`);
      const refs = inboundRefs(nodes[node], where);
      if (refs.length !== 1)
        throw new HourglassError(`${where}: takes ${refs.length} inputs; only single-input layers are supported`);
      const [n, i, ti] = refs[0]!;
      if (ti !== 0) throw new HourglassError(`${where}: takes output ${ti} of '${n}'; layers have one output`);
      const inT = resolve(n, i, depth + 1);
      checkBatchNorm(k, inT, where);
      const layer = make(k, name, file);
      built.set(name, layer);
      t = layer.apply(inT);
    }
    tensors.set(key, t);
    return t;
  };
  const out = resolve(outName, outNode, 0);
  if (!x) throw new HourglassError(`${file}: the output does not depend on the input '${inName}'`);
  const unused = list.map(layerName).filter((n) => !built.has(n) && n !== inName);
  if (unused.length > 0)
    throw new HourglassError(`${file}: layers ${unused.map((n) => `'${n}'`).join(', ')} do not lead to the output`);
  return new Model({ inputs: x, outputs: out, name: typeof c['name'] === 'string' ? c['name'] : 'tfjs_model' });
}

/** Puts each manifest weight into its parameter, all checked before any is written. */
function assignWeights(model: Model, weights: NamedWeight[], file: string): void {
  const byLayer = new Map<string, Layer>();
  for (const l of model.layers) {
    byLayer.set(l.name, l);
    // A TimeDistributed's weights may be named after its inner layer (Keras 2 does).
    const inner = (l as { layer?: Layer }).layer;
    if (l.className === 'TimeDistributed' && inner) byLayer.set(inner.name, l);
  }
  const staged: { view: Float32Array; data: Float32Array }[] = [];
  const filled = new Set<object>();
  for (const w of weights) {
    const parts = w.name.split('/');
    const layer = byLayer.get(parts[0]!);
    const param = layer?.params.find((p) => p.name === PARAM_NAMES[parts.at(-1)!]);
    if (!layer || !param)
      throw new HourglassError(`${file}: weight '${w.name}' belongs to no parameter of the model's layers`);
    if (filled.has(param)) throw new HourglassError(`${file}: weight '${w.name}' is given twice`);
    if (w.shape.join(',') !== param.shape.join(','))
      throw new HourglassError(
        `${file}: weight '${w.name}' has shape [${w.shape.join(', ')}], layer '${layer.name}' needs [${param.shape.join(', ')}]`,
      );
    if (!w.data.every(Number.isFinite))
      throw new HourglassError(`${file}: weight '${w.name}' has NaN or infinite values`);
    filled.add(param);
    staged.push({ view: param.value.view(), data: w.data });
  }
  for (const l of model.layers)
    for (const p of l.params) {
      // Keras leaves out beta without center and gamma without scale: Hourglass keeps them at 0 / 1, frozen.
      const optional =
        l.className === 'BatchNormalization' && !p.trainable && (p.name === 'beta' || p.name === 'gamma');
      if (!filled.has(p) && !optional) throw new HourglassError(`${file}: no weight for layer '${l.name}' ${p.name}`);
    }
  for (const s of staged) s.view.set(s.data);
}

export function importTfjs(files: TfjsFiles, file = 'model.json'): TfjsImportResult {
  const json: TfjsModelJson = parseModelJson(files.modelJson, file);
  const shards = files.shards instanceof Map ? files.shards : new Map(Object.entries(files.shards));
  const clean = new Map([...shards].map(([k, v]) => [k.replace(/^\.\//, ''), v]));
  shardPaths(json, file);
  const { className, config } = modelConfig(json.modelTopology, file);
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional')
    throw new HourglassError(`${file}: model class '${className}' is not supported (Sequential, Model/Functional)`);
  // Every layer made is kept, so an import that fails (in building or in its weights) frees the
  // weights they allocated, as a failed model-folder load does (a server importing many files).
  const made: Layer[] = [];
  const make: MakeLayer = (k, name, layerFile) => {
    const layer = kerasLayer(k, name, layerFile);
    made.push(layer);
    return layer;
  };
  let model: Model | null = null;
  let weights: NamedWeight[];
  try {
    model = className === 'Sequential' ? buildSequential(config, file, make) : buildFunctional(config, file, make);
    weights = decodeWeights(json, clean, file);
    assignWeights(model, weights, file);
  } catch (e) {
    model?.dispose();
    for (const l of made) l.dispose();
    throw e;
  }
  const source = [json.generatedBy, json.convertedBy].filter((s) => typeof s === 'string' && s).join(', ');
  return { model, weights: weights.length, source: source || 'unknown' };
}
