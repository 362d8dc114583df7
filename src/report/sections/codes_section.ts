// Codes: 2-D maps of the codes (their first two principal components, and UMAP's layout of a few
// thousand of them), coloured by label when labels are given, and how much label information the
// codes keep (k-NN accuracy, beside the same classifier on the raw inputs).

import { knnAccuracy } from '../../apps/knn.js';
import { fitPca, pcaTransform } from '../../apps/pca.js';
import type { Tensor } from '../../engine/tensor.js';
import type { ScatterChart } from '../chart_spec.js';
import type { RowsContext } from '../context.js';
import { chartBox, num, type Section } from '../html.js';
import { umapMap, type UmapMap } from '../umap_map.js';

const K = 5;

/** Accuracy of k-NN trained on the first 80% of the rows and tested on the rest. */
function splitKnn(values: Float32Array, rows: number, labels: Int32Array): number {
  const d = values.length / rows,
    cut = Math.floor(rows * 0.8);
  const part = (a: number, b: number): Tensor => ({ data: values.subarray(a * d, b * d), shape: [b - a, d] });
  return knnAccuracy(part(0, cut), labels.subarray(0, cut), part(cut, rows), labels.subarray(cut), K);
}

/** One series per label (or one of all rows) over the rows `drawn`, at their map coordinates. */
function scatterSeries(
  ctx: RowsContext,
  drawn: ArrayLike<number>,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
): ScatterChart['series'] {
  const labels = ctx.labels;
  const at = Array.from(drawn);
  const groups = labels ? [...new Set(at.map((r) => labels[r]!))].sort((a, b) => a - b) : [0];
  return groups.map((g) => {
    const idx = at.map((_, i) => i).filter((i) => !labels || labels[at[i]!] === g);
    return { label: labels ? ctx.labelName(g) : 'rows', x: idx.map((i) => xs[i]!), y: idx.map((i) => ys[i]!) };
  });
}

export interface CodeMapOptions {
  /** Rows drawn in the PCA map (the first ones). */
  maxPoints: number;
  /** Rows drawn in the UMAP map at most (a seeded random sample beyond; 0: no UMAP map). */
  umapRows?: number | undefined;
  umapSeed?: number | undefined;
}

export function codesSection(ctx: RowsContext, o: CodeMapOptions): Section {
  const maxPoints = o.maxPoints;
  const codes = ctx.ae.encode(ctx.input);
  const rows = ctx.rows,
    k = codes.data.length / rows;
  let xs: Float32Array,
    ys: Float32Array,
    explained: number | null = null;
  if (k >= 2) {
    const pca = fitPca(codes, 2);
    const t = pcaTransform(pca, codes);
    xs = Float32Array.from({ length: rows }, (_, i) => t[2 * i]!);
    ys = Float32Array.from({ length: rows }, (_, i) => t[2 * i + 1]!);
    // Share of the codes' variance the map shows: the two coordinates' variance over the total.
    let total = 0,
      shown = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += (codes.data[i * k + j]! - pca.mean[j]!) ** 2;
      total += s;
    }
    for (let i = 0; i < rows; i++) shown += xs[i]! ** 2 + ys[i]! ** 2;
    explained = total > 0 ? shown / total : null;
  } else {
    xs = codes.data;
    ys = new Float32Array(rows);
  }
  const shown = Math.min(rows, maxPoints);
  const labels = ctx.labels;
  const map: ScatterChart = {
    kind: 'scatter',
    id: 'code-map',
    title: `Codes of ${shown.toLocaleString('en-US')} rows, ${k >= 2 ? 'first two principal components' : 'the one code value'}${labels ? ', coloured by label' : ''}`,
    xLabel: k >= 2 ? 'component 1' : 'code',
    yLabel: k >= 2 ? 'component 2' : '',
    series: scatterSeries(
      ctx,
      Int32Array.from({ length: shown }, (_, i) => i),
      xs,
      ys,
    ),
  };
  // A 1-value code is its own map: UMAP would only bend the line.
  const umap: UmapMap | null = k >= 2 ? umapMap(codes.data, rows, { maxRows: o.umapRows, seed: o.umapSeed }) : null;
  const umapChart: ScatterChart | null = umap && {
    kind: 'scatter',
    id: 'code-umap',
    title: `UMAP of the codes of ${umap.rows.length.toLocaleString('en-US')} rows${labels ? ', coloured by label' : ''}`,
    xLabel: 'UMAP 1',
    yLabel: 'UMAP 2',
    series: scatterSeries(ctx, umap.rows, umap.xs, umap.ys),
  };
  const notes: string[] = [`Code size ${k}.`];
  if (explained !== null) notes.push(`The map shows ${num(100 * explained, 3)}% of the codes' variance.`);
  if (shown < rows)
    notes.push(`The first ${shown.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows are drawn.`);
  if (umap)
    notes.push(
      `UMAP (umap-js): ${umap.neighbours} exact nearest neighbours, ${umap.epochs} epochs, seed ${umap.seed}${umap.rows.length < umap.of ? `, on ${umap.rows.length.toLocaleString('en-US')} of the ${umap.of.toLocaleString('en-US')} rows picked at random (it draws at most ${umap.rows.length.toLocaleString('en-US')})` : ', on every row'}.`,
    );
  let knn = '';
  if (labels && rows >= 50 && new Set(labels).size > 1) {
    const onCodes = splitKnn(codes.data, rows, labels),
      onInputs = splitKnn(ctx.x, rows, labels);
    knn = `<div class="facts"><div class="fact" data-knn="codes"><b>${num(100 * onCodes, 3)}%</b><span>${K}-NN accuracy on the codes (${k} values)</span></div><div class="fact"><b>${num(100 * onInputs, 3)}%</b><span>${K}-NN accuracy on the inputs (${ctx.features} values)</span></div></div><p class="note">k-NN fitted on the first 80% of the rows, tested on the last 20%.</p>`;
  }
  return {
    id: 'codes',
    title: 'Codes',
    html: `${knn}${umapChart ? `<div class="grid2">${chartBox(map)}${chartBox(umapChart)}</div>` : chartBox(map)}<p class="note" data-note="codes">${notes.join(' ')}</p>`,
    charts: umapChart ? [map, umapChart] : [map],
  };
}
