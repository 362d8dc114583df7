// A Keras model config (Sequential or Functional, Keras 3 or Keras 2 style, nested models
// flattened into their layers) as one chain of layer applications from one input: what the
// Hourglass graph is built from. Each leaf layer keeps where its weights are in the file.

import { HourglassError } from '../../engine/errors.js';
import { SUPPORTED } from './layer_map.js';

/** Where a leaf layer's weights are. */
export type WeightSlot =
  /** Keras 3: the layer's group in model.weights.h5 (its variables in <path>/vars/<i>). */
  | { kind: 'vars'; path: string }
  /** Legacy .h5: the top-level layer's group under model_weights, shared by a nested model's layers. */
  | { kind: 'group'; group: string };

export interface KerasLeaf {
  className: string;
  /** Unique in the flattened graph (a nested model's layer is prefixed when its name is taken). */
  name: string;
  config: Record<string, unknown>;
  /** The id of the tensor it is applied to: the input's or another leaf's name. */
  input: string;
  weights: WeightSlot;
}

export interface KerasGraph {
  modelName: string;
  inputName: string;
  /** Without the batch axis. */
  inputShape: number[];
  leaves: KerasLeaf[];
  /** The id of the output tensor. */
  output: string;
  /** Nested models (by their Keras name) -> the leaf that gives their output. */
  nested: Map<string, string>;
}

