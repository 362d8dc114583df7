// hourglass import model.keras|model.h5 --out DIR: a Keras model as an Hourglass model folder.
// An autoencoder (output shape = input shape) is saved with its encoder/decoder split, so
// encode, evaluate, detect, reconstruct and train accept the folder like one from `hourglass train`.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import { importKeras } from '../interop/keras/import.js';
import { saveModel } from '../model/save.js';
import { checkOutputPath } from './files.js';
import { report, type CommonFlags } from './output.js';

const REASONS = {
  option: 'given by --code-layer',
  encoder: "the output of the nested model named like 'encoder'",
  name: 'found by its name',
  narrowest: 'the narrowest layer',
};

/** A file that is a Keras model by its name or its first bytes (a zip, or HDF5). */
export function isKerasFile(source: string): boolean {
  if (/\.(keras|h5|hdf5)$/i.test(source)) return true;
  // A safetensors header length can begin with the bytes 'PK': that file is PyTorch's.
  if (/\.safetensors$/i.test(source)) return false;
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) return false;
  const head = Buffer.alloc(8);
  const fd = fs.openSync(source, 'r');
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  return (head[0] === 0x50 && head[1] === 0x4b) || head.subarray(1, 4).toString('latin1') === 'HDF';
}

export interface KerasImportFlags extends CommonFlags {
  out?: string;
  codeLayer?: string;
  overwrite?: boolean;
}

export function importKerasCommand(source: string, o: KerasImportFlags): void {
  if (!o.out) throw new HourglassError(`importing a Keras model needs --out DIR (the model folder to write)`);
  if (!fs.existsSync(source)) throw new HourglassError(`${source} does not exist`);
  if (!fs.statSync(source).isFile()) throw new HourglassError(`${source} is a folder, not a .keras or .h5 file`);
  checkOutputPath(o.out, o.overwrite ?? false, '--out');
  const result = importKeras(new Uint8Array(fs.readFileSync(source)), {
    where: source,
    ...(o.codeLayer !== undefined ? { codeLayer: o.codeLayer } : {}),
  });
  try {
    saveModel(result.model, o.out, result.extra);
    const model = result.model;
    const layers = model.layers.length - 1;
    const what = `${result.format === 'keras' ? '.keras' : 'legacy .h5'} file, Keras ${result.kerasVersion}`;
    const split = result.code
      ? `an autoencoder split at layer '${result.code.layer}' (${REASONS[result.code.reason]}; code of shape [${result.code.shape.join(', ')}])`
      : `a plain model (its output [${model.output.shape.join(', ')}] is not shaped like its input [${model.input.shape.join(', ')}], so it is no autoencoder)`;
    report(
      o,
      [`imported ${source} (${what}): ${layers} layers, ${result.tensors} weight tensors into ${o.out}`, `  ${split}`],
      {
        command: 'import',
        source,
        out: o.out,
        format: result.format,
        kerasVersion: result.kerasVersion,
        layers,
        tensors: result.tensors,
        inputShape: model.input.shape,
        outputShape: model.output.shape,
        codeLayer: result.code?.layer ?? null,
        codeLayerFoundBy: result.code?.reason ?? null,
        codeShape: result.code?.shape ?? null,
      },
    );
  } finally {
    result.model.dispose();
  }
}
