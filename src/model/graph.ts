// The model graph: the layer applications between inputs and outputs in topological order,
// with the checks that the outputs really depend only on the given inputs.

import { HourglassError } from '../engine/errors.js';
import { InputLayer } from '../layers/input.js';
import type { Layer, SymbolicTensor } from '../layers/layer.js';

export interface Graph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** Every tensor, inputs first, each after the tensors it is computed from. */
  nodes: SymbolicTensor[];
  /** Distinct layers in first-use order (input layers included). */
  layers: Layer[];
}

export function buildGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): Graph {
  if (inputs.length === 0 || outputs.length === 0)
    throw new HourglassError('model needs at least one input and one output');
  const nodes: SymbolicTensor[] = [];
  const seen = new Set<SymbolicTensor>();
  const inputSet = new Set(inputs);
  const visit = (t: SymbolicTensor, path: string[]): void => {
    if (seen.has(t)) return;
    if (t.layer instanceof InputLayer && !inputSet.has(t)) {
      throw new HourglassError(
        `model output depends on input '${t.layer.name}', which is not among the model's inputs (path: ${[...path, t.layer.name].reverse().join(' -> ')})`,
      );
    }
    for (const i of t.inputs) visit(i, [...path, t.layer.name]);
    seen.add(t);
    nodes.push(t);
  };
  for (const t of inputs) {
    if (!(t.layer instanceof InputLayer))
      throw new HourglassError(
        `model inputs must come from input(); '${t.layer.name}' is a ${t.layer.className} output`,
      );
    seen.add(t);
    nodes.push(t);
  }
  for (const o of outputs) visit(o, []);
  const layers: Layer[] = [];
  for (const n of nodes) if (!layers.includes(n.layer)) layers.push(n.layer);
  return { inputs, outputs, nodes, layers };
}
