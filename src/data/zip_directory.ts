// The central directory of a zip (.npz archives, saved model zips), read before anything is
// unpacked: each entry's CRC-32 (fflate inflates without checking it, and a stored entry would
// pass any damage through) and its sizes. fflate allocates each entry's output at the size the
// directory claims, so a size that the entry's compressed bytes cannot produce (deflate expands
// at most 1032:1; a stored entry not at all) is refused here, before a damaged header can make
// it allocate gigabytes.

import { HourglassError } from '../engine/errors.js';

export interface ZipEntry {
  name: string;
  crc32: number;
  compressedSize: number;
  size: number;
}

// Deflate's densest output: 258 bytes per 2 bits, about 1032:1, plus slack for tiny entries.
const MAX_DEFLATE_RATIO = 1032;
const TINY = 1024;

export function zipDirectory(bytes: Uint8Array, where: string): Map<string, ZipEntry> {
  const damaged = (why: string) => new HourglassError(`${where}: the zip is truncated or damaged (${why})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is the last 22 bytes, before a comment of up to 64 KiB.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged('no central directory');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw damaged(`bad central directory entry ${k + 1}`);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    if (at + 46 + nameLength > end) throw damaged(`entry ${k + 1}'s name runs past the directory`);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // 0xffffffff marks zip64 sizes, which Hourglass never writes; fflate would trust the extra field.
    if (compressedSize === 0xffffffff || size === 0xffffffff) throw damaged(`${name} claims zip64 sizes`);
    if (compressedSize > bytes.length)
      throw damaged(`${name} claims ${compressedSize} compressed bytes in a ${bytes.length}-byte file`);
    const most = method === 0 ? compressedSize : compressedSize * MAX_DEFLATE_RATIO + TINY;
    if (size > most) throw damaged(`${name} claims ${size} bytes from ${compressedSize} compressed`);
    entries.set(name, { name, crc32: view.getUint32(at + 16, true), compressedSize, size });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}
