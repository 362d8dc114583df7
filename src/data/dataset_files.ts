// Files as streaming datasets: each pass reads the file again from disk in chunks, so memory
// stays bounded whatever the file's size. Arrays (.npy, IDX, image folders) give rows of numbers;
// tables (CSV/TSV, NDJSON, Parquet row groups) give rows of text cells for the tabular
// preprocessing (see table_stream.ts).

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { HourglassError } from '../engine/errors.js';
import { Dataset } from './dataset.js';
import { parseNpyHeader } from './npy_read.js';
import { csvReader } from './csv_stream.js';
import { imageFiles, readImageRow, type ImageFolderOptions } from './images.js';
import { isMissing, isNumber } from './table.js';
import { tableFromJsonRows } from './json_table.js';
import { parquetCellText } from './parquet.js';

export interface ArrayFile {
  kind: 'array';
  rows: Dataset<Float32Array>;
  /**
   * The same values as `rows`, as blocks of whole rows (width values each), where the reader reads
   * in chunks: a consumer that loops over a block's rows itself saves an async step per row.
   */
  chunks?: Dataset<Float32Array>;
  /** Values per row. */
  width: number;
  count: number;
  /** Bytes of the file (progress and ETA). */
  bytes: number;
  image?: [number, number, number];
}

export interface TableFile {
  kind: 'table';
  columns: string[];
  cells: Dataset<string[]>;
  bytes: number;
  /** Known for Parquet (from its footer); counted while reading otherwise. */
  count?: number;
  /** Bytes of the file read so far in the current pass (progress; CSV/TSV and NDJSON). */
  position?: () => number;
}

export type StreamedFile = ArrayFile | TableFile;

/** Rows read per disk read for arrays: about 4 MB, so a read costs little against a step. */
const CHUNK_BYTES = 4 << 20;

export interface OpenOptions {
  /** Image folders: the size and channels each image is read at (default 28 x 28 grayscale). */
  imageSize?: [number, number];
  channels?: 1 | 3;
}

