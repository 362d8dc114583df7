// hourglass import: weights trained further in PyTorch (a folder from `hourglass export --format
// hourglass import: weights trained further in PyTorch (a folder from `hourglass export --format
// pytorch`, or its weights.safetensors) back into the Hourglass model folder they came from; or a
// Keras model (.keras, legacy .h5, keras_import.ts) or a TensorFlow.js layers-model folder (model.json
// + shards, tfjs_import.ts) as a new model folder (--out).

import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { HourglassError } from '../../engine/errors.js';
import type { LossSpec } from '../../losses/index.js';
import { importPytorch } from '../../interop/pytorch/import.js';
import { PYTORCH_MAP_FILE, PYTORCH_WEIGHTS_FILE } from '../../interop/pytorch/export.js';
import { parsePytorchMap } from '../../interop/pytorch/map_file.js';
import { loadModel } from '../../model/load.js';
import { saveModel } from '../../model/save.js';
import { importKerasCommand, isKerasFile } from '../keras_import.js';
import { report, run } from '../output.js';
import { importTfjsCommand } from '../tfjs_import.js';
import { isTfjsFolder } from '../../interop/tfjs/node_folder.js';

function weightsFile(source: string): string {
  if (!fs.existsSync(source)) throw new HourglassError(`${source} does not exist`);
  if (fs.statSync(source).isFile()) return source;
  const file = path.join(source, PYTORCH_WEIGHTS_FILE);
  if (!fs.existsSync(file))
    throw new HourglassError(
      `${source} has no ${PYTORCH_WEIGHTS_FILE} (a folder from hourglass export --format pytorch)`,
    );
  return file;
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      'read a Keras model (.keras or legacy .h5) or a TensorFlow.js layers-model folder into a new model folder (--out), or weights trained in PyTorch (from hourglass export --format pytorch) back into a model folder (--into)',
    )
    .argument(
      '<source>',
      'a Keras .keras/.h5 file, a tfjs folder (model.json + shards), or the exported PyTorch folder or its weights.safetensors',
    )
    .option('--into <dir>', 'PyTorch: the Hourglass model folder to update (the one that was exported)')
    .option('--out <dir>', 'Keras / TensorFlow.js: the model folder to write')
    .option(
      '--code-layer <name>',
      "Keras: the layer whose output is the code (default: a layer named like 'code'/'latent', a nested 'encoder' model's output, else the narrowest layer)",
    )
    .option('--overwrite', 'Keras / TensorFlow.js: replace an existing --out folder', false)
    .option('--json', 'print one JSON object as the last line')
    .action((source: string, o) =>
      run(async () => {
        if (isKerasFile(source)) return importKerasCommand(source, o);
        if (isTfjsFolder(source)) return importTfjsCommand(source, o);
        if (!o.into)
          throw new HourglassError(
            `${source}: not a Keras file (.keras, .h5) or a TensorFlow.js folder; to read PyTorch weights back, pass --into DIR (the exported model folder)`,
          );
        const file = weightsFile(source);
        const { model, json } = loadModel(o.into);
        const mapFile = path.join(path.dirname(file), PYTORCH_MAP_FILE);
        if (fs.existsSync(mapFile)) {
          const map = parsePytorchMap(new Uint8Array(fs.readFileSync(mapFile)), mapFile);
          if (JSON.stringify(map.inputShape) !== JSON.stringify(model.input.shape))
            throw new HourglassError(
              `${mapFile}: exported from a model with input [batch, ${map.inputShape.join(', ')}], ${o.into} takes [batch, ${model.input.shape.join(', ')}]`,
            );
        }
        const result = importPytorch(model, new Uint8Array(fs.readFileSync(file)), file);
        // The optimizer's moments belonged to the weights before PyTorch: training restarts them.
        if (model.compiled)
          model.compile({
            optimizer: model.compiled.config.optimizer,
            loss: model.compiled.config.loss as LossSpec,
            metrics: model.compiled.config.metrics as LossSpec[],
          });
        saveModel(model, o.into, json.extra);
        report(
          o,
          [
            `read ${result.tensors} tensors from ${file} into ${o.into} (largest change ${result.maxChange.toPrecision(4)})`,
          ],
          {
            command: 'import',
            source: file,
            into: o.into,
            tensors: result.tensors,
            maxChange: result.maxChange,
          },
        );
      }),
    );
}
