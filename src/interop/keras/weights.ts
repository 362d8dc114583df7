// Finding each layer's saved variables, in Keras's order:
//   .keras: <path>/vars/0, 1, ... of the layer's group; a layer that keeps its variables in a
//     sub-object (LSTM/GRU in `cell`, TimeDistributed in `layer`) has them one group down.
//     Keras before 3.9 writes an empty vars group for every layer, later versions none.
//   .h5: the datasets named by the layer group's weight_names attribute, in that order; the
//     layers of a nested model share its group, all trainable weights first (Keras 2's order).

import { HourglassError } from '../../engine/errors.js';
import type { H5Array, H5File } from './hdf5.js';
import { attrStrings } from './hdf5.js';
import type { KerasLeaf } from './graph.js';
import type { KerasVariable } from './layer_map.js';

export interface LeafWeights {
  leaf: KerasLeaf;
  variables: KerasVariable[];
}

export interface AssignedVariable {
  leaf: KerasLeaf;
  variable: KerasVariable;
  value: H5Array;
  /** Where it was read, for messages. */
  path: string;
}

const isIndex = (k: string) => /^\d+$/.test(k);

function varsIn(file: H5File, group: string): { path: string; value: H5Array }[] {
  const vars = `${group}/vars`;
  return file
    .keys(vars)
    .filter(isIndex)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => ({ path: `${vars}/${k}`, value: file.floats(`${vars}/${k}`) }));
}

/** A layer's group: where saving_lib put it, or (files of tf.keras 2.13-2.15) under _layer_checkpoint_dependencies or the layer's name. */
function layerGroup(file: H5File, leaf: KerasLeaf, path: string, keras: string): string | null {
  const candidates = [path];
  // As saving_lib's own fallback for those files: every 'layers' step of the path renamed.
  candidates.push(path.replace(/(^|\/)layers(?=\/)/g, '$1_layer_checkpoint_dependencies'));
  candidates.push(path.replace(/[^/]+$/, keras));
  return candidates.find((c) => file.isGroup(c)) ?? null;
}

function kerasThreeVariables(file: H5File, leaf: KerasLeaf, path: string): { path: string; value: H5Array }[] {
  const group = layerGroup(file, leaf, path, leaf.name);
  if (group === null)
    throw new HourglassError(
      `${file.where}: no weights for layer '${leaf.name}' (${leaf.className}): the file has no group '${path}'`,
    );
  const own = varsIn(file, group);
  if (own.length) return own;
  const inner = file
    .keys(group)
    .filter((k) => k !== 'vars')
    .map((k) => varsIn(file, `${group}/${k}`))
    .filter((v) => v.length > 0);
  if (inner.length > 1)
    throw new HourglassError(
      `${file.where}: layer '${leaf.name}' (${leaf.className}) has variables in several sub-objects of '${group}'`,
    );
  return inner[0] ?? [];
}

function legacyVariables(file: H5File, group: string): { path: string; value: H5Array }[] {
  if (!file.isGroup(group)) throw new HourglassError(`${file.where}: no weights group '${group}'`);
  const attrs = file.attrs(group);
  // Keras splits attributes too long for an HDF5 header into weight_names0, weight_names1, ...
  let names = attrStrings(attrs['weight_names']);
  if (names === null && attrs['weight_names0'] !== undefined) {
    names = [];
    for (let k = 0; attrs[`weight_names${k}`] !== undefined; k++)
      names.push(...(attrStrings(attrs[`weight_names${k}`]) ?? []));
  }
  if (names === null) throw new HourglassError(`${file.where}: group '${group}' has no weight_names attribute`);
  return names.map((n) => {
    const path = `${group}/${n}`;
    if (!file.has(path)) throw new HourglassError(`${file.where}: weight '${n}' listed in '${group}' is missing`);
    return { path, value: file.floats(path) };
  });
}

/** Every leaf's variables paired with the arrays the file holds for them, counts checked. */
export function assignVariables(file: H5File, leaves: LeafWeights[]): AssignedVariable[] {
  const out: AssignedVariable[] = [];
  const legacyGroups = new Map<string, LeafWeights[]>();
  for (const lw of leaves) {
    const slot = lw.leaf.weights;
    if (slot.kind === 'group') {
      const list = legacyGroups.get(slot.group) ?? [];
      list.push(lw);
      legacyGroups.set(slot.group, list);
      continue;
    }
    // Keras 3.9+ writes no group for a layer without variables (Dropout, Flatten, ...).
    if (lw.variables.length === 0) continue;
    const found = kerasThreeVariables(file, lw.leaf, slot.path);
    if (found.length !== lw.variables.length)
      throw new HourglassError(
        `${file.where}: layer '${lw.leaf.name}' (${lw.leaf.className}) has ${found.length} saved variables, its config needs ${lw.variables.length}`,
      );
    lw.variables.forEach((variable, i) => out.push({ leaf: lw.leaf, variable, ...found[i]! }));
  }
  for (const [group, members] of legacyGroups) {
    const needed = members.flatMap((m) => m.variables.map((variable) => ({ leaf: m.leaf, variable })));
    if (needed.length === 0) continue;
    const ordered =
      members.length === 1
        ? needed
        : [...needed.filter((n) => n.variable.trainable), ...needed.filter((n) => !n.variable.trainable)];
    const found = legacyVariables(file, group);
    if (found.length !== ordered.length)
      throw new HourglassError(
        `${file.where}: '${group}' holds ${found.length} weights, the layers saved there (${members.map((m) => m.leaf.name).join(', ')}) need ${ordered.length}`,
      );
    ordered.forEach((n, i) => out.push({ ...n, ...found[i]! }));
  }
  return out;
}
