// The IDX format of MNIST and Fashion-MNIST (big-endian header, then raw values), checked
// against its own header so a truncated or foreign file gets a clear error.

import { HourglassError } from '../engine/errors.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<
  number,
  { bytes: number; read: (v: DataView, o: number) => number; make: (n: number) => IdxArray['data'] }
> = {
  0x08: { bytes: 1, read: (v, o) => v.getUint8(o), make: (n) => new Uint8Array(n) },
  0x09: { bytes: 1, read: (v, o) => v.getInt8(o), make: (n) => new Int8Array(n) },
  0x0b: { bytes: 2, read: (v, o) => v.getInt16(o), make: (n) => new Int16Array(n) },
  0x0c: { bytes: 4, read: (v, o) => v.getInt32(o), make: (n) => new Int32Array(n) },
  0x0d: { bytes: 4, read: (v, o) => v.getFloat32(o), make: (n) => new Float32Array(n) },
  0x0e: { bytes: 8, read: (v, o) => v.getFloat64(o), make: (n) => new Float64Array(n) },
};

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const bad = (why: string) => new HourglassError(`${file} is not a valid IDX file: ${why}`);
  if (bytes.length < 4) throw bad('it is shorter than the 4-byte magic number');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== 0)
    throw bad('the magic number does not start with two zero bytes');
  const type = TYPES[view.getUint8(2)];
  if (!type) throw bad(`unknown value type 0x${view.getUint8(2).toString(16)}`);
  const rank = view.getUint8(3);
  if (rank === 0 || bytes.length < 4 + 4 * rank) throw bad(`its header is cut short (rank ${rank})`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  const expected = start + count * type.bytes;
  if (bytes.length !== expected)
    throw bad(
      `the header promises ${expected} bytes for [${dims.join(', ')}], the file has ${bytes.length}${bytes.length < expected ? ' (truncated)' : ''}`,
    );
  if (type.bytes === 1 && view.getUint8(2) === 0x08) return { dims, data: bytes.slice(start) };
  const data = type.make(count);
  for (let i = 0; i < count; i++) data[i] = type.read(view, start + i * type.bytes);
  return { dims, data };
}
