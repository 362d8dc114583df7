// Saving and loading a model folder: model.json + weights.safetensors (with optimizer state,
// so training can continue), written atomically through the platform's file store.

import { HourglassError } from '../engine/errors.js';
import { fileStore } from '../platform/files.js';
import { resolveOptimizer } from '../optim/index.js';
import type { LossSpec } from '../losses/index.js';
import type { Model } from './model.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors.js';
import { modelFromJson, modelToJson, type ModelJson } from './serialize.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export function saveModel(model: Model, dir: string, extra?: Record<string, unknown>): void {
  const json = modelToJson(model, extra);
  const tensors: NamedTensor[] = [];
  for (const layer of model.layers) {
    for (const p of layer.params) tensors.push({ name: `${layer.name}/${p.name}`, shape: p.shape, data: p.value.view() });
  }
  const metadata: Record<string, string> = { format: 'hourglass-weights', formatVersion: '1' };
  const opt = model.compiled?.optimizer;
  if (opt) {
    metadata['optimizerIterations'] = String(opt.iterations);
    for (const layer of model.layers) {
      for (const p of layer.params) {
        const slots = opt.slots.get(p);
        slots?.forEach((s, i) => tensors.push({ name: `optimizer/${layer.name}/${p.name}/${opt.slotNames[i]}`, shape: p.shape, data: s.view() }));
      }
    }
  }
  fileStore().writeFolderAtomic(dir, {
    [MODEL_FILE]: JSON.stringify(json, null, 2) + '\n',
    [WEIGHTS_FILE]: encodeSafetensors(tensors, metadata),
  });
}

export interface LoadedModel { model: Model; json: ModelJson }

export function loadModel(dir: string): LoadedModel {
  const store = fileStore();
  const jsonPath = `${dir}/${MODEL_FILE}`;
  const weightsPath = `${dir}/${WEIGHTS_FILE}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(store.readFile(jsonPath)));
  } catch (e) {
    if (e instanceof HourglassError) throw e;
    throw new HourglassError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  const model = modelFromJson(parsed, jsonPath);
  const json = parsed as ModelJson;
  const { tensors, metadata } = decodeSafetensors(store.readFile(weightsPath), weightsPath);
  const expected = new Set<string>();
  for (const layer of model.layers) {
    for (const p of layer.params) {
      const name = `${layer.name}/${p.name}`;
      expected.add(name);
      const t = tensors.get(name);
      if (!t) throw new HourglassError(`${weightsPath}: missing tensor '${name}'`);
      if (t.shape.join(',') !== p.shape.join(',')) throw new HourglassError(`${weightsPath}: tensor '${name}' has shape [${t.shape.join(', ')}], the model needs [${p.shape.join(', ')}]`);
      p.value.view().set(t.data);
    }
  }
  for (const name of tensors.keys()) {
    if (!name.startsWith('optimizer/') && !expected.has(name)) throw new HourglassError(`${weightsPath}: tensor '${name}' belongs to no layer of ${jsonPath}`);
  }
  if (json.compile) {
    model.compile({ optimizer: resolveOptimizer(json.compile.optimizer), loss: json.compile.loss as LossSpec, metrics: json.compile.metrics as LossSpec[] });
    const opt = model.compiled!.optimizer;
    opt.iterations = Number(metadata['optimizerIterations'] ?? 0);
    for (const layer of model.layers) {
      for (const p of layer.params) {
        opt.slots.get(p)?.forEach((s, i) => {
          const t = tensors.get(`optimizer/${layer.name}/${p.name}/${opt.slotNames[i]}`);
          if (t && t.data.length === s.length) s.view().set(t.data);
        });
      }
    }
  }
  return { model, json };
}
