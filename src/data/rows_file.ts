// Writing rows of numbers as CSV (header prefix0, prefix1, ...), JSON ({shape, key: rows}) or
// NumPy .npy, chosen by the file extension: codes from encode, rows from decompress.

import { HourglassError } from '../engine/errors.js';
import { encodeNpy } from './npy.js';

/** Refuses a file name without a supported extension, naming the flag. */
export function checkRowsFileName(file: string, flag: string): void {
  if (!/\.(csv|json|npy)$/i.test(file))
    throw new HourglassError(`${flag} ${file}: use a .csv, .json or .npy file name`);
}

export function encodeRowsFile(
  data: Float32Array,
  rows: number,
  dims: number,
  file: string,
  key: string,
  prefix: string,
): string | Uint8Array {
  if (/\.npy$/i.test(file)) return encodeNpy(data, [rows, dims]);
  const row = (r: number) => Array.from(data.subarray(r * dims, (r + 1) * dims));
  if (/\.json$/i.test(file))
    return JSON.stringify({ shape: [rows, dims], [key]: Array.from({ length: rows }, (_, r) => row(r)) }) + '\n';
  const lines = [Array.from({ length: dims }, (_, i) => `${prefix}${i}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(row(r).join(','));
  return lines.join('\n') + '\n';
}
