// Writing pictures: a PNG grid of images (e.g. test digits above their reconstructions), and
// single images for a folder of outputs. Values are in [0, 1]; gray or RGB.

import fs from 'node:fs';
import { PNG } from 'pngjs';
import { HourglassError } from '../engine/errors.js';

export interface GridOptions {
  height: number;
  width: number;
  columns: number;
  scale?: number;
  gap?: number;
  /** 1 (gray, default) or 3 (RGB, channels last). */
  channels?: 1 | 3;
  /** Dark ink on white paper, as digits are drawn (default for gray); false shows values as they are. */
  invert?: boolean;
}

function pixel(img: Float32Array, i: number, channels: 1 | 3, invert: boolean): [number, number, number] {
  const at = (k: number) => {
    const v = Math.min(1, Math.max(0, img[i * channels + k]!));
    return Math.round(255 * (invert ? 1 - v : v));
  };
  return channels === 1 ? [at(0), at(0), at(0)] : [at(0), at(1), at(2)];
}

/** Rows of images, each a list of images of height x width x channels; rows stack vertically. */
export function writeImageGrid(file: string, rows: Float32Array[][], o: GridOptions): void {
  const scale = o.scale ?? 2,
    gap = o.gap ?? 2,
    channels = o.channels ?? 1,
    invert = o.invert ?? channels === 1;
  const cellW = o.width * scale + gap,
    cellH = o.height * scale + gap;
  const png = new PNG({ width: o.columns * cellW + gap, height: rows.length * cellH + gap });
  png.data.fill(255);
  rows.forEach((row, r) =>
    row.slice(0, o.columns).forEach((img, c) => {
      if (img.length !== o.height * o.width * channels)
        throw new HourglassError(
          `image grid: image has ${img.length} values, expected ${o.height * o.width * channels}`,
        );
      for (let y = 0; y < o.height * scale; y++)
        for (let x = 0; x < o.width * scale; x++) {
          const rgb = pixel(img, Math.floor(y / scale) * o.width + Math.floor(x / scale), channels, invert);
          const p = ((gap + r * cellH + y) * png.width + gap + c * cellW + x) * 4;
          png.data[p] = rgb[0];
          png.data[p + 1] = rgb[1];
          png.data[p + 2] = rgb[2];
          png.data[p + 3] = 255;
        }
    }),
  );
  fs.writeFileSync(file, PNG.sync.write(png));
}

/** One image as PNG bytes, at its own size, values shown as they are. */
export function encodePng(img: Float32Array, height: number, width: number, channels: 1 | 3): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < height * width; i++) {
    const rgb = pixel(img, i, channels, false);
    png.data[i * 4] = rgb[0];
    png.data[i * 4 + 1] = rgb[1];
    png.data[i * 4 + 2] = rgb[2];
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
