// Codes: a 2-D map of the codes (their first two principal components), coloured by label when
// labels are given, and how much label information the codes keep (k-NN accuracy, beside the
// same classifier on the raw inputs).

import { knnAccuracy } from '../../apps/knn.js';
import { fitPca, pcaTransform } from '../../apps/pca.js';
import type { Tensor } from '../../engine/tensor.js';
import type { ScatterChart } from '../chart_spec.js';
import type { RowsContext } from '../context.js';
import { chartBox, num, type Section } from '../html.js';

const K = 5;

/** Accuracy of k-NN trained on the first 80% of the rows and tested on the rest. */
function splitKnn(values: Float32Array, rows: number, labels: Int32Array): number {
  const d = values.length / rows,
    cut = Math.floor(rows * 0.8);
  const part = (a: number, b: number): Tensor => ({ data: values.subarray(a * d, b * d), shape: [b - a, d] });
  return knnAccuracy(part(0, cut), labels.subarray(0, cut), part(cut, rows), labels.subarray(cut), K);
}

export function codesSection(ctx: RowsContext, maxPoints: number): Section {
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
  const groups = labels ? [...new Set(labels.subarray(0, shown))].sort((a, b) => a - b) : [0];
  const map: ScatterChart = {
    kind: 'scatter',
    id: 'code-map',
    title: `Codes of ${shown.toLocaleString('en-US')} rows, ${k >= 2 ? 'first two principal components' : 'the one code value'}${labels ? ', coloured by label' : ''}`,
    xLabel: k >= 2 ? 'component 1' : 'code',
    yLabel: k >= 2 ? 'component 2' : '',
    series: groups.map((g) => {
      const idx = Array.from({ length: shown }, (_, i) => i).filter((i) => !labels || labels[i] === g);
      return { label: labels ? ctx.labelName(g) : 'rows', x: idx.map((i) => xs[i]!), y: idx.map((i) => ys[i]!) };
    }),
  };
  const notes: string[] = [`Code size ${k}.`];
  if (explained !== null) notes.push(`The map shows ${num(100 * explained, 3)}% of the codes' variance.`);
  if (shown < rows)
    notes.push(`The first ${shown.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows are drawn.`);
  let knn = '';
  if (labels && rows >= 50 && groups.length > 1) {
    const onCodes = splitKnn(codes.data, rows, labels),
      onInputs = splitKnn(ctx.x, rows, labels);
    knn = `<div class="facts"><div class="fact" data-knn="codes"><b>${num(100 * onCodes, 3)}%</b><span>${K}-NN accuracy on the codes (${k} values)</span></div><div class="fact"><b>${num(100 * onInputs, 3)}%</b><span>${K}-NN accuracy on the inputs (${ctx.features} values)</span></div></div><p class="note">k-NN fitted on the first 80% of the rows, tested on the last 20%.</p>`;
  }
  return {
    id: 'codes',
    title: 'Codes',
    html: `${knn}${chartBox(map)}<p class="note">${notes.join(' ')}</p>`,
    charts: [map],
  };
}
