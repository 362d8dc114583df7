// Writing pictures: a PNG grid of grayscale images (e.g. test digits above their reconstructions).

import fs from 'node:fs';
import { PNG } from 'pngjs';
import { HourglassError } from '../engine/errors.js';

export interface GridOptions { height: number; width: number; columns: number; scale?: number; gap?: number }

/** Rows of images, each a list of [0,1] grayscale images of height x width; rows stack vertically. */
export function writeImageGrid(file: string, rows: Float32Array[][], o: GridOptions): void {
  const scale = o.scale ?? 2, gap = o.gap ?? 2;
  const cellW = o.width * scale + gap, cellH = o.height * scale + gap;
  const png = new PNG({ width: o.columns * cellW + gap, height: rows.length * cellH + gap });
  png.data.fill(255);
  rows.forEach((row, r) => row.slice(0, o.columns).forEach((img, c) => {
    if (img.length !== o.height * o.width) throw new HourglassError(`image grid: image has ${img.length} values, expected ${o.height * o.width}`);
    for (let y = 0; y < o.height * scale; y++) for (let x = 0; x < o.width * scale; x++) {
      const v = img[Math.floor(y / scale) * o.width + Math.floor(x / scale)]!;
      const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
      const p = ((gap + r * cellH + y) * png.width + gap + c * cellW + x) * 4;
      png.data[p] = g; png.data[p + 1] = g; png.data[p + 2] = g; png.data[p + 3] = 255;
    }
  }));
  fs.writeFileSync(file, PNG.sync.write(png));
}
