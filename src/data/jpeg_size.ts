// The size a JPEG's frame header claims, read before decoding. jpeg-js decodes a damaged header's
// size (up to its 100-megapixel default) from a few hundred bytes, spending many seconds before
// its memory limit stops it. Every 8x8 block of every component costs at least one bit of the
// scan (its DC difference), so a file cannot hold more pixels than 64 per bit of its bytes: a
// claim above that is damage, refused at once.

import { HourglassError } from '../engine/errors.js';

/** Width and height from the first start-of-frame marker, or null when there is none. */
export function jpegFrameSize(bytes: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]! };
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
  }
  return null;
}

export function checkJpegSize(bytes: Uint8Array, file: string): void {
  const size = jpegFrameSize(bytes);
  if (size && size.width * size.height > 64 * 8 * bytes.length)
    throw new HourglassError(
      `${file}: cannot decode the image (its header claims ${size.width} x ${size.height} pixels, more than its ${bytes.length} bytes can hold: the file is damaged or truncated)`,
    );
}
