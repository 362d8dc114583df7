// Originals above reconstructions: the first images of the sample and the autoencoder's output
// for them, drawn pixel for pixel on a canvas (scaled up by CSS, without smoothing).

/** Draws `count` images of height x width from `originals` (top row) and `rebuilt` (bottom row). */
export function drawDigits(
  canvas: HTMLCanvasElement,
  originals: Float32Array,
  rebuilt: Float32Array,
  height: number,
  width: number,
  count: number,
): void {
  canvas.width = count * width;
  canvas.height = 2 * height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2-D canvas');
  const image = ctx.createImageData(canvas.width, canvas.height);
  const size = height * width;
  for (const [row, source] of [originals, rebuilt].entries())
    for (let k = 0; k < count; k++)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const v = Math.round(255 * Math.min(1, Math.max(0, source[k * size + y * width + x] ?? 0)));
          const at = 4 * ((row * height + y) * canvas.width + k * width + x);
          image.data[at] = image.data[at + 1] = image.data[at + 2] = 255 - v;
          image.data[at + 3] = 255;
        }
  ctx.putImageData(image, 0, 0);
}
