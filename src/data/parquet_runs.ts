// The RLE / bit-packed hybrid encoding of Parquet (levels, dictionary indices, booleans), walked
// without decoding into an array: hyparquet's decoder (1.33.0, encoding.js) repeats an RLE run's
// value `count` times into a plain Array, so a damaged count of up to 2^31 grows the array by that
// many entries (seconds, gigabytes), and a run of 0 values read at an offset that is NaN loops
// forever. This walk reads the run headers exactly as hyparquet does and refuses any run that
// leaves its bytes or holds more values than remain, before hyparquet decodes them.

/** A damaged part of a page: what is wrong, for the caller to name the page and column. */
export class ParquetDamage extends Error {}

export interface RunWalk {
  /** Where the runs end (hyparquet's reader offset after them, when no length was declared). */
  end: number;
  /** How many of the `count` values equal the value asked about. */
  matches: number;
}

/** An unsigned LEB128 varint as hyparquet's readVarInt reads it (32-bit arithmetic), within `end`. */
export function readVarInt(view: DataView, at: number, end: number, what: string): { value: number; next: number } {
  let value = 0,
    shift = 0;
  for (let i = at; i < end; i++) {
    const byte = view.getUint8(i);
    value |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return { value, next: i + 1 };
    shift += 7;
  }
  throw new ParquetDamage(`${what} end inside a run header`);
}

/**
 * Walks the runs of `count` values, `width` bits each, in bytes [start, end) of `view`, and counts
 * the values equal to `match` (-1: none asked). Throws a ParquetDamage naming the first run that
 * does not fit.
 */
export function walkHybridRuns(
  view: DataView,
  start: number,
  end: number,
  width: number,
  count: number,
  what: string,
  match = -1,
): RunWalk {
  if (end > view.byteLength || start > end) throw new ParquetDamage(`${what} lie beyond the page`);
  const valueBytes = (width + 7) >> 3;
  let at = start,
    seen = 0,
    matches = 0;
  while (seen < count) {
    const header = readVarInt(view, at, end, what);
    at = header.next;
    const remaining = count - seen;
    if (header.value & 1) {
      // As hyparquet counts a bit-packed run: groups of 8 values (signed 32-bit arithmetic).
      const values = (header.value >> 1) << 3;
      if (values <= 0) throw new ParquetDamage(`${what} hold a bit-packed run of ${values} values`);
      const bytes = (values / 8) * width;
      if (at + bytes > end)
        throw new ParquetDamage(`${what} hold a bit-packed run of ${values} values in ${end - at} bytes`);
      // The last group may be padded beyond the values that remain: hyparquet ignores those.
      if (match >= 0) matches += countPacked(view, at, width, Math.min(values, remaining), match);
      at += bytes;
      seen += Math.min(values, remaining);
    } else {
      const values = header.value >>> 1;
      // hyparquet would write every repeat of a run, past the values the page holds.
      if (values > remaining)
        throw new ParquetDamage(`${what} hold a run of ${values} values where ${remaining} remain`);
      if (at + valueBytes > end) throw new ParquetDamage(`${what} end inside a run`);
      if (match >= 0) {
        let value = 0;
        for (let i = 0; i < valueBytes; i++) value |= view.getUint8(at + i) << (i << 3);
        if (value === match) matches += values;
      }
      at += valueBytes;
      seen += values;
    }
  }
  return { end: at, matches };
}

/** How many of the first `n` values bit-packed at `at` (LSB first, `width` bits) equal `match`. */
function countPacked(view: DataView, at: number, width: number, n: number, match: number): number {
  let matches = 0;
  for (let i = 0; i < n; i++) {
    let value = 0;
    for (let b = 0; b < width; b++) {
      const bit = i * width + b;
      if ((view.getUint8(at + (bit >> 3)) >> (bit & 7)) & 1) value |= 1 << b;
    }
    if (value === match) matches++;
  }
  return matches;
}
