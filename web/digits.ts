// Images drawn pixel for pixel on a canvas (scaled up by CSS, without smoothing): a grid of
// images, and originals above their reconstructions (or decoded copies).

/** Draws the `count` images of height x width in `images` on a grid `columns` wide, ink dark on white. */
export function drawGrid(
  canvas: HTMLCanvasElement,
  images: Float32Array,
  count: number,
  columns: number,
  height: number,
  width: number,
): void {
  const rows = Math.ceil(count / columns);
  canvas.width = columns * width;
  canvas.height = rows * height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2-D canvas');
  const image = ctx.createImageData(canvas.width, canvas.height);
  image.data.fill(255);
  const size = height * width;
  for (let k = 0; k < count; k++) {
    const left = (k % columns) * width,
      top = Math.floor(k / columns) * height;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, images[k * size + y * width + x] ?? 0)));
        const at = 4 * ((top + y) * canvas.width + left + x);
        image.data[at] = image.data[at + 1] = image.data[at + 2] = 255 - v;
      }
  }
  ctx.putImageData(image, 0, 0);
}

/** Draws `count` images of height x width from `originals` (top row) and `rebuilt` (bottom row). */
export function drawDigits(
  canvas: HTMLCanvasElement,
  originals: Float32Array,
  rebuilt: Float32Array,
  height: number,
  width: number,
  count: number,
): void {
  const size = height * width;
  const both = new Float32Array(2 * count * size);
  both.set(originals.subarray(0, count * size));
  both.set(rebuilt.subarray(0, count * size), count * size);
  drawGrid(canvas, both, 2 * count, count, height, width);
}
