// hourglass denoise over a streamed file (see stream_data.ts): every row rebuilt a batch at a time
// and written as it is computed, so a file of any size is cleaned at bounded memory. Tables go to
// CSV in their own columns and units (the in-memory run's bytes), other rows to .csv/.json/.npy
// through the rows writer, images to a PNG grid of the first --grid images (only those are read)
// or a folder of PNG files named by their row (an image folder's own file names are not kept:
// the streamed reader does not carry them).

import path from 'node:path';
import { encodePng, writeImageGrid } from '../data/png.js';
import { openRowsWriter, type RowsWriter } from '../data/rows_writer.js';
import { csvCell } from '../data/table.js';
import { inverseRows } from '../data/tabular_preprocessing.js';
import { HourglassError } from '../engine/errors.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import { writeFileDurable } from '../platform/node_folder.js';
import { checkRowsFileName } from '../data/rows_file.js';
import { modelStream, StreamProgress, type ModelStream } from './stream_data.js';
import fs from 'node:fs';

export interface StreamedDenoise {
  rows: number;
  /** What was written, for the report line (e.g. "1000 rows of 30 columns"). */
  wrote: string;
}

type Image = [number, number, number];

/** Denoises `spec` into `out`; `grid` is the number of images a .png grid shows. */
export async function denoiseStream(
  ae: Autoencoder,
  spec: string,
  out: string,
  o: { grid: number },
  progress: boolean,
): Promise<StreamedDenoise> {
  const s = await modelStream(ae, spec);
  const image =
    (s.file.kind === 'array' ? s.file.image : undefined) ?? (ae.extra['image'] as Image | undefined) ?? undefined;
  const bar = new StreamProgress(progress);
  try {
    if (s.preprocessing) return await tableOut(ae, s, out, bar);
    if (image && (s.file.kind === 'array' ? s.file.width : 0) === image[0] * image[1] * image[2]) {
      // An image folder's pictures are drawn as read (dark on light), as the in-memory denoise does.
      const folder = fs.statSync(spec).isDirectory();
      if (/\.png$/i.test(out)) return await gridOut(ae, s, out, image, { grid: o.grid, folder }, bar);
      if (path.extname(out) !== '')
        throw new HourglassError(`--out ${out}: images go to a .png grid or a folder (a path without an extension)`);
      return await folderOut(ae, s, out, image, bar);
    }
    return await rowsOut(ae, s, out, bar);
  } finally {
    bar.stop();
  }
}

const rebuild = (ae: Autoencoder, x: { data: Float32Array; shape: number[] }) => ae.reconstruct(x).data;

async function tableOut(ae: Autoencoder, s: ModelStream, out: string, bar: StreamProgress): Promise<StreamedDenoise> {
  if (!/\.csv$/i.test(out)) throw new HourglassError(`--out ${out}: a table is written as a .csv file`);
  const p = s.preprocessing!;
  const writer = new DurableFileWriter(out);
  let rows = 0;
  try {
    writer.write(p.columns.map((c) => csvCell(c.name)).join(',') + '\n');
    for await (const b of s.batches) {
      const lines = inverseRows(p, rebuild(ae, b.x)).map((r) => r.map(csvCell).join(','));
      writer.write(lines.join('\n') + '\n');
      rows += b.x.shape[0]!;
      bar.update('Denoising', rows, s.file);
    }
    writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { rows, wrote: `${rows} rows of ${p.columns.length} columns` };
}

async function rowsOut(ae: Autoencoder, s: ModelStream, out: string, bar: StreamProgress): Promise<StreamedDenoise> {
  checkRowsFileName(out, '--out');
  let writer: RowsWriter | null = null;
  let dims = 0;
  try {
    for await (const b of s.batches) {
      const cleaned = rebuild(ae, b.x);
      dims = cleaned.length / b.x.shape[0]!;
      writer ??= openRowsWriter(out, dims, 'rows', 'x');
      writer.write(cleaned);
      bar.update('Denoising', writer.rows, s.file);
    }
    if (!writer) throw new HourglassError(`${s.file.kind === 'array' ? 'the file' : 'the table'} has no rows`);
    writer.finish();
  } catch (e) {
    writer?.abort();
    throw e;
  }
  return { rows: writer.rows, wrote: `${writer.rows} rows of ${dims} values` };
}

async function gridOut(
  ae: Autoencoder,
  s: ModelStream,
  out: string,
  [h, w, c]: Image,
  { grid, folder }: { grid: number; folder: boolean },
  bar: StreamProgress,
): Promise<StreamedDenoise> {
  const size = h * w * c;
  const inputs: Float32Array[] = [],
    cleaned: Float32Array[] = [];
  // Only the images the grid shows are read and rebuilt.
  for await (const b of s.batches) {
    const y = rebuild(ae, b.x);
    for (let i = 0; i < b.x.shape[0]! && inputs.length < grid; i++) {
      inputs.push(b.x.data.slice(i * size, (i + 1) * size));
      cleaned.push(y.slice(i * size, (i + 1) * size));
    }
    bar.update('Denoising', inputs.length, s.file);
    if (inputs.length >= grid) break;
  }
  const n = inputs.length,
    columns = Math.min(16, n);
  const gridRows: Float32Array[][] = [];
  for (let at = 0; at < n; at += columns)
    gridRows.push(inputs.slice(at, at + columns), cleaned.slice(at, at + columns));
  writeImageGrid(out, gridRows, {
    height: h,
    width: w,
    columns,
    channels: c as 1 | 3,
    scale: 2,
    ...(folder ? { invert: false } : {}),
  });
  return { rows: n, wrote: `a grid of ${n} images above their cleaned versions` };
}

async function folderOut(
  ae: Autoencoder,
  s: ModelStream,
  out: string,
  [h, w, c]: Image,
  bar: StreamProgress,
): Promise<StreamedDenoise> {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new HourglassError(`cannot write to ${out}: it is a file, not a folder`);
  fs.mkdirSync(out, { recursive: true });
  const size = h * w * c;
  const count = s.file.kind === 'array' ? s.file.count : 0;
  const digits = String(Math.max(0, count - 1)).length;
  let rows = 0;
  for await (const b of s.batches) {
    const y = rebuild(ae, b.x);
    for (let i = 0; i < b.x.shape[0]!; i++, rows++)
      writeFileDurable(
        path.join(out, `${String(rows).padStart(digits, '0')}.png`),
        encodePng(y.subarray(i * size, (i + 1) * size), h, w, c as 1 | 3),
      );
    bar.update('Denoising', rows, s.file);
  }
  return { rows, wrote: `${rows} PNG files` };
}
