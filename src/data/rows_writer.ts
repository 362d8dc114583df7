// Rows of numbers written as they are computed (streaming encode and decompress), in the formats
// encodeRowsFile writes whole: CSV (header prefix0, prefix1, ...), JSON ({key: rows, shape}) or
// NumPy .npy. A .npy header holds the row count, unknown while a table streams: it is written
// with room to spare and rewritten in place at the end (same length, so the data stays put).

import { DurableFileWriter } from '../platform/durable_stream.js';

export interface RowsWriter {
  /** Appends `data.length / dims` rows. */
  write(data: Float32Array): void;
  /** Rows written so far. */
  readonly rows: number;
  finish(): void;
  abort(): void;
}

/** Header of a float32 C-order .npy of [rows, dims], padded to `length` bytes when given. */
function npyHeader(rows: number, dims: number, length?: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dims}), }`;
  // Room for a row count of 20 digits: the final header is never longer than the first.
  const total = length ?? Math.ceil((10 + header.length + 20 + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

export function openRowsWriter(file: string, dims: number, key: string, prefix: string): RowsWriter {
  const out = new DurableFileWriter(file);
  let rows = 0;
  const kind = /\.npy$/i.test(file) ? 'npy' : /\.json$/i.test(file) ? 'json' : 'csv';
  const headerLength = kind === 'npy' ? npyHeader(0, dims).length : 0;
  if (kind === 'npy') out.write(npyHeader(0, dims));
  else if (kind === 'json') out.write(`{${JSON.stringify(key)}:[`);
  else out.write(Array.from({ length: dims }, (_, i) => `${prefix}${i}`).join(',') + '\n');
  return {
    get rows() {
      return rows;
    },
    write(data) {
      const n = data.length / dims;
      if (n === 0) return;
      if (kind === 'npy') {
        // Float32Array is platform-endian; every platform Hourglass runs on is little-endian.
        out.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } else {
        const lines: string[] = [];
        for (let r = 0; r < n; r++) {
          const row = Array.from(data.subarray(r * dims, (r + 1) * dims)).join(',');
          lines.push(kind === 'json' ? `${rows + r ? ',' : ''}[${row}]` : row);
        }
        out.write(lines.join(kind === 'json' ? '' : '\n') + (kind === 'json' ? '' : '\n'));
      }
      rows += n;
    },
    finish() {
      if (kind === 'npy') out.writeAt(0, npyHeader(rows, dims, headerLength));
      else if (kind === 'json') out.write(`],"shape":[${rows},${dims}]}\n`);
      out.finish();
    },
    abort: () => out.abort(),
  };
}
