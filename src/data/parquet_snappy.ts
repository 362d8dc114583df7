// A snappy stream walked as hyparquet 1.33.0's snappyUncompress (snappy.js) moves through it,
// without copying. hyparquet computes a long literal's length in signed 32-bit arithmetic: a length
// whose top byte is 0x80 or more is negative, and its position then moves back into bytes it has
// read, for seconds or for ever (11 s for one damaged 1,785-byte page). Here every literal must
// hold at least one byte within the input, every copy must reach back into what is already
// written, and the output must come to the size the page header claims, so that hyparquet's decode
// of a stream that passes is one pass over it.

import { ParquetDamage } from './parquet_runs.js';

const WORD_MASK = [0, 0xff, 0xffff, 0xffffff, 0xffffffff];

export function checkSnappy(input: Uint8Array, outputLength: number, what: string): void {
  const end = input.length;
  let pos = 0,
    out = 0;
  while (pos < end && input[pos++]! >= 128); // the preamble's length varint, which hyparquet skips
  if (outputLength && pos >= end) throw new ParquetDamage(`${what} hold no snappy data`);
  while (pos < end) {
    const c = input[pos++]!;
    if (pos >= end) throw new ParquetDamage(`${what} end inside a snappy element`);
    let len: number;
    if ((c & 3) === 0) {
      len = (c >>> 2) + 1;
      if (len > 60) {
        if (pos + 3 >= end) throw new ParquetDamage(`${what} end inside a snappy literal's length`);
        const lengthSize = len - 60;
        const word = input[pos]! + (input[pos + 1]! << 8) + (input[pos + 2]! << 16) + (input[pos + 3]! << 24);
        len = (word & WORD_MASK[lengthSize]!) + 1;
        pos += lengthSize;
      }
      if (len <= 0 || pos + len > end)
        throw new ParquetDamage(`${what} hold a snappy literal of ${len} bytes where ${end - pos} remain`);
      pos += len;
    } else {
      let offset: number;
      if ((c & 3) === 1) {
        len = ((c >>> 2) & 7) + 4;
        offset = input[pos]! + ((c >>> 5) << 8);
        pos += 1;
      } else if ((c & 3) === 2) {
        if (pos + 1 >= end) throw new ParquetDamage(`${what} end inside a snappy copy`);
        len = (c >>> 2) + 1;
        offset = input[pos]! + (input[pos + 1]! << 8);
        pos += 2;
      } else {
        if (pos + 3 >= end) throw new ParquetDamage(`${what} end inside a snappy copy`);
        len = (c >>> 2) + 1;
        offset = input[pos]! + (input[pos + 1]! << 8) + (input[pos + 2]! << 16) + (input[pos + 3]! << 24);
        pos += 4;
      }
      if (offset <= 0 || offset > out)
        throw new ParquetDamage(`${what} hold a snappy copy from ${offset} bytes back of ${out} written`);
    }
    out += len;
    if (out > outputLength)
      throw new ParquetDamage(`${what} decompress to more than the ${outputLength} bytes the header claims`);
  }
  if (out !== outputLength)
    throw new ParquetDamage(`${what} decompress to ${out} bytes, the header claims ${outputLength}`);
}
