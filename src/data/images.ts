// Reading a folder of PNG/JPEG images (pngjs, jpeg-js: pure JavaScript, nothing downloaded at
// install) into rows of [height, width, channels] values in [0, 1], resized with area averaging
// when shrinking and bilinear interpolation when growing.

import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { resizeInto, type ImageSize, type Rgba } from './image_pixels.js';
import { checkJpegSize } from './jpeg_size.js';

export type ImageFolderOptions = ImageSize;

function decode(file: string): Rgba {
  return decodeImage(fs.readFileSync(file), file);
}

/** PNG or JPEG bytes (chosen by the file name) as RGBA pixels; `file` names them in errors. */
export function decodeImage(bytes: Buffer, file: string): Rgba {
  if (!/\.png$/i.test(file)) checkJpegSize(bytes, file);
  try {
    if (/\.png$/i.test(file)) {
      const p = PNG.sync.read(bytes);
      return { width: p.width, height: p.height, data: p.data };
    }
    const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: j.width, height: j.height, data: j.data };
  } catch (e) {
    throw new HourglassError(`${file}: cannot decode the image (${(e as Error).message})`);
  }
}

/** Every .png/.jpg/.jpeg in the folder (sorted by name) as one row each. */
export function readImageFolder(dir: string, o: ImageFolderOptions): { x: Tensor; files: string[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new HourglassError(`${dir} is not a folder of images`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort();
  if (files.length === 0) throw new HourglassError(`${dir} has no .png, .jpg or .jpeg files`);
  const size = o.height * o.width * o.channels;
  const data = new Float32Array(files.length * size);
  files.forEach((f, i) => resizeInto(decode(path.join(dir, f)), o, data, i * size));
  return { x: { data, shape: [files.length, o.height, o.width, o.channels] }, files };
}

/** One image file as a row of [height, width, channels] values in [0, 1] (streaming datasets). */
export function readImageRow(file: string, o: ImageFolderOptions): Float32Array {
  const row = new Float32Array(o.height * o.width * o.channels);
  resizeInto(decode(file), o, row, 0);
  return row;
}

/** The image files of a folder, sorted by name. */
export function imageFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new HourglassError(`${dir} is not a folder of images`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort();
  if (files.length === 0) throw new HourglassError(`${dir} has no .png, .jpg or .jpeg files`);
  return files;
}
