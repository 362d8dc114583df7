// model.json: the architecture as layers plus the graph of their applications, the compile
// config and the format version. Weights live beside it in weights.safetensors.

import { jsonPreview } from '../engine/json_preview.js';
import { HourglassError } from '../engine/errors.js';
import { input } from '../layers/input.js';
import { Layer, type SymbolicTensor } from '../layers/layer.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import { layerFromConfig, type LayerConfig } from './layer_config.js';
import type { ModelArgs, PlannedModel } from './model_types.js';

export const FORMAT = 'hourglass-model';
export const FORMAT_VERSION = 1;

interface NodeConfig {
  layer: string;
  inputs: number[];
}

export interface ModelJson {
  format: string;
  formatVersion: number;
  name: string;
  layers: LayerConfig[];
  /** Layer applications in order; inputs index earlier nodes. */
  nodes: NodeConfig[];
  inputs: number[];
  outputs: number[];
  compile?: { optimizer: OptimizerConfig; loss: object; metrics: object[] };
  /** Free-form data of higher-level code (preprocessing, presets), kept as is. */
  extra?: Record<string, unknown>;
}

export function modelToJson(model: PlannedModel, extra?: Record<string, unknown>): ModelJson {
  const nodes = model.graph.nodes;
  const index = new Map<SymbolicTensor, number>(nodes.map((n, i) => [n, i]));
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    name: model.name,
    layers: model.layers.map((l) => ({
      className: l.className,
      name: l.name,
      options: l.getOptions() as Record<string, unknown>,
    })),
    nodes: nodes.map((n) => ({ layer: n.layer.name, inputs: n.inputs.map((i) => index.get(i)!) })),
    inputs: model.graph.inputs.map((t) => index.get(t)!),
    outputs: model.graph.outputs.map((t) => index.get(t)!),
    ...(model.compiled ? { compile: model.compiled.config } : {}),
    ...(extra ? { extra } : {}),
  };
}

/**
 * Rebuilds the model's graph (fresh weights) from model.json; every field is checked. `layers`
 * lists every layer built, including any the outputs do not reach (the caller frees those).
 */
export function modelArgsFromJson(json: unknown, file: string): ModelArgs & { layers: Layer[] } {
  const bad = (why: string) => new HourglassError(`${file}: ${why}`);
  if (typeof json !== 'object' || json === null) throw bad('not a JSON object');
  const j = json as Partial<ModelJson>;
  if (j.format !== FORMAT) throw bad(`not an Hourglass model (format is ${jsonPreview(j.format)})`);
  if (j.formatVersion !== FORMAT_VERSION)
    throw bad(`format version ${j.formatVersion} is not supported (this Hourglass reads version ${FORMAT_VERSION})`);
  if (!Array.isArray(j.layers) || !Array.isArray(j.nodes) || !Array.isArray(j.inputs) || !Array.isArray(j.outputs))
    throw bad('missing layers, nodes, inputs or outputs');
  const layers = new Map<string, Layer | LayerConfig>();
  try {
    const args = buildGraph(j, layers, file, bad);
    return { ...args, layers: [...layers.values()].filter((l): l is Layer => l instanceof Layer) };
  } catch (e) {
    // Layers built before the damage was found hold weights: free them.
    for (const l of layers.values()) if (l instanceof Layer) l.dispose();
    throw e;
  }
}

function buildGraph(
  j: Partial<ModelJson>,
  layers: Map<string, Layer | LayerConfig>,
  file: string,
  bad: (why: string) => HourglassError,
): ModelArgs {
  for (const c of j.layers!) {
    if (typeof c?.name !== 'string' || typeof c.className !== 'string')
      throw bad('a layer lacks its name or className');
    if (layers.has(c.name)) throw bad(`layer name '${c.name}' appears twice`);
    layers.set(c.name, c.className === 'InputLayer' ? c : layerFromConfig(c, `${file}: layer '${c.name}'`));
  }
  const built: SymbolicTensor[] = [];
  j.nodes!.forEach((n, i) => {
    const l = layers.get(n?.layer);
    if (!l) throw bad(`node ${i} uses unknown layer '${n?.layer}'`);
    if (!Array.isArray(n.inputs) || n.inputs.some((k) => !Number.isInteger(k) || k < 0 || k >= i))
      throw bad(`node ${i} has invalid inputs`);
    if (!(l instanceof Layer)) {
      const shape = (l.options as { shape?: unknown } | null)?.shape;
      if (!Array.isArray(shape)) throw bad(`input layer '${l.name}' lacks its shape`);
      built.push(input(shape as number[], { name: l.name }));
      return;
    }
    built.push(l.apply(n.inputs.map((k) => built[k]!)));
  });
  const pick = (ids: number[]) =>
    ids.map((k) => {
      const t = built[k];
      if (!t) throw bad(`unknown node ${k}`);
      return t;
    });
  return { inputs: pick(j.inputs!), outputs: pick(j.outputs!), name: typeof j.name === 'string' ? j.name : 'model' };
}