type Json = Record<string, unknown>;

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keras's naming.to_snake_case: the name saving_lib gives a layer's group (Conv2DTranspose -> conv2d_transpose). */
export function snakeCase(className: string): string {
  const plain = className.replace(/\W+/g, '');
  return plain
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The shape without its batch axis from batch_shape / batch_input_shape / shape, checked for fixed sizes. */
export function shapeOf(config: Json, where: string): number[] | null {
  const batch = config['batch_shape'] ?? config['batch_input_shape'];
  const raw: unknown[] | null = Array.isArray(batch)
    ? (batch as unknown[]).slice(1)
    : Array.isArray(config['shape'])
      ? (config['shape'] as unknown[])
      : null;
  if (raw === null) return null;
  if (raw.some((d) => d === null))
    throw new HourglassError(
      `${where}: input shape [${raw.map((d) => (d === null ? 'None' : JSON.stringify(d))).join(', ')}] has sizes left open (None); Hourglass needs every size fixed`,
    );
  if (!raw.every((d) => Number.isInteger(d) && (d as number) > 0))
    throw new HourglassError(`${where}: input shape ${JSON.stringify(raw)} is not a list of positive sizes`);
  return raw as number[];
}

interface Level {
  where: string;
  /** The weights prefix of this model's layers: 'layers' at the top, 'layers/sequential/layers' nested. */
  varsPrefix: string;
  /** For legacy files: the model_weights group a nested model's layers share (null at the top). */
  legacyGroup: string | null;
  legacy: boolean;
}

class Flattener {
  readonly leaves: KerasLeaf[] = [];
  readonly nested = new Map<string, string>();
  private readonly taken = new Set<string>();
  inputName = '';
  inputShape: number[] | null = null;

  constructor(private readonly file: string) {}

  uniqueName(name: string, owner: string | null): string {
    let n = owner && this.taken.has(name) ? `${owner}_${name}` : name;
    for (let k = 1; this.taken.has(n); k++) n = `${name}_${k}`;
    this.taken.add(n);
    return n;
  }

  /** Declares the graph's input (the outermost model's); a nested model's input binds to its caller's tensor. */
  topInput(name: string, shape: number[] | null): string {
    if (this.inputShape) throw new HourglassError(`${this.file}: models with several inputs are not supported`);
    this.inputName = this.uniqueName(name, null);
    this.inputShape = shape;
    return this.inputName;
  }

  /**
   * Adds a model's layers, applied to `input` (null: the top-level model, whose InputLayer
   * defines the input); returns the id of the model's output tensor.
   */
  model(spec: Json, input: string | null, level: Level): string {
    const cls = String(spec['class_name']);
    const config = isObject(spec['config']) ? spec['config'] : null;
    if (!config || !Array.isArray(config['layers']))
      throw new HourglassError(`${level.where}: the ${cls} config has no layers`);
    return cls === 'Sequential' ? this.sequential(spec, config, input, level) : this.functional(config, input, level);
  }

  private slotNames(level: Level) {
    const used = new Map<string, number>();
    return (className: string, layerName: string): WeightSlot => {
      if (level.legacy) return { kind: 'group', group: level.legacyGroup ?? `model_weights/${layerName}` };
      // saving_lib names a container's layers by class, numbering repeats: dense, dense_1, ...
      const base = snakeCase(className);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      return { kind: 'vars', path: `${level.varsPrefix}/${n === undefined ? base : `${base}_${n + 1}`}` };
    };
  }

  private sequential(spec: Json, config: Json, input: string | null, level: Level): string {
    const layers = config['layers'] as unknown[];
    const slot = this.slotNames(level);
    let current = input;
    layers.forEach((entry, i) => {
      const { cls, name, layerConfig } = entryOf(entry, `${level.where}: layer ${i + 1}`);
      if (cls === 'InputLayer') {
        // Sequential's weights list leaves its InputLayer out (models.Sequential.layers).
        if (current === null) current = this.topInput(name, shapeOf(layerConfig, `${level.where}: layer '${name}'`));
        return;
      }
      if (current === null) {
        // Keras 2 and built Sequential models without an InputLayer: the shape is on the first layer or the model.
        const build = isObject(spec['build_config']) ? spec['build_config']['input_shape'] : undefined;
        const shape =
          shapeOf(layerConfig, `${level.where}: layer '${name}'`) ??
          shapeOf({ batch_shape: config['build_input_shape'] ?? build }, `${level.where}`);
        if (!shape)
          throw new HourglassError(
            `${level.where}: the model has no input shape (no InputLayer, no batch_input_shape)`,
          );
        current = this.topInput(`${typeof config['name'] === 'string' ? config['name'] : 'model'}_input`, shape);
      }
      current = this.layer(entry as Json, cls, name, layerConfig, current, slot, level);
    });
    if (current === null) throw new HourglassError(`${level.where}: the Sequential model has no layers`);
    return current;
  }

  private functional(config: Json, input: string | null, level: Level): string {
    const layers = config['layers'] as unknown[];
    const slot = this.slotNames(level);
    const outputsOf = new Map<string, string>();
    const inputs = tensorRefs(config['input_layers'], `${level.where}: input_layers`);
    const outputs = tensorRefs(config['output_layers'], `${level.where}: output_layers`);
    if (inputs.length !== 1 || outputs.length !== 1)
      throw new HourglassError(
        `${level.where}: models with ${inputs.length} inputs and ${outputs.length} outputs are not supported (one input, one output)`,
      );
    layers.forEach((entry, i) => {
      const { cls, name, layerConfig } = entryOf(entry, `${level.where}: layer ${i + 1}`);
      const e = entry as Json;
      if (cls === 'InputLayer') {
        outputsOf.set(name, input ?? this.topInput(name, shapeOf(layerConfig, `${level.where}: layer '${name}'`)));
        return;
      }
      const calls = Array.isArray(e['inbound_nodes']) ? e['inbound_nodes'] : [];
      if (calls.length !== 1)
        throw new HourglassError(
          `${level.where}: layer '${name}' is applied ${calls.length} times; shared layers are not supported`,
        );
      const sources = callInputs(calls[0], `${level.where}: layer '${name}'`);
      if (sources.length !== 1)
        throw new HourglassError(
          `${level.where}: layer '${name}' (${cls}) takes ${sources.length} inputs; only layers with one input are supported`,
        );
      const source = outputsOf.get(sources[0]!);
      if (source === undefined)
        throw new HourglassError(
          `${level.where}: layer '${name}' is applied to '${sources[0]}', which comes later or does not exist`,
        );
      outputsOf.set(name, this.layer(e, cls, name, layerConfig, source, slot, level));
    });
    const out = outputsOf.get(outputs[0]!);
    if (out === undefined)
      throw new HourglassError(`${level.where}: the output layer '${outputs[0]}' is not among the layers`);
    return out;
  }

  private layer(
    entry: Json,
    cls: string,
    name: string,
    layerConfig: Json,
    input: string,
    slot: (className: string, layerName: string) => WeightSlot,
    level: Level,
  ): string {
    const weights = slot(cls, name);
    if (MODEL_CLASSES.has(cls)) {
      const out = this.model(entry, input, {
        where: `${level.where} > ${name}`,
        varsPrefix: weights.kind === 'vars' ? `${weights.path}/layers` : '',
        legacyGroup: weights.kind === 'group' ? weights.group : null,
        legacy: level.legacy,
      });
      this.nested.set(name, out);
      return out;
    }
    const owner = level.where.includes(' > ') ? level.where.slice(level.where.lastIndexOf(' > ') + 3) : null;
    const leafName = this.uniqueName(name, owner);
    this.leaves.push({ className: cls, name: leafName, config: layerConfig, input, weights });
    return leafName;
  }
}

/** One entry of a config's layers list: its class, name and config, checked. */
function entryOf(entry: unknown, where: string): { cls: string; name: string; layerConfig: Json } {
  if (!isObject(entry) || typeof entry['class_name'] !== 'string')
    throw new HourglassError(`${where}: not a layer entry (no class_name)`);
  const layerConfig = isObject(entry['config']) ? entry['config'] : {};
  const name = entry['name'] ?? layerConfig['name'];
  if (typeof name !== 'string' || name === '') throw new HourglassError(`${where}: the layer has no name`);
  // Refused here, before its inputs are looked at: the message names what is missing.
  if (!SUPPORTED.includes(entry['class_name']) && !MODEL_CLASSES.has(entry['class_name']))
    throw new HourglassError(
      `${where.replace(/: layer \d+$/, '')}: layer '${name}' is a ${entry['class_name']}, which Hourglass cannot import (supported: ${SUPPORTED.join(', ')})`,
    );
  return { cls: entry['class_name'], name, layerConfig };
}

/** [['input_layer', 0, 0]] or ['input_layer', 0, 0] (Keras writes both) -> layer names. */
function tensorRefs(value: unknown, where: string): string[] {
  // Inputs given as a dict ({name: tensor}) are saved as a dict of references.
  if (isObject(value)) return Object.values(value).flatMap((v) => tensorRefs(v, where));
  if (!Array.isArray(value)) throw new HourglassError(`${where}: missing`);
  if (typeof value[0] === 'string') return [value[0]];
  return value.map((v) => {
    if (!Array.isArray(v) || typeof v[0] !== 'string')
      throw new HourglassError(`${where}: not a list of layer references`);
    return v[0];
  });
}

/** The layers whose outputs one call takes: Keras 3 {args, kwargs} with __keras_tensor__ entries, or Keras 2 [[name, node, tensor, kwargs], ...]. */
function callInputs(call: unknown, where: string): string[] {
  if (Array.isArray(call)) {
    return call.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string')
        throw new HourglassError(`${where}: unreadable inbound node`);
      const kwargs: unknown = ref[3];
      if (isObject(kwargs) && Object.keys(kwargs).some((k) => k !== 'training' && kwargs[k] !== null))
        throw new HourglassError(`${where}: call arguments ${JSON.stringify(kwargs)} are not supported`);
      return ref[0];
    });
  }
  if (!isObject(call)) throw new HourglassError(`${where}: unreadable inbound node`);
  const found: string[] = [];
  collectTensors(call['args'], found);
  const fromKwargs: string[] = [];
  collectTensors(call['kwargs'], fromKwargs);
  if (fromKwargs.length)
    throw new HourglassError(
      `${where}: tensors passed as keyword arguments (${Object.keys(call['kwargs'] as Json).join(', ')}) are not supported`,
    );
  return found;
}

