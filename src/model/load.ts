// Loading a model folder written by saveModel: the architecture from model.json, the weights and
// the optimizer state from weights.safetensors, every tensor checked against the model.
// modelFromFiles does the same from the two files' bytes (a zip, IndexedDB, a fetch).

import { HourglassError } from '../engine/errors.js';
import type { LossSpec } from '../losses/index.js';
import { resolveOptimizer } from '../optim/index.js';
import { fileStore } from '../platform/files.js';
import { Model } from './model.js';
import { decodeSafetensors, type NamedTensor } from './safetensors.js';
import { MODEL_FILE, WEIGHTS_FILE } from './save.js';
import { modelArgsFromJson, type ModelJson } from './serialize.js';
import { HISTORY_FILE, historyFromBytes } from './training_history.js';

export interface LoadedModel {
  model: Model;
  json: ModelJson;
}

export function loadModel(dir: string): LoadedModel {
  const store = fileStore();
  const files = store.readFolder(dir, (readPlain) => ({
    [MODEL_FILE]: readPlain(MODEL_FILE),
    [WEIGHTS_FILE]: readPlain(WEIGHTS_FILE),
    // Folders saved before history.json existed (or of untrained models) have none.
    ...(store.exists?.(`${dir}/${HISTORY_FILE}`) ? { [HISTORY_FILE]: readPlain(HISTORY_FILE) } : {}),
  }));
  return modelFromFiles(files, dir);
}

/**
 * A model from the bytes of its files (history.json is optional; other entries are ignored); `where` names their
 * folder (or zip, or IndexedDB key) in error messages, as `${where}/model.json`.
 */
export function modelFromFiles(files: Readonly<Record<string, Uint8Array>>, where: string): LoadedModel {
  const jsonPath = `${where}/${MODEL_FILE}`;
  const weightsPath = `${where}/${WEIGHTS_FILE}`;
  const jsonBytes = files[MODEL_FILE];
  const weightBytes = files[WEIGHTS_FILE];
  if (!jsonBytes) throw new HourglassError(`${where}: ${MODEL_FILE} is missing`);
  if (!weightBytes) throw new HourglassError(`${where}: ${WEIGHTS_FILE} is missing`);
  let parsed: unknown;
  try {
    // fatal: bytes that are not UTF-8 are damage, not text to patch with replacement characters.
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch (e) {
    if (e instanceof HourglassError) throw e;
    throw new HourglassError(`${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  const historyBytes = files[HISTORY_FILE];
  // Read before the model is built, so a damaged history leaves no weights behind.
  const history = historyBytes ? historyFromBytes(historyBytes, `${where}/${HISTORY_FILE}`) : null;
  // Checked before any layer allocates its weights, which a damaged file would then leave behind.
  const { tensors, metadata } = decodeSafetensors(weightBytes, weightsPath);
  const json = parsed as ModelJson;
  const compile = json.compile === undefined ? undefined : checkCompile(json.compile, jsonPath);
  const args = modelArgsFromJson(parsed, jsonPath);
  let model: Model | null = null;
  try {
    model = new Model(args);
    fillModel(model, tensors, metadata, compile, weightsPath, jsonPath);
  } catch (e) {
    // A load that fails must not keep the weights it allocated (a server loading many files).
    model?.dispose();
    for (const l of args.layers) l.dispose();
    throw e;
  }
  // Layers the outputs never reach (a hand-edited file) are not part of the model: free them.
  const used = new Set(model.layers);
  for (const l of args.layers) if (!used.has(l)) l.dispose();
  if (history) model.trainingHistory = history;
  return { model, json };
}

type CompileJson = NonNullable<ModelJson['compile']>;

/** The compile record of model.json, checked enough that compile() sees the types it takes. */
function checkCompile(c: unknown, jsonPath: string): CompileJson {
  const bad = (what: string) => new HourglassError(`${jsonPath}: its compile record has ${what}`);
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw bad('the wrong type (not an object)');
  const { optimizer, loss, metrics } = c as Record<string, unknown>;
  const named = (v: unknown) =>
    typeof v === 'string' ||
    (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string');
  if (
    !named(optimizer) ||
    (typeof optimizer === 'object' && typeof (optimizer as { learningRate?: unknown }).learningRate !== 'number')
  )
    throw bad('no valid optimizer (a name, or an object with a name and a learningRate)');
  if (!named(loss)) throw bad('no valid loss (a name or an object with a name)');
  if (metrics !== undefined && (!Array.isArray(metrics) || !metrics.every(named)))
    throw bad('invalid metrics (a list of names or objects with a name)');
  return c as CompileJson;
}

function fillModel(
  model: Model,
  tensors: Map<string, NamedTensor>,
  metadata: Record<string, string>,
  compile: CompileJson | undefined,
  weightsPath: string,
  jsonPath: string,
): void {
  const expected = new Set<string>();
  for (const layer of model.layers) {
    for (const p of layer.params) {
      const name = `${layer.name}/${p.name}`;
      expected.add(name);
      const t = tensors.get(name);
      if (!t) throw new HourglassError(`${weightsPath}: missing tensor '${name}'`);
      if (t.shape.join(',') !== p.shape.join(','))
        throw new HourglassError(
          `${weightsPath}: tensor '${name}' has shape [${t.shape.join(', ')}], the model needs [${p.shape.join(', ')}]`,
        );
      p.value.view().set(t.data);
    }
  }
  for (const name of tensors.keys()) {
    if (!name.startsWith('optimizer/') && !expected.has(name))
      throw new HourglassError(`${weightsPath}: tensor '${name}' belongs to no layer of ${jsonPath}`);
  }
  if (compile) {
    model.compile({
      optimizer: resolveOptimizer(compile.optimizer),
      loss: compile.loss as LossSpec,
      metrics: compile.metrics as LossSpec[],
    });
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
}
