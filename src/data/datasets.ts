// Resolving the <data> argument: a built-in name (mnist:train, fashion-mnist:test, ...) or a path
// (.csv, .tsv, .json, .ndjson, .parquet, .npy, .npz, IDX, a folder of PNG/JPEG images). Returns
// rows as a tensor, with labels and image size where known. Parquet decoding is asynchronous, so
// it is read by readDataset; loadDataset reads everything else synchronously.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { numericRows } from './csv.js';
import { parseTable, type Table } from './table.js';
import { parseIdx } from './idx.js';
import { loadMnist } from './mnist.js';
import { loadFashionMnist } from './fashion_mnist.js';
import { readImageFolder } from './images.js';
import { parseNpy, type NpyArray } from './npy_read.js';
import { parseNpz, splitNpzSpec } from './npz.js';
import { parseJsonTable, parseNdjsonTable } from './json_table.js';
import { readParquetTable } from './parquet.js';

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
  const { file: path, name: npzName } = splitNpzSpec(spec);
  if (!fs.existsSync(path))
    throw new HourglassError(`${path}: no such file or folder (and not a built-in dataset such as mnist:train)`);
  if (fs.statSync(path).isDirectory()) {
    const [h, w] = o.imageSize ?? [28, 28];
    const channels = o.channels ?? 1;
    const { x, files } = readImageFolder(path, { height: h, width: w, channels });
    return { name: path, x: { data: x.data, shape: [x.shape[0]!, h * w * channels] }, image: [h, w, channels], files };
  }
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv'))
    return tableDataset(spec, parseTable(fs.readFileSync(spec, 'utf8'), spec));
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl'))
    return tableDataset(spec, parseNdjsonTable(fs.readFileSync(spec, 'utf8'), spec));
  if (lower.endsWith('.json')) return tableDataset(spec, parseJsonTable(fs.readFileSync(spec, 'utf8'), spec));
  if (lower.endsWith('.npy')) return arrayDataset(spec, parseNpy(fs.readFileSync(spec), spec));
  if (lower.endsWith('.npz')) return arrayDataset(spec, parseNpz(fs.readFileSync(path), path, npzName));
  if (lower.endsWith('.parquet'))
    throw new HourglassError(`${spec}: Parquet files are read asynchronously; use readDataset (or the CLI)`);
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
  throw new HourglassError(`${spec}: unsupported file type (use ${FILE_TYPES})`);
}

export const FILE_TYPES = '.csv, .tsv, .json, .ndjson, .parquet, .npy, .npz[:array] or an IDX file';

/** Like loadDataset, and also reads Parquet files. */
export async function readDataset(spec: string, o: LoadOptions = {}): Promise<Dataset> {
  if (!spec.toLowerCase().endsWith('.parquet')) return loadDataset(spec, o);
  if (!fs.existsSync(spec)) throw new HourglassError(`${spec}: no such file`);
  return tableDataset(spec, await readParquetTable(fs.readFileSync(spec), spec));
}

/** A table read as text cells; read as numbers only when asked (a table with text is fine for a tabular model). */
function tableDataset(spec: string, table: Table): Dataset {
  let x: Tensor | null = null;
  return {
    name: spec,
    columns: table.columns,
    table,
    get x() {
      return (x ??= numericRows(table, spec));
    },
  };
}

/**
 * An array's first axis is the rows; the others are flattened. uint8 arrays are images, scaled to
 * [0, 1] as IDX files are: [n, h, w] grayscale, [n, h, w, 1 or 3] with channels.
 */
function arrayDataset(spec: string, a: NpyArray): Dataset {
  if (a.shape.length === 0) throw new HourglassError(`${spec} holds a single number, not rows`);
  const [n, ...rest] = a.shape as [number, ...number[]];
  const cols = rest.reduce((p, d) => p * d, 1);
  const isByte = a.dtype === '|u1';
  if (isByte) for (let i = 0; i < a.data.length; i++) a.data[i] = a.data[i]! / 255;
  const image: [number, number, number] | undefined = !isByte
    ? undefined
    : rest.length === 2
      ? [rest[0]!, rest[1]!, 1]
      : rest.length === 3 && (rest[2] === 1 || rest[2] === 3)
        ? [rest[0]!, rest[1]!, rest[2]]
        : undefined;
  return { name: spec, x: { data: a.data, shape: [n, cols] }, ...(image ? { image } : {}) };
}