function collectTensors(v: unknown, out: string[]): void {
  if (Array.isArray(v)) v.forEach((x) => collectTensors(x, out));
  else if (isObject(v)) {
    if (v['class_name'] === '__keras_tensor__' && isObject(v['config'])) {
      const history = v['config']['keras_history'];
      if (Array.isArray(history) && typeof history[0] === 'string') out.push(history[0]);
      return;
    }
    Object.values(v).forEach((x) => collectTensors(x, out));
  }
}

export function kerasGraph(model: Json, legacy: boolean, where: string): KerasGraph {
  const cls = model['class_name'];
  if (typeof cls !== 'string') throw new HourglassError(`${where}: the model config has no class_name`);
  if (!MODEL_CLASSES.has(cls))
    throw new HourglassError(
      `${where}: a '${cls}' model cannot be imported: only Sequential and Functional models are (subclassed models save no graph)`,
    );
  const f = new Flattener(where);
  const output = f.model(model, null, { where, varsPrefix: 'layers', legacyGroup: null, legacy });
  if (!f.inputShape) throw new HourglassError(`${where}: the model's input has no shape`);
  const config = model['config'] as Json;
  return {
    modelName: typeof config['name'] === 'string' ? config['name'] : 'keras_model',
    inputName: f.inputName,
    inputShape: f.inputShape,
    leaves: f.leaves,
    output,
    nested: f.nested,
  };
}
