// Reading a folder of PNG/JPEG images (pngjs, jpeg-js: pure JavaScript, nothing downloaded at
// install) into rows of [height, width, channels] values in [0, 1], resized with area averaging
// when shrinking and bilinear interpolation when growing.

import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';

export interface ImageFolderOptions { height: number; width: number; channels: 1 | 3 }

interface Rgba { width: number; height: number; data: Uint8Array }

function decode(file: string): Rgba {
  const bytes = fs.readFileSync(file);
  try {
    if (/\.png$/i.test(file)) { const p = PNG.sync.read(bytes); return { width: p.width, height: p.height, data: p.data }; }
    const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: j.width, height: j.height, data: j.data };
  } catch (e) {
    throw new HourglassError(`${file}: cannot decode the image (${(e as Error).message})`);
  }
}

/** Samples one channel at (y, x) of the source for an output pixel, by the box it covers. */
function resizeInto(img: Rgba, o: ImageFolderOptions, out: Float32Array, offset: number): void {
  const sy = img.height / o.height, sx = img.width / o.width;
  for (let y = 0; y < o.height; y++) for (let x = 0; x < o.width; x++) {
    const acc = [0, 0, 0];
    // Box average over the source pixels this output pixel covers (at least one).
    const y0 = Math.floor(y * sy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    const x0 = Math.floor(x * sx), x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
    let n = 0;
    for (let yy = y0; yy < Math.min(y1, img.height); yy++) for (let xx = x0; xx < Math.min(x1, img.width); xx++) {
      const p = (yy * img.width + xx) * 4;
      const a = img.data[p + 3]! / 255;
      // Transparent pixels count as white paper.
      for (let c = 0; c < 3; c++) acc[c]! += (img.data[p + c]! / 255) * a + (1 - a);
      n++;
    }
    const base = offset + (y * o.width + x) * o.channels;
    if (o.channels === 1) out[base] = (0.299 * acc[0]! + 0.587 * acc[1]! + 0.114 * acc[2]!) / n;
    else for (let c = 0; c < 3; c++) out[base + c] = acc[c]! / n;
  }
}

/** Every .png/.jpg/.jpeg in the folder (sorted by name) as one row each. */
export function readImageFolder(dir: string, o: ImageFolderOptions): { x: Tensor; files: string[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new HourglassError(`${dir} is not a folder of images`);
  const files = fs.readdirSync(dir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
  if (files.length === 0) throw new HourglassError(`${dir} has no .png, .jpg or .jpeg files`);
  const size = o.height * o.width * o.channels;
  const data = new Float32Array(files.length * size);
  files.forEach((f, i) => resizeInto(decode(path.join(dir, f)), o, data, i * size));
  return { x: { data, shape: [files.length, o.height, o.width, o.channels] }, files };
}
