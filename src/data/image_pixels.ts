// Decoded pixels to model rows, the same on every platform: RGBA bytes resized to the model's
// [height, width] by box averaging, gray (ITU-R 601 weights) or RGB, in [0, 1]; transparency as white.

/** The size and colour images are brought to: [height, width, channels] per row. */
export interface ImageSize {
  height: number;
  width: number;
  channels: 1 | 3;
}

/** Decoded RGBA bytes, as PNG and JPEG decoders and canvases give them. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Samples one channel at (y, x) of the source for an output pixel, by the box it covers. */
export function resizeInto(img: Rgba, o: ImageSize, out: Float32Array, offset: number): void {
  const sy = img.height / o.height,
    sx = img.width / o.width;
  for (let y = 0; y < o.height; y++)
    for (let x = 0; x < o.width; x++) {
      const acc = [0, 0, 0];
      // Box average over the source pixels this output pixel covers (at least one).
      const y0 = Math.floor(y * sy),
        y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
      const x0 = Math.floor(x * sx),
        x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let n = 0;
      for (let yy = y0; yy < Math.min(y1, img.height); yy++)
        for (let xx = x0; xx < Math.min(x1, img.width); xx++) {
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
