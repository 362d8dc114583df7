// Compressing to a file and back. The file is the library's HGC1 container (src/apps/compress.ts):
// each row's code, quantized per code dimension (a scale and an offset each) to 4, 8 or 16 bits,
// with the model's fingerprint and a CRC-32. It is the library's own format, plain bytes built
// in the page (no Node), and small: the codes and 8 bytes per code dimension; the fingerprint and
// checksum refuse a file from another model or a damaged one with a clear message, rather than
// decoding nonsense. Only the model that wrote a file can read it back.

import {
  compressRows,
  decompressRows,
  formatTable,
  inverseRows,
  meanSquaredError,
  preprocessingOf,
  type Autoencoder,
  type Bits,
  type Tensor,
} from '../src/browser.js';
import type { Dataset } from './datasets.js';
import { drawDigits } from './digits.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export const COMPRESSED_FILE = 'hourglass-codes.hgc';

/** What the data takes as it ships: 8-bit pixels for images, the CSV's text for tables. */
function originalSize(d: Dataset, rows: number): { bytes: number; as: string } {
  if (d.kind === 'images') return { bytes: rows * d.height * d.width, as: 'its 8-bit pixels' };
  return { bytes: new TextEncoder().encode(formatTable(d.table)).length, as: 'the table as CSV text' };
}

export interface Compression {
  bytes: Uint8Array;
  /** Mean squared error per value of the rows rebuilt from the file (quantization included). */
  error: number;
}

/** Encodes the rows to a file's bytes and reports its size against the original's. */
export function compressData(ae: Autoencoder, d: Dataset, x: Tensor, bits: Bits): Compression {
  const { bytes, rebuilt } = compressRows(ae, x, bits);
  const error = meanSquaredError(rebuilt.data, x.data);
  const rows = x.shape[0]!;
  const original = originalSize(d, rows);
  const info = $('compress-info');
  info.textContent =
    `${rows} rows → ${bytes.length.toLocaleString('en')} bytes (${bits}-bit codes), ` +
    `${(original.bytes / bytes.length).toFixed(1)}× smaller than ${original.as} (${original.bytes.toLocaleString('en')} bytes); ` +
    `error after decoding ${error.toPrecision(4)} per value.`;
  info.dataset['bytes'] = String(bytes.length);
  return { bytes, error };
}

/** Decodes a file with the model and shows it beside the originals, with its size ratio and error. */
export function showDecoded(
  ae: Autoencoder,
  d: Dataset,
  x: Tensor,
  bytes: Uint8Array,
  file: string,
  reconstructionError: number,
): void {
  const decoded = decompressRows(ae, bytes, file);
  const rows = decoded.shape[0]!;
  const same = rows === x.shape[0] && decoded.data.length === x.data.length;
  const error = same ? meanSquaredError(decoded.data, x.data) : NaN;
  const original = originalSize(d, rows);
  const info = $('decoded-info');
  info.textContent =
    `Decoded ${rows} rows from ${file} (${bytes.length.toLocaleString('en')} bytes, ` +
    `${(original.bytes / bytes.length).toFixed(1)}× smaller than ${original.as}). ` +
    (same
      ? `Mean squared error against the data: ${error.toPrecision(4)} per value ` +
        `(the model's own reconstruction error: ${reconstructionError.toPrecision(4)}).`
      : `The data shown has ${x.shape[0]} rows, so there is no error to show.`);
  info.dataset['error'] = String(error);
  $('decoded-digits-figure').hidden = d.kind !== 'images';
  $('decoded-rows').hidden = d.kind !== 'table';
  if (d.kind === 'images') {
    const count = Math.min(10, rows);
    drawDigits($('decoded-digits'), x.data, decoded.data, d.height, d.width, count);
  } else showDecodedRows(ae, d, decoded);
}

/** A few rows and columns in the table's own units: original above decoded. */
function showDecodedRows(ae: Autoencoder, d: Dataset & { kind: 'table' }, decoded: Tensor): void {
  const p = preprocessingOf(ae) ?? d.preprocessing;
  const back = inverseRows(p, decoded.data);
  const columns = Math.min(6, p.columns.length);
  const table = $<HTMLTableElement>('decoded-table');
  const cell = (tag: 'th' | 'td', text: string) => {
    const e = document.createElement(tag);
    e.textContent = text;
    return e;
  };
  const head = document.createElement('tr');
  head.append(cell('th', 'Row'), cell('th', ''), ...p.columns.slice(0, columns).map((c) => cell('th', c.name)));
  table.tHead!.replaceChildren(head);
  const at = p.columns.slice(0, columns).map((c) => d.table.columns.indexOf(c.name));
  const rows: HTMLTableRowElement[] = [];
  for (let r = 0; r < Math.min(5, back.length, d.table.rows.length); r++) {
    const original = document.createElement('tr'),
      rebuilt = document.createElement('tr');
    rebuilt.className = 'decoded';
    original.append(
      cell('th', String(r + 1)),
      cell('td', 'original'),
      ...at.map((c) => cell('td', d.table.rows[r]![c]!)),
    );
    rebuilt.append(cell('th', ''), cell('td', 'decoded'), ...back[r]!.slice(0, columns).map((v) => cell('td', v)));
    rows.push(original, rebuilt);
  }
  table.tBodies[0]!.replaceChildren(...rows);
}
