// Grids of images (rows of originals over reconstructions) as RGBA pixels for the report: gray
// images as dark ink on white paper (as digits are drawn), RGB as they are; errors as a heat map.

import type { Rgba } from './png_bytes.js';

export type ImageShape = [height: number, width: number, channels: number];

export interface GridOptions {
  scale?: number;
  gap?: number;
  /** 'ink' (gray: 1 - v, the default for one channel), 'plain' (as is) or 'heat' (errors, 0 white to 1 dark red). */
  style?: 'ink' | 'plain' | 'heat';
  /** A style per row of the grid (overrides style), e.g. originals, reconstructions, errors. */
  rowStyles?: ('ink' | 'plain' | 'heat')[];
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** One colour for one pixel of one image. */
function colour(
  img: Float32Array,
  p: number,
  channels: number,
  style: 'ink' | 'plain' | 'heat',
): [number, number, number] {
  if (channels === 3 && style !== 'heat')
    return [clamp(img[p * 3]!) * 255, clamp(img[p * 3 + 1]!) * 255, clamp(img[p * 3 + 2]!) * 255];
  let v = 0;
  for (let c = 0; c < channels; c++) v += img[p * channels + c]!;
  v = clamp(v / channels);
  if (style === 'heat') return [255 - 75 * v, 255 * (1 - v), 255 * (1 - v)];
  const g = style === 'ink' ? 255 * (1 - v) : 255 * v;
  return [g, g, g];
}

/** Rows of images side by side (each image height * width * channels values in [0, 1]). */
export function imageGrid(rows: Float32Array[][], shape: ImageShape, o: GridOptions = {}): Rgba {
  const [h, w, channels] = shape;
  const scale = o.scale ?? 2,
    gap = o.gap ?? 2;
  const style = o.style ?? (channels === 1 ? 'ink' : 'plain');
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const cellW = w * scale + gap,
    cellH = h * scale + gap;
  const width = columns * cellW + gap,
    height = rows.length * cellH + gap;
  const data = new Uint8Array(width * height * 4);
  // A light grey between images, so white paper still shows where each image ends.
  for (let i = 0; i < data.length; i += 4) data.set([225, 225, 225, 255], i);
  rows.forEach((row, r) =>
    row.forEach((img, c) => {
      const rowStyle = o.rowStyles?.[r] ?? style;
      for (let y = 0; y < h * scale; y++)
        for (let x = 0; x < w * scale; x++) {
          const [red, green, blue] = colour(img, Math.floor(y / scale) * w + Math.floor(x / scale), channels, rowStyle);
          const at = ((gap + r * cellH + y) * width + gap + c * cellW + x) * 4;
          data[at] = red;
          data[at + 1] = green;
          data[at + 2] = blue;
          data[at + 3] = 255;
        }
    }),
  );
  return { width, height, data };
}

/** Row i of flat rows [n, size] as its own array. */
export const rowOf = (data: Float32Array, i: number, size: number): Float32Array =>
  data.subarray(i * size, (i + 1) * size);
