// hourglass import: weights trained further in PyTorch (a folder from `hourglass export --format
// pytorch`, or its weights.safetensors) back into the Hourglass model folder they came from.

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
import { report, run } from '../output.js';

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
    .description('read weights trained in PyTorch (from hourglass export --format pytorch) back into a model folder')
    .argument('<source>', 'the exported PyTorch folder, or its weights.safetensors')
    .requiredOption('--into <dir>', 'the Hourglass model folder to update (the one that was exported)')
    .option('--json', 'print one JSON object as the last line')
    .action((source: string, o) =>
      run(async () => {
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
