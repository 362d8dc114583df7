// Compression with an autoencoder: codes quantized per dimension (scale and offset) to 4, 8 or 16
// bits in a small container, rebuilt by the decoder. The container names its model by a
// fingerprint and carries a CRC-32, so a file from another model or a damaged file is refused.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../model/model.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { crc32 } from '../model/safetensors.js';

const MAGIC = [0x48, 0x47, 0x43, 0x31]; // "HGC1"
const VERSION = 1;
export type Bits = 4 | 8 | 16;

export interface Quantized {
  bits: Bits;
  rows: number;
  dims: number;
  scale: Float32Array;
  offset: Float32Array;
  levels: Uint16Array;
}

/** Per-dimension min/max quantization of codes [rows, dims] to 2^bits levels. */
export function quantize(codes: Tensor, bits: Bits): Quantized {
  const rows = codes.shape[0]!,
    dims = codes.data.length / rows,
    top = 2 ** bits - 1;
  const scale = new Float32Array(dims),
    offset = new Float32Array(dims),
    levels = new Uint16Array(rows * dims);
  for (let j = 0; j < dims; j++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = codes.data[r * dims + j]!;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    offset[j] = lo;
    scale[j] = hi > lo ? (hi - lo) / top : 1;
    for (let r = 0; r < rows; r++) levels[r * dims + j] = Math.round((codes.data[r * dims + j]! - lo) / scale[j]!);
  }
  return { bits, rows, dims, scale, offset, levels };
}

export function dequantize(q: Quantized): Tensor {
  const data = new Float32Array(q.rows * q.dims);
  for (let r = 0; r < q.rows; r++)
    for (let j = 0; j < q.dims; j++) data[r * q.dims + j] = q.offset[j]! + q.scale[j]! * q.levels[r * q.dims + j]!;
  return { data, shape: [q.rows, q.dims] };
}

/** Container: magic, version, bits, fingerprint, rows, dims, scale/offset, packed levels, CRC-32. */
export function encodeContainer(q: Quantized, fingerprint: number): Uint8Array {
  const packedBytes = Math.ceil((q.rows * q.dims * q.bits) / 8);
  const size = 4 + 1 + 1 + 4 + 4 + 4 + 8 * q.dims + packedBytes + 4;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  v.setUint8(4, VERSION);
  v.setUint8(5, q.bits);
  v.setUint32(6, fingerprint, true);
  v.setUint32(10, q.rows, true);
  v.setUint32(14, q.dims, true);
  let o = 18;
  for (let j = 0; j < q.dims; j++) {
    v.setFloat32(o, q.scale[j]!, true);
    v.setFloat32(o + 4, q.offset[j]!, true);
    o += 8;
  }
  for (let i = 0; i < q.levels.length; i++) {
    const l = q.levels[i]!;
    if (q.bits === 16) v.setUint16(o + 2 * i, l, true);
    else if (q.bits === 8) out[o + i] = l;
    else out[o + (i >> 1)]! |= i & 1 ? l << 4 : l;
  }
  v.setUint32(size - 4, crc32(out.subarray(0, size - 4)), true);
  return out;
}

export function decodeContainer(bytes: Uint8Array, fingerprint: number, file: string): Quantized {
  const bad = (why: string) => new HourglassError(`${file}: ${why}`);
  if (bytes.length < 22 || MAGIC.some((m, i) => bytes[i] !== m))
    throw bad('not an Hourglass compressed file (bad magic number)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint8(4) !== VERSION)
    throw bad(`format version ${v.getUint8(4)} is not supported (this Hourglass reads ${VERSION})`);
  const bits = v.getUint8(5);
  if (bits !== 4 && bits !== 8 && bits !== 16) throw bad(`invalid bit width ${bits}`);
  const rows = v.getUint32(10, true),
    dims = v.getUint32(14, true);
  const expected = 18 + 8 * dims + Math.ceil((rows * dims * bits) / 8) + 4;
  if (bytes.length !== expected)
    throw bad(
      `it has ${bytes.length} bytes, its header promises ${expected}${bytes.length < expected ? ' (truncated)' : ''}`,
    );
  if (v.getUint32(bytes.length - 4, true) !== crc32(bytes.subarray(0, bytes.length - 4)))
    throw bad('the checksum does not match (the file is corrupt)');
  if (v.getUint32(6, true) !== fingerprint) throw bad('it was compressed with a different model (fingerprints differ)');
  const scale = new Float32Array(dims),
    offset = new Float32Array(dims);
  let o = 18;
  for (let j = 0; j < dims; j++) {
    scale[j] = v.getFloat32(o, true);
    offset[j] = v.getFloat32(o + 4, true);
    o += 8;
  }
  const levels = new Uint16Array(rows * dims);
  for (let i = 0; i < levels.length; i++) {
    levels[i] =
      bits === 16
        ? v.getUint16(o + 2 * i, true)
        : bits === 8
          ? bytes[o + i]!
          : (bytes[o + (i >> 1)]! >> (i & 1 ? 4 : 0)) & 15;
  }
  return { bits: bits, rows, dims, scale, offset, levels };
}

export function meanSquaredError(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

/** Peak signal-to-noise ratio in dB for values in [0, 1]. */
export function psnr(a: Float32Array, b: Float32Array): number {
  return 10 * Math.log10(1 / meanSquaredError(a, b));
}

/** Rows to a container; also returns what decompressRows will rebuild, so its error can be reported. */
export function compressRows(
  ae: Autoencoder,
  x: Tensor,
  bits: Bits,
): { bytes: Uint8Array; quantized: Quantized; rebuilt: Tensor } {
  const quantized = quantize(ae.encode(x), bits);
  return {
    bytes: encodeContainer(quantized, modelFingerprint(ae.model)),
    quantized,
    rebuilt: ae.decode(dequantize(quantized)),
  };
}

/** Rows rebuilt from a container made with this model (refused otherwise). */
export function decompressRows(ae: Autoencoder, bytes: Uint8Array, file: string): Tensor {
  return ae.decode(dequantize(decodeContainer(bytes, modelFingerprint(ae.model), file)));
}

/** CRC-32 of every parameter's bytes: names the exact weights a container was made with. */
export function modelFingerprint(model: Model): number {
  const parts = model.params().map((p) => p.value.view());
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), o);
    o += p.byteLength;
  }
  return crc32(bytes);
}
