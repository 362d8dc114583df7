// Variational autoencoders: rows decoded from codes drawn from the prior, and a walk through
// the code space between two rows (different labels when labels are given).

import { inverseRows } from '../../data/tabular_preprocessing.js';
import { VariationalAutoencoder } from '../../models/variational_autoencoder.js';
import type { RowsContext } from '../context.js';
import { escapeHtml, htmlTable, type Section } from '../html.js';
import { rowOf } from '../image_grid.js';
import { imageFigure } from './images_section.js';

export function vaeSection(ctx: RowsContext): Section | null {
  const ae = ctx.ae;
  if (!(ae instanceof VariationalAutoencoder)) return null;
  const f = ctx.features;
  const samples = ae.sample(16, { seed: 1 }).data;
  const a = 0;
  const b = ctx.labels
    ? Math.max(
        1,
        ctx.labels.findIndex((l) => l !== ctx.labels![0]),
      )
    : 1;
  let html: string;
  if (ctx.image && ctx.rows > b) {
    const steps = 10;
    const path = ae.interpolate(
      { data: rowOf(ctx.x, a, f), shape: [1, ...ae.model.input.shape] },
      { data: rowOf(ctx.x, b, f), shape: [1, ...ae.model.input.shape] },
      steps,
    ).data;
    html =
      imageFigure(
        '16 samples: codes drawn from the prior N(0, I), decoded',
        [
          Array.from({ length: 8 }, (_, i) => rowOf(samples, i, f)),
          Array.from({ length: 8 }, (_, i) => rowOf(samples, 8 + i, f)),
        ],
        ctx.image,
        'vae-samples',
      ) +
      imageFigure(
        `Interpolation between the codes of row ${a + 1} and row ${b + 1}${ctx.labels ? ` (labels ${escapeHtml(ctx.labelName(ctx.labels[a]!))} and ${escapeHtml(ctx.labelName(ctx.labels[b]!))})` : ''}`,
        [Array.from({ length: steps }, (_, i) => rowOf(path, i, f))],
        ctx.image,
        'vae-interpolation',
      );
  } else if (ctx.preprocessing) {
    const rows = inverseRows(ctx.preprocessing, samples.subarray(0, 5 * f));
    html =
      '<h3>5 rows decoded from codes drawn from the prior N(0, I)</h3>' +
      htmlTable(
        ctx.preprocessing.columns.map((c) => c.name),
        rows.map((r) => r.map(escapeHtml)),
        'vae-samples',
      );
  } else {
    html = htmlTable(
      ctx.featureNames.slice(0, 12),
      Array.from({ length: 5 }, (_, i) => Array.from(rowOf(samples, i, f).subarray(0, 12), (v) => v.toPrecision(4))),
      'vae-samples',
    );
  }
  return { id: 'vae', title: 'Variational autoencoder: samples', html, charts: [] };
}
