// Images in a page to model rows: ImageData, <img>, <canvas>, ImageBitmap or a File/Blob, decoded
// by the browser and resized by the same box averaging as Node's image folders (same numbers).

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { resizeInto, type ImageSize, type Rgba } from '../data/image_pixels.js';

export type ImageSource = ImageData | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas | ImageBitmap | Blob;

/** The pixels of one source as RGBA bytes at its own size, without colour-space conversion. */
async function pixels(source: ImageSource, index: number): Promise<Rgba> {
  if (typeof ImageData !== 'undefined' && source instanceof ImageData) {
    return {
      width: source.width,
      height: source.height,
      data: new Uint8Array(source.data.buffer, source.data.byteOffset, source.data.length),
    };
  }
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) {
    if (!source.complete || source.naturalWidth === 0)
      throw new HourglassError(`image ${index}: the <img> has not loaded (await img.decode() first)`);
  }
  let bitmap: ImageBitmap;
  try {
    // Raw values as stored: no colour-management or premultiplication differences from Node's decoders.
    bitmap = await createImageBitmap(source, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new HourglassError(`image ${index}: the browser cannot decode it (${(e as Error).message})`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new HourglassError('this browser has no 2-D canvas to read image pixels');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return {
    width: canvas.width,
    height: canvas.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/**
 * Rows of [height, width, channels] values in [0, 1], one per image, resized with area averaging
 * (growing images repeat pixels), gray by ITU-R 601 weights or RGB; transparent pixels as white.
 */
export async function imagesToTensor(sources: readonly ImageSource[], size: ImageSize): Promise<Tensor> {
  const { height, width, channels } = size;
  if (![height, width].every((n) => Number.isInteger(n) && n > 0) || (channels !== 1 && channels !== 3)) {
    throw new HourglassError(
      `imagesToTensor: size must be positive integers and channels 1 or 3, got ${JSON.stringify(size)}`,
    );
  }
  if (sources.length === 0) throw new HourglassError('imagesToTensor: no images given');
  const per = height * width * channels;
  const data = new Float32Array(sources.length * per);
  for (let i = 0; i < sources.length; i++) resizeInto(await pixels(sources[i]!, i), size, data, i * per);
  return { data, shape: [sources.length, height, width, channels] };
}
