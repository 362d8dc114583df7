// Images: originals over their reconstructions, the worst-reconstructed examples, and for
// denoising models the same kind of noise as in training, what the model made of it, and the clean image.

import { Random } from '../../engine/random.js';
import type { NoiseSpec } from '../../models/denoising_autoencoder.js';
import type { RowsContext } from '../context.js';
import { worstRows } from '../context.js';
import { escapeHtml, num, type Section } from '../html.js';
import { imageGrid, rowOf, type ImageShape } from '../image_grid.js';
import { pngDataUrl } from '../png_bytes.js';

const COLUMNS = 12;

export function imageFigure(
  caption: string,
  rows: Float32Array[][],
  shape: ImageShape,
  id: string,
  rowStyles?: ('ink' | 'plain' | 'heat')[],
): string {
  const url = pngDataUrl(
    imageGrid(rows, shape, { scale: shape[0] <= 32 ? 2 : 1, ...(rowStyles ? { rowStyles } : {}) }),
  );
  return `<figure class="images" data-images="${id}" data-count="${rows.reduce((s, r) => s + r.length, 0)}"><figcaption>${escapeHtml(caption)}</figcaption><img alt="${escapeHtml(caption)}" src="${url}"></figure>`;
}

/** The training corruption applied to rows, seeded (noise layers are off when predicting). */
export function corrupt(x: Float32Array, noise: NoiseSpec, seed = 7): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (noise.type === 'gaussian') {
      const [lo, hi] = noise.clip ?? [0, 1];
      out[i] = Math.min(hi, Math.max(lo, v + noise.stddev * rng.normal()));
    } else if (noise.type === 'masking') out[i] = rng.uniform() < noise.rate ? 0 : v;
    else out[i] = rng.uniform() < noise.rate ? (rng.uniform() < 0.5 ? (noise.low ?? 0) : (noise.high ?? 1)) : v;
  }
  return out;
}

export function imagesSection(ctx: RowsContext): Section | null {
  const shape = ctx.image;
  if (!shape) return null;
  const n = Math.min(COLUMNS, ctx.rows),
    size = ctx.features;
  const first = Array.from({ length: n }, (_, i) => i);
  const worst = worstRows(ctx.errors.scores, n);
  const pair = (idx: number[]) => [
    idx.map((i) => rowOf(ctx.x, i, size)),
    idx.map((i) => rowOf(ctx.reconstruction, i, size)),
  ];
  let html = imageFigure(
    `The first ${n} images (top) and their reconstructions (bottom)`,
    pair(first),
    shape,
    'reconstructions',
  );
  html += imageFigure(
    `The ${n} worst-reconstructed images (top) and their reconstructions; mean squared errors ${worst
      .slice(0, 3)
      .map((i) => num(ctx.errors.scores[i]))
      .join(', ')}, …`,
    pair(worst),
    shape,
    'worst',
  );
  const noise = ctx.ae.kind === 'denoising' ? (ctx.ae.options['noise'] as NoiseSpec | undefined) : undefined;
  if (noise) {
    const clean = ctx.x.slice(0, n * size);
    const noisy = corrupt(clean, noise);
    const denoised = ctx.ae.reconstruct({ data: noisy, shape: [n, ...ctx.ae.model.input.shape] }).data;
    html += imageFigure(
      `Denoising (${noise.type} noise as in training): noisy (top), denoised, clean (bottom)`,
      [noisy, denoised, clean].map((d) => first.map((i) => rowOf(d, i, size))),
      shape,
      'denoising',
    );
  }
  return { id: 'images', title: 'Images', html, charts: [] };
}
