// The DELTA_BINARY_PACKED encoding of Parquet (integers, and the lengths inside DELTA_LENGTH_BYTE_ARRAY
// and DELTA_BYTE_ARRAY), walked as hyparquet 1.33.0's 32-bit decoder (delta.js) moves through it.
// hyparquet takes the block header as it comes: a negative or zero miniblock count moves its offset
// back or nowhere, and its block loop never ends; a header that claims 2^31 miniblocks allocates
// that many bytes. The header must be what the format allows (blocks of a multiple of 128 values in
// miniblocks of a multiple of 32), and every block must fit the bytes. For the byte-array encodings
// the lengths are decoded too, so that a damaged prefix length cannot make hyparquet allocate more
// than the page's bytes can fill.

import { ParquetDamage, readVarInt } from './parquet_runs.js';

/** A zigzag varint's low 32 bits, as hyparquet's readZigZagInt33 (deltas) and readZigZag read them. */
function readZigZag32(view: DataView, at: number, end: number, what: string): { value: number; next: number } {
  const v = readVarInt(view, at, end, what);
  const high = v.next - at === 5 ? (view.getUint8(at + 4) >>> 4) & 1 : 0;
  return { value: ((v.value >>> 1) | (high << 31)) ^ -(v.value & 1), next: v.next };
}

/** Bits [bit, bit + width) of the bytes at `at`, least significant first; bits past 32 vanish. */
function bitsAt(view: DataView, at: number, bit: number, width: number): number {
  let value = 0;
  for (let b = 0; b < width && b < 32; b++) {
    const p = bit + b;
    if ((view.getUint8(at + (p >> 3)) >> (p & 7)) & 1) value |= 1 << b;
  }
  return value;
}

/**
 * Walks `count` delta-packed values from `at` within `end`; returns where hyparquet's reader ends
 * up, and the values (32-bit, as hyparquet decodes lengths) when `decode` is set.
 */
export function walkDeltaPacked(
  view: DataView,
  at: number,
  end: number,
  count: number,
  what: string,
  decode = false,
): { end: number; values: Int32Array | null } {
  const blockSize = readVarInt(view, at, end, what);
  const miniblocks = readVarInt(view, blockSize.next, end, what);
  const total = readVarInt(view, miniblocks.next, end, what);
  const first = readZigZag32(view, total.next, end, what);
  const [size, m] = [blockSize.value, miniblocks.value];
  if (size <= 0 || size % 128 || m <= 0 || size % m || (size / m) % 32)
    throw new ParquetDamage(`${what} claim blocks of ${size} values in ${m} miniblocks`);
  const perMiniblock = size / m;
  const values = decode ? new Int32Array(count) : null;
  let value = first.value,
    produced = Math.min(count, 1);
  if (values && count) values[0] = value;
  at = first.next;
  while (produced < count) {
    const minDelta = readZigZag32(view, at, end, what);
    const widths = minDelta.next;
    if (widths + m > end) throw new ParquetDamage(`${what} end inside a block's ${m} bit widths`);
    let offset = widths + m;
    for (let i = 0; i < m && produced < count; i++) {
      const width = view.getUint8(widths + i);
      const bytes = (perMiniblock * width) / 8;
      if (offset + bytes > end) throw new ParquetDamage(`${what} end inside a miniblock of ${bytes} bytes`);
      const n = Math.min(perMiniblock, count - produced);
      if (values)
        for (let j = 0; j < n; j++) {
          value = (value + minDelta.value + bitsAt(view, offset, j * width, width)) | 0;
          values[produced + j] = value;
        }
      offset += bytes;
      produced += n;
    }
    at = offset;
  }
  return { end: at, values };
}

/** DELTA_LENGTH_BYTE_ARRAY: lengths, then the bytes they add up to. */
export function checkDeltaLengths(view: DataView, at: number, end: number, count: number): void {
  const lengths = walkDeltaPacked(view, at, end, count, 'the value lengths', true);
  let bytes = 0;
  for (const length of lengths.values!) {
    if (length < 0) throw new ParquetDamage(`a value length is ${length}`);
    bytes += length;
  }
  if (lengths.end + bytes > end)
    throw new ParquetDamage(`the values claim ${bytes} bytes, the page holds ${end - lengths.end}`);
}

/** DELTA_BYTE_ARRAY: prefix lengths (each at most the previous value's length), suffix lengths, suffixes. */
export function checkDeltaByteArray(view: DataView, at: number, end: number, count: number): void {
  const prefixes = walkDeltaPacked(view, at, end, count, 'the prefix lengths', true);
  const suffixes = walkDeltaPacked(view, prefixes.end, end, count, 'the suffix lengths', true);
  let bytes = 0,
    previous = 0;
  for (let i = 0; i < count; i++) {
    const [prefix, suffix] = [prefixes.values![i]!, suffixes.values![i]!];
    if (prefix < 0 || prefix > previous || suffix < 0)
      throw new ParquetDamage(
        `value ${i + 1} claims a prefix of ${prefix} bytes of ${previous} and a suffix of ${suffix}`,
      );
    bytes += suffix;
    previous = prefix + suffix;
  }
  if (suffixes.end + bytes > end)
    throw new ParquetDamage(`the suffixes claim ${bytes} bytes, the page holds ${end - suffixes.end}`);
}
