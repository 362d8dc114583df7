// Resolving the <data> argument: a built-in name (mnist:train, mnist:test) or a file path
// (.csv, .tsv, IDX). Returns rows as a tensor, with labels and image size where known.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { parseNumericCsv } from './csv.js';
import { parseIdx } from './idx.js';
import { loadMnist } from './mnist.js';

export interface Dataset {
  name: string;
  x: Tensor;
  labels?: Int32Array;
  /** [height, width] when rows are images. */
  image?: [number, number];
  columns?: string[];
}

export function loadDataset(spec: string): Dataset {
  const builtin = /^([a-z-]+):(train|test)$/.exec(spec);
  if (builtin) {
    if (builtin[1] !== 'mnist') throw new HourglassError(`unknown built-in dataset '${builtin[1]}' (available: mnist:train, mnist:test)`);
    const m = loadMnist(builtin[2] as 'train' | 'test');
    return { name: spec, x: m.images, labels: m.labels, image: [m.height, m.width] };
  }
  if (!fs.existsSync(spec)) throw new HourglassError(`${spec}: no such file (and not a built-in dataset such as mnist:train)`);
  if (fs.statSync(spec).isDirectory()) throw new HourglassError(`${spec} is a folder; give a .csv, .tsv or IDX file`);
  const lower = spec.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) {
    const t = parseNumericCsv(fs.readFileSync(spec, 'utf8'), spec);
    return { name: spec, x: t.data, columns: t.columns };
  }
  if (lower.includes('idx') || lower.endsWith('ubyte')) {
    const idx = parseIdx(fs.readFileSync(spec), spec);
    const [n, ...rest] = idx.dims as [number, ...number[]];
    const cols = rest.reduce((a, b) => a * b, 1);
    const scale = idx.data instanceof Uint8Array ? 1 / 255 : 1;
    return { name: spec, x: { data: Float32Array.from(idx.data, (v) => v * scale), shape: [n, cols] },
      ...(rest.length === 2 ? { image: [rest[0]!, rest[1]!] as [number, number] } : {}) };
  }
  throw new HourglassError(`${spec}: unsupported file type (use .csv, .tsv or an IDX file)`);
}
