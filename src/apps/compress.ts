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
    dims = codes.data.length / rows;
  const range = new CodeRange(dims);
  range.add(codes.data);
  const { scale, offset } = range.quantization(bits);
  const levels = new Uint16Array(rows * dims);
  quantizeInto(codes.data, scale, offset, levels);
  return { bits, rows, dims, scale, offset, levels };
}

/** Each code dimension's least and greatest value over the rows added (in any batches). */
export class CodeRange {
  readonly lo: Float64Array;
  readonly hi: Float64Array;

  constructor(readonly dims: number) {
    this.lo = new Float64Array(dims).fill(Infinity);
    this.hi = new Float64Array(dims).fill(-Infinity);
  }

  add(codes: Float32Array): void {
    const d = this.dims;
    for (let i = 0; i < codes.length; i++) {
      const j = i % d,
        v = codes[i]!;
      this.lo[j] = Math.min(this.lo[j]!, v);
      this.hi[j] = Math.max(this.hi[j]!, v);
    }
  }

  /** Scale and offset of each dimension's 2^bits levels (a constant dimension gets scale 1). */
  quantization(bits: Bits): { scale: Float32Array; offset: Float32Array } {
    const top = 2 ** bits - 1;
    const scale = new Float32Array(this.dims),
      offset = new Float32Array(this.dims);
    for (let j = 0; j < this.dims; j++) {
      const lo = this.lo[j]!,
        hi = this.hi[j]!;
      offset[j] = lo;
      scale[j] = hi > lo ? (hi - lo) / top : 1;
    }
    return { scale, offset };
  }
}

/** Levels of codes [n, dims] (written into `levels`, whose Uint16 conversion is the format's). */
export function quantizeInto(
  codes: Float32Array,
  scale: Float32Array,
  offset: Float32Array,
  levels: Uint16Array,
): void {
  const dims = scale.length;
  for (let i = 0; i < codes.length; i++) {
    const j = i % dims;
    // offset[j] is the dimension's least code exactly: codes are float32.
    levels[i] = Math.round((codes[i]! - offset[j]!) / scale[j]!);
  }
}

export function dequantize(q: Quantized): Tensor {
  const data = new Float32Array(q.rows * q.dims);
  for (let r = 0; r < q.rows; r++)
    for (let j = 0; j < q.dims; j++) data[r * q.dims + j] = q.offset[j]! + q.scale[j]! * q.levels[r * q.dims + j]!;
  return { data, shape: [q.rows, q.dims] };
}

/** Bytes of the container before its packed levels: the fixed header, then scale/offset pairs. */
export const containerHeadBytes = (dims: number) => 18 + 8 * dims;

/** Bytes of the packed levels of rows x dims codes at `bits` bits. */
export const packedBytes = (rows: number, dims: number, bits: Bits) => Math.ceil((rows * dims * bits) / 8);

export type ContainerHead = Omit<Quantized, 'levels'>;

/** The container's head: magic, version, bits, fingerprint, rows, dims, scale/offset pairs. */
export function encodeContainerHead(q: ContainerHead, fingerprint: number): Uint8Array {
  const out = new Uint8Array(containerHeadBytes(q.dims));
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
  return out;
}

/**
 * Packs levels into the container's bytes, batch after batch: 16 bits little-endian, 8 bits one
 * byte, 4 bits two to a byte (low nibble first), so a batch of an odd count of 4-bit levels
 * leaves half a byte for the next.
 */
export class LevelPacker {
  private count = 0;
  private half = 0;

  constructor(private readonly bits: Bits) {}

  pack(levels: Uint16Array): Uint8Array {
    if (this.bits === 16) {
      const out = new Uint8Array(levels.length * 2);
      const v = new DataView(out.buffer);
      for (let i = 0; i < levels.length; i++) v.setUint16(2 * i, levels[i]!, true);
      return out;
    }
    if (this.bits === 8) return Uint8Array.from(levels);
    const start = this.count;
    const out = new Uint8Array(((start + levels.length) >> 1) - (start >> 1));
    for (let k = 0; k < levels.length; k++) {
      const i = start + k,
        l = levels[k]!;
      if (i & 1) out[(i >> 1) - (start >> 1)] = (this.half | (l << 4)) & 0xff;
      else this.half = l & 0xff;
    }
    this.count += levels.length;
    return out;
  }

