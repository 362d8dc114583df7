// hourglass import <tfjs folder> --out DIR: a TensorFlow.js layers model as a Hourglass model
// folder (the autoencoder record names the bottleneck as the code, see interop/tfjs/record.ts).

import { HourglassError } from '../engine/errors.js';
import { importTfjsFolder } from '../interop/tfjs/node_folder.js';
import { importedRecord } from '../interop/tfjs/record.js';
import { saveModel } from '../model/save.js';
import { checkOutputPath } from './files.js';
import { report } from './output.js';

export function importTfjsCommand(source: string, o: { out?: string; overwrite?: boolean; json?: boolean }): void {
  if (!o.out)
    throw new HourglassError(`${source} is a TensorFlow.js model: give --out <dir> for the Hourglass model folder`);
  checkOutputPath(o.out, o.overwrite ?? false, '--out');
  const { model, weights, source: origin } = importTfjsFolder(source);
  const record = importedRecord(model);
  saveModel(model, o.out, { autoencoder: record });
  report(
    o,
    [
      `imported ${source} (${origin}): ${model.layers.length - 1} layers, ${weights} weights, input [batch, ${model.input.shape.join(', ')}]`,
      `saved to ${o.out} (code layer '${record.codeLayer}')`,
    ],
    {
      command: 'import',
      format: 'tfjs',
      source,
      out: o.out,
      layers: model.layers.length - 1,
      weights,
      codeLayer: record.codeLayer,
    },
  );
}
