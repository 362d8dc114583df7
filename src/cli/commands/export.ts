// hourglass export: a trained model as an ONNX file (for ONNX Runtime, Triton, browsers) or as a
// PyTorch folder (model.py + weights.safetensors) to train further, e.g. on several machines.

import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { HourglassError } from '../../engine/errors.js';
import { exportOnnx, type ExportPart } from '../../interop/onnx/export.js';
import { exportPytorch } from '../../interop/pytorch/export.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { report, run } from '../output.js';
import { choice } from '../parse.js';

export function exportCommand(): Command {
  return new Command('export')
    .description('write the model as ONNX (--out model.onnx) or as a PyTorch folder (model.py + weights.safetensors)')
    .argument('<dir>', 'model folder (from hourglass train)')
    .requiredOption('--format <format>', 'onnx or pytorch', choice(['onnx', 'pytorch'] as const))
    .requiredOption('--out <path>', 'the .onnx file, or the folder for --format pytorch')
    .option(
      '--part <part>',
      'onnx: whole, encoder or decoder',
      choice(['whole', 'encoder', 'decoder'] as const),
      'whole',
    )
    .option(
      '--fold-preprocessing',
      'onnx: take and return raw table columns (scaling and missing cells folded in)',
      false,
    )
    .option('--overwrite', 'replace an existing --out file or folder', false)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (o.format === 'onnx') {
          const bytes = exportOnnx(ae, { part: o.part as ExportPart, foldPreprocessing: o.foldPreprocessing });
          writeFileAtomic(o.out, bytes);
          report(o, [`wrote the ${o.part} model as ONNX (opset 17, ${bytes.length} bytes) to ${o.out}`], {
            command: 'export',
            format: 'onnx',
            model: dir,
            part: o.part,
            out: o.out,
            bytes: bytes.length,
          });
          return;
        }
        if (o.part !== 'whole' || o.foldPreprocessing)
          throw new HourglassError(
            '--part and --fold-preprocessing are for --format onnx; PyTorch gets the whole network',
          );
        const { files, map } = exportPytorch(ae);
        fs.mkdirSync(o.out, { recursive: true });
        for (const [name, bytes] of Object.entries(files)) writeFileAtomic(path.join(o.out, name), bytes);
        report(
          o,
          [
            `wrote ${Object.keys(files).join(', ')} (${map.tensors.length} tensors) to ${o.out}`,
            `train it in PyTorch, save_weights(model, "${path.join(o.out, 'weights.safetensors')}"), then: hourglass import ${o.out} --into ${dir}`,
          ],
          {
            command: 'export',
            format: 'pytorch',
            model: dir,
            out: o.out,
            files: Object.keys(files),
            tensors: map.tensors.length,
          },
        );
      }),
    );
}
