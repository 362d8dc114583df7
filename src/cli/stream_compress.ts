// compress and decompress over streamed files (see stream_data.ts): the container is written
// through a temporary file renamed over --out at the end, from two passes over the data (the
// quantization's ranges, then the levels: see apps/compress_stream.ts); decompress checks the
// container in one pass and writes the rebuilt rows a batch at a time. Memory stays bounded.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { size } from '../layers/layer.js';
import { compressStream, openContainer, type ByteSource } from '../apps/compress_stream.js';
import type { Bits } from '../apps/compress.js';
import { preprocessingOf, rowsToTable } from '../apps/tabular.js';
import { Dataset } from '../data/dataset.js';
import { openFile, type TableFile } from '../data/dataset_files.js';
import { openRowsWriter, type RowsWriter } from '../data/rows_writer.js';
import { csvCell, isMissing } from '../data/table.js';
import { rowPreparer } from '../data/table_stream.js';
import { inverseRows, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import { modelStream, STREAM_BATCH, StreamProgress } from './stream_data.js';

export interface StreamCompression {
  table: boolean;
  rows: number;
  dims: number;
  bits: Bits;
  bytes: number;
  /** Bytes the rows take uncompressed (as the in-memory compress counts them), and what that is. */
  raw: number;
  against: string;
  mse: number;
  psnr?: number;
}

interface TableBatch {
  x: Tensor;
  cells: string[][];
}

/** A table model's batches with their cells, so the error is measured in the table's own units. */
function tableBatches(p: TabularPreprocessing, file: TableFile, spec: string): Dataset<TableBatch> {
  const prepare = rowPreparer(p, file.columns, spec);
  return Dataset.fromGenerator(async function* () {
    let cells: string[][] = [],
      xs: Float32Array[] = [];
    const flush = (): TableBatch => {
      const width = xs[0]!.length;
      const x = new Float32Array(xs.length * width);
      xs.forEach((r, i) => x.set(r, i * width));
      const out = { x: { data: x, shape: [xs.length, width] }, cells };
      cells = [];
      xs = [];
      return out;
    };
    let i = 0;
    for await (const row of file.cells) {
      cells.push(row);
      xs.push(prepare(row, i++).x);
      if (xs.length === STREAM_BATCH) yield flush();
    }
    if (xs.length) yield flush();
  }).prefetch(2);
}

/** compress over a streamed <data>: the container in `out`, and the figures compress reports. */
export async function compressFileStream(
  ae: Autoencoder,
  spec: string,
  bits: Bits,
  out: string,
  progress: boolean,
): Promise<StreamCompression> {
  const p = preprocessingOf(ae);
  const bar = new StreamProgress(progress);
  const writer = new DurableFileWriter(out);
  let sum = 0,
    count = 0;
  try {
    if (p) {
      const file = await openFile(spec);
      if (file.kind !== 'table')
        throw new HourglassError(
          `${spec}: this model was trained on a table; give it a table (CSV, NDJSON or Parquet)`,
        );
      const at = p.columns.map((c) => file.columns.indexOf(c.name));
      const batches = tableBatches(p, file, spec);
      // As tableError: observed numeric cells against the rebuilt ones, in original units.
      const r = await compressStream(ae, batches, bits, (b) => writer.write(b), {
        onRebuilt: (b, rebuilt) => {
          const back = inverseRows(p, rebuilt.data);
          p.columns.forEach((c, ci) => {
            if (c.kind !== 'numeric') return;
            b.cells.forEach((row, k) => {
              const cell = row[at[ci]!]!;
              if (isMissing(cell)) return;
              sum += (Number(back[k]![ci]) - Number(cell)) ** 2;
              count++;
            });
          });
        },
        onProgress: (pass, rows) => bar.update(pass === 'ranges' ? 'Reading' : 'Compressing', rows, file),
      });
      writer.finish();
      return { ...r, raw: fs.statSync(spec).size, against: 'the CSV file', table: true, mse: count ? sum / count : 0 };
    }
    const s = await modelStream(ae, spec);
    const images = s.file.kind === 'array' && s.file.image !== undefined;
    const r = await compressStream(ae, s.batches, bits, (b) => writer.write(b), {
      onRebuilt: (b, rebuilt) => {
        // As meanSquaredError over every value, one running sum in the same order.
        for (let i = 0; i < b.x.data.length; i++) sum += (b.x.data[i]! - rebuilt.data[i]!) ** 2;
        count += b.x.data.length;
      },
      onProgress: (pass, rows) => bar.update(pass === 'ranges' ? 'Reading' : 'Compressing', rows, s.file),
    });
    writer.finish();
    const values = count;
    const mse = sum / values;
    const table = s.file.kind === 'table';
    return {
      ...r,
      raw: images ? values : table ? fs.statSync(spec).size : values * 4,
      against: images ? '8-bit pixels' : table ? 'the CSV file' : 'float32 values',
      table,
      mse,
      ...(images ? { psnr: 10 * Math.log10(1 / mse) } : {}),
    };
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    bar.stop();
  }
}

/** A file read at positions, for openContainer. */
function fileSource(file: string): ByteSource & { close(): void } {
  const fd = fs.openSync(file, 'r');
  return {
    length: fs.fstatSync(fd).size,
    read(position, length) {
      const out = Buffer.alloc(Math.max(0, length));
      let done = 0;
      while (done < out.length) {
        const n = fs.readSync(fd, out, done, out.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return new Uint8Array(out.buffer, out.byteOffset, done);
    },
    close: () => fs.closeSync(fd),
  };
}

/** decompress a batch of rows at a time into `out` (tables: CSV in their own columns). */
export async function decompressFileStream(
  ae: Autoencoder,
  file: string,
  out: string,
): Promise<{ rows: number; dims: number }> {
  if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such file`);
  const p = preprocessingOf(ae);
  const source = fileSource(file);
  let writer: DurableFileWriter | null = null;
  let rowsWriter: RowsWriter | null = null;
  try {
    const container = openContainer(ae, source, file);
    const dims = size(ae.model.output.shape);
    if (p) {
      writer = new DurableFileWriter(out);
      writer.write(p.columns.map((c) => csvCell(c.name)).join(',') + '\n');
    } else rowsWriter = openRowsWriter(out, dims, 'rows', 'x');
    let rows = 0;
    for await (const rebuilt of container.batches(STREAM_BATCH)) {
      // As formatTable(rowsToTable(...)) writes the whole table, a batch of lines at a time.
      if (writer)
        writer.write(
          rowsToTable(p!, rebuilt.data)
            .rows.map((r) => r.map(csvCell).join(','))
            .join('\n') + '\n',
        );
      else rowsWriter!.write(rebuilt.data);
      rows += rebuilt.shape[0]!;
    }
    writer?.finish();
    rowsWriter?.finish();
    return { rows, dims };
  } catch (e) {
    writer?.abort();
    rowsWriter?.abort();
    throw e;
  } finally {
    source.close();
  }
}