  /** The last half byte of an odd count of 4-bit levels (nothing otherwise). */
  end(): Uint8Array {
    return this.bits === 4 && this.count & 1 ? Uint8Array.of(this.half) : new Uint8Array(0);
  }
}

/** Levels [first, first + count) from the packed bytes that begin at level `first` (its byte). */
export function unpackLevels(packed: Uint8Array, bits: Bits, first: number, count: number): Uint16Array {
  const levels = new Uint16Array(count);
  const v = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  for (let k = 0; k < count; k++) {
    const i = first + k;
    levels[k] =
      bits === 16
        ? v.getUint16(2 * k, true)
        : bits === 8
          ? packed[k]!
          : (packed[(i >> 1) - (first >> 1)]! >> (i & 1 ? 4 : 0)) & 15;
  }
  return levels;
}

/** Container: magic, version, bits, fingerprint, rows, dims, scale/offset, packed levels, CRC-32. */
export function encodeContainer(q: Quantized, fingerprint: number): Uint8Array {
  const head = encodeContainerHead(q, fingerprint);
  const packer = new LevelPacker(q.bits);
  const levels = packer.pack(q.levels),
    tail = packer.end();
  const size = head.length + levels.length + tail.length + 4;
  const out = new Uint8Array(size);
  out.set(head, 0);
  out.set(levels, head.length);
  out.set(tail, head.length + levels.length);
  new DataView(out.buffer).setUint32(size - 4, crc32(out.subarray(0, size - 4)), true);
  return out;
}

/**
 * Reads and checks a container's head (its first containerHeadBytes(dims) bytes, or at least 18)
 * against the file's length; the checksum and fingerprint are checked by the caller, in that order.
 */
export function decodeContainerHead(head: Uint8Array, length: number, file: string): ContainerHead {
  const bad = (why: string) => new HourglassError(`${file}: ${why}`);
  if (length < 22 || head.length < 18 || MAGIC.some((m, i) => head[i] !== m))
    throw bad('not an Hourglass compressed file (bad magic number)');
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (v.getUint8(4) !== VERSION)
    throw bad(`format version ${v.getUint8(4)} is not supported (this Hourglass reads ${VERSION})`);
  const bits = v.getUint8(5);
  if (bits !== 4 && bits !== 8 && bits !== 16) throw bad(`invalid bit width ${bits}`);
  const rows = v.getUint32(10, true),
    dims = v.getUint32(14, true);
  const expected = containerHeadBytes(dims) + packedBytes(rows, dims, bits) + 4;
  if (length !== expected)
    throw bad(`it has ${length} bytes, its header promises ${expected}${length < expected ? ' (truncated)' : ''}`);
  const scale = new Float32Array(dims),
    offset = new Float32Array(dims);
  if (head.length >= containerHeadBytes(dims)) {
    let o = 18;
    for (let j = 0; j < dims; j++) {
      scale[j] = v.getFloat32(o, true);
      offset[j] = v.getFloat32(o + 4, true);
      o += 8;
    }
  }
  return { bits, rows, dims, scale, offset };
}

/** The fingerprint field of a container's head. */
export const containerFingerprint = (head: Uint8Array) =>
  new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(6, true);

export function decodeContainer(bytes: Uint8Array, fingerprint: number, file: string): Quantized {
  const head = decodeContainerHead(bytes, bytes.length, file);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(bytes.length - 4, true) !== crc32(bytes.subarray(0, bytes.length - 4)))
    throw new HourglassError(`${file}: the checksum does not match (the file is corrupt)`);
  if (containerFingerprint(bytes) !== fingerprint)
    throw new HourglassError(`${file}: it was compressed with a different model (fingerprints differ)`);
  const o = containerHeadBytes(head.dims);
  const levels = unpackLevels(bytes.subarray(o), head.bits, 0, head.rows * head.dims);
  return { ...head, levels };
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
