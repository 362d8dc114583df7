// Resolving the <data> argument: a built-in name (mnist:train, fashion-mnist:test, ...) or a path
// (.csv, .tsv, IDX, a folder of PNG/JPEG images). Returns rows as a tensor, with labels and image
// size where known.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { numericRows } from './csv.js';
import { parseTable, type Table } from './table.js';
import { parseIdx } from './idx.js';
import { loadMnist } from './mnist.js';
import { loadFashionMnist } from './fashion_mnist.js';
import { readImageFolder } from './images.js';

export interface Dataset {
  name: string;
  x: Tensor;
  labels?: Int32Array;
  /** [height, width, channels] when rows are images (x is then [n, h * w * c] or [n, h, w, c]). */
  image?: [number, number, number];
  columns?: string[];
  files?: string[];
  /** CSV/TSV files as text cells: tables with text columns or gaps go through tabular preprocessing. */
  table?: Table;
}

export interface LoadOptions {
  /** For image folders: the size every image is resized to, and grayscale (1) or RGB (3). */
  imageSize?: [number, number];
  channels?: 1 | 3;
}

export function loadDataset(spec: string, o: LoadOptions = {}): Dataset {
  const builtin = /^([a-z-]+):(train|test)$/.exec(spec);
  if (builtin) {
    const split = builtin[2] as 'train' | 'test';
    const m =
      builtin[1] === 'mnist' ? loadMnist(split) : builtin[1] === 'fashion-mnist' ? loadFashionMnist(split) : null;
    if (!m)
      throw new HourglassError(
        `unknown built-in dataset '${builtin[1]}' (available: mnist:train, mnist:test, fashion-mnist:train, fashion-mnist:test)`,
      );
    return { name: spec, x: m.images, labels: m.labels, image: [m.height, m.width, 1] };
  }
  if (!fs.existsSync(spec))
    throw new HourglassError(`${spec}: no such file or folder (and not a built-in dataset such as mnist:train)`);
  if (fs.statSync(spec).isDirectory()) {
    const [h, w] = o.imageSize ?? [28, 28];
    const channels = o.channels ?? 1;
    const { x, files } = readImageFolder(spec, { height: h, width: w, channels });
    return { name: spec, x: { data: x.data, shape: [x.shape[0]!, h * w * channels] }, image: [h, w, channels], files };
  }
  const lower = spec.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) {
    const table = parseTable(fs.readFileSync(spec, 'utf8'), spec);
    let x: Tensor | null = null;
    // Read as numbers only when asked: a table with text cells is fine for a tabular model.
    return {
      name: spec,
      columns: table.columns,
      table,
      get x() {
        return (x ??= numericRows(table, spec));
      },
    };
  }
  if (lower.includes('idx') || lower.endsWith('ubyte')) {
    const idx = parseIdx(fs.readFileSync(spec), spec);
    const [n, ...rest] = idx.dims as [number, ...number[]];
    const cols = rest.reduce((a, b) => a * b, 1);
    const scale = idx.data instanceof Uint8Array ? 1 / 255 : 1;
    return {
      name: spec,
      x: { data: Float32Array.from(idx.data, (v) => v * scale), shape: [n, cols] },
      ...(rest.length === 2 ? { image: [rest[0]!, rest[1]!, 1] as [number, number, number] } : {}),
    };
  }
  throw new HourglassError(`${spec}: unsupported file type (use .csv, .tsv or an IDX file)`);
}