export async function openFile(file: string, o: OpenOptions = {}): Promise<StreamedFile> {
  if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such file or folder`);
  if (fs.statSync(file).isDirectory()) return openImageFolder(file, o);
  const lower = file.toLowerCase();
  const bytes = fs.statSync(file).size;
  if (lower.endsWith('.npy')) return openNpy(file);
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return openCsv(file, bytes);
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return openNdjson(file, bytes);
  if (lower.endsWith('.parquet')) return openParquet(file, bytes);
  if (lower.includes('idx') || lower.endsWith('ubyte')) return openIdx(file);
  throw new HourglassError(
    `${file}: cannot be streamed (stream .csv, .tsv, .ndjson, .parquet, .npy, IDX files or image folders)`,
  );
}

function readAt(fd: number, length: number, position: number): Uint8Array {
  const buf = new Uint8Array(length);
  const got = fs.readSync(fd, buf, 0, length, position);
  return got === length ? buf : buf.subarray(0, got);
}

/** Fixed-size rows at a byte offset, decoded `decode(view, byteOffset)` value by value, in blocks of whole rows. */
function fixedChunks(
  file: string,
  dataOffset: number,
  count: number,
  width: number,
  itemSize: number,
  decode: (v: DataView, o: number) => number,
  fastFloat32 = false,
): Dataset<Float32Array> {
  const rowBytes = width * itemSize;
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, rowBytes)));
  return Dataset.fromGenerator(async function* () {
    const fd = await fs.promises.open(file, 'r');
    try {
      for (let r = 0; r < count; r += perChunk) {
        const rows = Math.min(perChunk, count - r);
        const chunk = new Uint8Array(rows * rowBytes);
        const { bytesRead } = await fd.read(chunk, 0, chunk.length, dataOffset + r * rowBytes);
        if (bytesRead !== chunk.length) throw new HourglassError(`${file}: ended early (changed while reading?)`);
        // Little-endian float32 is the platform's own layout: the block is a view, no decoding.
        if (fastFloat32) {
          yield new Float32Array(chunk.buffer);
          continue;
        }
        const view = new DataView(chunk.buffer);
        const out = new Float32Array(rows * width);
        for (let i = 0; i < out.length; i++) out[i] = decode(view, i * itemSize);
        yield out;
      }
    } finally {
      await fd.close();
    }
  });
}

/** A block reader's rows, one view of its block each. */
function rowsOfChunks(chunks: Dataset<Float32Array>, width: number): Dataset<Float32Array> {
  return Dataset.fromGenerator(async function* () {
    for await (const block of chunks)
      for (let at = 0; at < block.length; at += width) yield block.subarray(at, at + width);
  });
}

/** An array file read in blocks: its rows and its blocks. */
function fixedArray(
  file: string,
  dataOffset: number,
  count: number,
  width: number,
  itemSize: number,
  decode: (v: DataView, o: number) => number,
  fastFloat32 = false,
): { rows: Dataset<Float32Array>; chunks?: Dataset<Float32Array> } {
  // Rows of no values have no blocks to count them by.
  if (width === 0)
    return {
      rows: Dataset.fromGenerator(function* () {
        for (let i = 0; i < count; i++) yield new Float32Array(0);
      }),
    };
  const chunks = fixedChunks(file, dataOffset, count, width, itemSize, decode, fastFloat32);
  return { rows: rowsOfChunks(chunks, width), chunks };
}

function openNpy(file: string): ArrayFile {
  const fd = fs.openSync(file, 'r');
  let head: Uint8Array;
  const bytes = fs.fstatSync(fd).size;
  try {
    const first = readAt(fd, 12, 0);
    // Versions 2 and 3 keep a 4-byte header length; read enough for either.
    const length =
      first.length >= 12
        ? first[6] === 1
          ? first[8]! | (first[9]! << 8)
          : new DataView(first.buffer).getUint32(8, true)
        : 0;
    head = readAt(fd, Math.min(bytes, 12 + length), 0);
  } finally {
    fs.closeSync(fd);
  }
  const h = parseNpyHeader(head, bytes, file);
  if (h.fortran && h.shape.length > 1)
    throw new HourglassError(
      `${file} is in Fortran order, whose rows are not contiguous: stream a C-order copy (numpy.ascontiguousarray) or read it without streaming`,
    );
  if (h.shape.length === 0) throw new HourglassError(`${file} holds a single number, not rows`);
  const [count, ...rest] = h.shape as [number, ...number[]];
  const width = rest.reduce((a, b) => a * b, 1);
  const byte = h.dtype === '|u1';
  const decode = byte ? (v: DataView, o: number) => v.getUint8(o) / 255 : h.read;
  const image: [number, number, number] | undefined = !byte
    ? undefined
    : rest.length === 2
      ? [rest[0]!, rest[1]!, 1]
      : rest.length === 3 && (rest[2] === 1 || rest[2] === 3)
        ? [rest[0]!, rest[1]!, rest[2]]
        : undefined;
  return {
    kind: 'array',
    ...fixedArray(file, h.dataOffset, count, width, h.itemSize, decode, h.dtype === '<f4'),
    width,
    count,
    bytes,
    ...(image ? { image } : {}),
  };
}

const IDX_TYPES: Record<number, [number, (v: DataView, o: number) => number]> = {
  0x08: [1, (v, o) => v.getUint8(o) / 255],
  0x09: [1, (v, o) => v.getInt8(o)],
  0x0b: [2, (v, o) => v.getInt16(o)],
  0x0c: [4, (v, o) => v.getInt32(o)],
  0x0d: [4, (v, o) => v.getFloat32(o)],
  0x0e: [8, (v, o) => v.getFloat64(o)],
};

function openIdx(file: string): ArrayFile {
  const bad = (why: string) => new HourglassError(`${file} is not a valid IDX file: ${why}`);
  const fd = fs.openSync(file, 'r');
  const bytes = fs.fstatSync(fd).size;
  let head: Uint8Array;
  try {
    head = readAt(fd, Math.min(bytes, 4 + 4 * 255), 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0)
    throw bad('the magic number does not start with two zero bytes');
  const type = IDX_TYPES[head[2]!];
  if (!type) throw bad(`unknown value type 0x${head[2]!.toString(16)}`);
  const rank = head[3]!;
  if (rank === 0 || head.length < 4 + 4 * rank) throw bad(`its header is cut short (rank ${rank})`);
  const view = new DataView(head.buffer);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const [count, ...rest] = dims as [number, ...number[]];
  const width = rest.reduce((a, b) => a * b, 1);
  const expected = 4 + 4 * rank + count * width * type[0];
  if (expected !== bytes)
    throw bad(`the header promises ${expected} bytes for [${dims.join(', ')}], the file has ${bytes}`);
  return {
    kind: 'array',
    ...fixedArray(file, 4 + 4 * rank, count, width, type[0], type[1]),
    width,
    count,
    bytes,
    ...(rest.length === 2 ? { image: [rest[0]!, rest[1]!, 1] as [number, number, number] } : {}),
  };
}

function openImageFolder(dir: string, o: OpenOptions): ArrayFile {
  const files = imageFiles(dir);
  const [height, width] = o.imageSize ?? [28, 28];
  const size: ImageFolderOptions = { height, width, channels: o.channels ?? 1 };
  const bytes = files.reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
  return {
    kind: 'array',
    rows: Dataset.fromGenerator(function* () {
      for (const f of files) yield readImageRow(path.join(dir, f), size);
    }),
    width: height * width * size.channels,
    count: files.length,
    bytes,
    image: [height, width, size.channels],
  };
}

/** Rows of a CSV/TSV file (see csv_stream.ts); the first row is a header unless all numbers. */
async function openCsv(file: string, bytes: number): Promise<TableFile> {
  const reader = csvReader(file, file.toLowerCase().endsWith('.tsv') ? '\t' : ',');
  let first: string[] | undefined;
  for await (const g of reader.groups()) {
    first = g[0];
    break;
  }
  if (!first) throw new HourglassError(`${file} has no rows`);
  const header = !first.every((c) => isNumber(c) || isMissing(c));
  const columns = header ? first : first.map((_, i) => `x${i}`);
  return {
    kind: 'table',
    columns,
    bytes,
    position: () => reader.position(),
    cells: Dataset.fromGenerator(async function* () {
      let skip = header;
      for await (const g of reader.groups()) {
        const start = skip ? 1 : 0;
        skip = false;
        for (let i = start; i < g.length; i++) yield g[i]!;
      }
    }),
  };
}

/** NDJSON: the columns are the first line's (its keys, or x0, x1, ... for arrays). */
async function openNdjson(file: string, bytes: number): Promise<TableFile> {
  let stream: fs.ReadStream | null = null;
  async function* lines(): AsyncGenerator<[unknown, number]> {
    stream = fs.createReadStream(file);
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    for await (const l of rl) {
      n++;
      if (l.trim() === '') continue;
      try {
        yield [JSON.parse(l), n];
      } catch (e) {
        throw new HourglassError(`${file}: line ${n} is not JSON (${(e as Error).message})`);
      }
    }
  }
  let first: [unknown, number] | undefined;
  for await (const l of lines()) {
    first = l;
    break;
  }
  if (!first) throw new HourglassError(`${file} has no rows`);
  const columns = tableFromJsonRows([first[0]], file, () => `line ${first[1]}`).columns;
  return {
    kind: 'table',
    columns,
    bytes,
    position: () => stream?.bytesRead ?? 0,
    cells: Dataset.fromGenerator(async function* () {
      for await (const [v, n] of lines()) {
        const row =
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(columns.map((c) => [c, (v as Record<string, unknown>)[c]]))
            : v;
        const t = tableFromJsonRows([row], file, () => `line ${n}`);
        if (t.rows[0]!.length !== columns.length)
          throw new HourglassError(
            `${file}: line ${n} has ${t.rows[0]!.length} values, the first line ${columns.length}`,
          );
        yield t.rows[0]!;
      }
    }),
  };
}

/** Parquet, one row group at a time (only that group's columns are resident). */
async function openParquet(file: string, bytes: number): Promise<TableFile> {
  const buffer = await asyncBufferFromFile(file);
  let meta;
  try {
    meta = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new HourglassError(`${file} is not a valid Parquet file: ${(e as Error).message}`);
  }
  const columns = parquetSchema(meta).children.map((c) => c.element.name);
  const groups = meta.row_groups.map((g) => Number(g.num_rows));
  const metadata = meta;
  return {
    kind: 'table',
    columns,
    bytes,
    count: Number(meta.num_rows),
    cells: Dataset.fromGenerator(async function* () {
      let start = 0;
      for (const n of groups) {
        const objects = await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: start + n });
        for (const o of objects) yield columns.map((c) => parquetCellText(o[c], c, file));
        start += n;
      }
    }),
  };
}
