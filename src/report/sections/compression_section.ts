// Compression: the rows stored as 8-bit codes (hourglass compress's container), the size against
// the rows as they are stored, and the error per row after the round trip (PSNR for images).

import { compressRows, meanSquaredError, psnr, type Bits } from '../../apps/compress.js';
import { rowErrors } from '../../models/reconstruction_error.js';
import { histogram, type HistogramChart } from '../chart_spec.js';
import type { RowsContext } from '../context.js';
import { chartBox, num, type Section } from '../html.js';

export function compressionSection(ctx: RowsContext, bits: Bits, rawBytes: number | undefined): Section {
  const { bytes, quantized, rebuilt } = compressRows(ctx.ae, ctx.input, bits);
  const images = ctx.image !== null;
  const raw = rawBytes ?? (images ? ctx.rows * ctx.features : ctx.rows * ctx.features * 4);
  const against = rawBytes !== undefined ? 'the data as stored' : images ? '8-bit pixels' : 'float32 values';
  const perRow = rowErrors(ctx.x, rebuilt.data, ctx.rows, ctx.mask).scores;
  let hi = 0;
  for (const e of perRow) hi = Math.max(hi, e);
  const hist: HistogramChart = {
    kind: 'histogram',
    id: 'compression-errors',
    title: `Mean squared error per row after compression (${bits}-bit codes)`,
    xLabel: 'mean squared error',
    yLabel: 'rows',
    ...histogram(perRow, 40, 0, hi),
  };
  const mse = meanSquaredError(ctx.x, rebuilt.data);
  const plain = meanSquaredError(ctx.x, ctx.reconstruction);
  const facts = [
    [`${num(raw / bytes.length, 3)}×`, `smaller than ${against} (${bytes.length.toLocaleString('en-US')} bytes)`],
    [`${quantized.dims} × ${bits} bits`, 'per row'],
    [num(mse), `mean squared error (${num(plain)} without quantizing)`],
    ...(images ? [[`${num(psnr(ctx.x, rebuilt.data), 3)} dB`, 'PSNR']] : []),
  ];
  return {
    id: 'compression',
    title: 'Compression',
    html: `<div class="facts">${facts.map(([b, s]) => `<div class="fact"><b>${b}</b><span>${s}</span></div>`).join('')}</div>${chartBox(hist)}`,
    charts: [hist],
  };
}
