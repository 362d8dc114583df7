// Reading NumPy .npy files (format versions 1 to 3): float, integer, unsigned and boolean types in
// either byte order, C or Fortran order, any rank. Values come back as float32 in C order; the
// header is checked against the file's size before anything is allocated, so a damaged or
// hostile header cannot ask for gigabytes.

import { HourglassError } from '../engine/errors.js';

export interface NpyArray {
  /** NumPy's dtype string as written, e.g. '<f4', '>i8', '|u1'. */
  dtype: string;
  shape: number[];
  /** Values in C (row-major) order. */
  data: Float32Array;
}

export interface NpyHeader {
  dtype: string;
  shape: number[];
  fortran: boolean;
  /** Byte offset of the first value. */
  dataOffset: number;
  /** Bytes per value. */
  itemSize: number;
  /** Reads value i (in file order) from a view over the data. */
  read: (v: DataView, byteOffset: number) => number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

type Reader = (v: DataView, o: number, little: boolean) => number;
const READERS: Record<string, [number, Reader]> = {
  f2: [2, (v, o, le) => halfToFloat(v.getUint16(o, le))],
  f4: [4, (v, o, le) => v.getFloat32(o, le)],
  f8: [8, (v, o, le) => v.getFloat64(o, le)],
  i1: [1, (v, o) => v.getInt8(o)],
  i2: [2, (v, o, le) => v.getInt16(o, le)],
  i4: [4, (v, o, le) => v.getInt32(o, le)],
  i8: [8, (v, o, le) => Number(v.getBigInt64(o, le))],
  u1: [1, (v, o) => v.getUint8(o)],
  u2: [2, (v, o, le) => v.getUint16(o, le)],
  u4: [4, (v, o, le) => v.getUint32(o, le)],
  u8: [8, (v, o, le) => Number(v.getBigUint64(o, le))],
  b1: [1, (v, o) => (v.getUint8(o) ? 1 : 0)],
};

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1,
    e = (h >> 10) & 0x1f,
    f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Parses the header of an .npy file; `fileSize` is checked against what the header promises. */
export function parseNpyHeader(bytes: Uint8Array, fileSize: number, file: string): NpyHeader {
  const bad = (why: string) => new HourglassError(`${file} is not a valid .npy file: ${why}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('it does not start with \\x93NUMPY');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`unknown format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw bad('its header is cut short');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset) throw bad('its header is cut short');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw bad(`its header lacks descr, fortran_order or shape: ${header.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw bad(`its shape (${shapeText}) is not a tuple of sizes`);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const reader = m ? READERS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !reader)
    throw new HourglassError(
      `${file}: unsupported .npy dtype '${descr}' (supported: float16/32/64, int8-64, uint8-64, bool)`,
    );
  // '=' is native order, little-endian on every platform Hourglass runs on; '|' is byte-sized.
  const little = m[1] !== '>';
  const [itemSize, read] = reader;
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = dataOffset + count * itemSize;
  if (fileSize !== expected)
    throw bad(
      `the header promises ${expected} bytes for shape (${shape.join(', ')}) of ${descr}, the file has ${fileSize}${fileSize < expected ? ' (truncated)' : ''}`,
    );
  return { dtype: descr, shape, fortran: fortran === 'True', dataOffset, itemSize, read: (v, o) => read(v, o, little) };
}

/** Values of a whole .npy file as float32 in C order. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const h = parseNpyHeader(bytes, bytes.length, file);
  const count = h.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, count * h.itemSize);
  const data = new Float32Array(count);
  if (!h.fortran || h.shape.length < 2) {
    for (let i = 0; i < count; i++) data[i] = h.read(view, i * h.itemSize);
    return { dtype: h.dtype, shape: h.shape, data };
  }
  // Fortran order: the first index varies fastest in the file. Walk the file in order and place
  // each value at its C-order position.
  const rank = h.shape.length;
  const cStride = new Array<number>(rank);
  cStride[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) cStride[d] = cStride[d + 1]! * h.shape[d + 1]!;
  const index = new Array<number>(rank).fill(0);
  let target = 0;
  for (let i = 0; i < count; i++) {
    data[target] = h.read(view, i * h.itemSize);
    for (let d = 0; d < rank; d++) {
      index[d]!++;
      target += cStride[d]!;
      if (index[d]! < h.shape[d]!) break;
      target -= index[d]! * cStride[d]!;
      index[d] = 0;
    }
  }
  return { dtype: h.dtype, shape: h.shape, data };
}
