// Anomalies: the histogram of the rows' reconstruction errors with the threshold, ROC and
// precision-recall curves with their areas when 0/1 labels are given (1 = anomaly), and the top
// anomalies with the features (or, for images, the pixels) that make up their error.

import { quantile } from '../../apps/anomaly.js';
import { averagePrecision, rocAuc } from '../../apps/metrics.js';
import { histogram, type HistogramChart, type LineChart } from '../chart_spec.js';
import { binaryLabels, worstRows, type RowsContext } from '../context.js';
import { chartBox, escapeHtml, htmlTable, num, type Section } from '../html.js';
import { rowOf } from '../image_grid.js';
import { imageFigure } from './images_section.js';

const BINS = 40,
  TOP = 10,
  CURVE_POINTS = 400;

export interface ThresholdChoice {
  threshold?: number | undefined;
  /** The share of rows expected to be anomalies (default 0.05): the threshold is the scores' 1 - c quantile. */
  contamination?: number | undefined;
}

/** ROC and PR points from the top score down (ties as one step), thinned to about CURVE_POINTS. */
export function rankingCurves(scores: Float32Array, labels: Int32Array) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const pos = labels.reduce((a, b) => a + b, 0),
    neg = labels.length - pos;
  const fpr = [0],
    tpr = [0],
    recall: number[] = [],
    precision: number[] = [];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!] === 1) tp++;
      else fp++;
      j++;
    }
    fpr.push(fp / neg);
    tpr.push(tp / pos);
    recall.push(tp / pos);
    precision.push(tp / (tp + fp));
    i = j;
  }
  const thin = (n: number) => {
    const step = Math.max(1, Math.floor(n / CURVE_POINTS));
    return Array.from({ length: n }, (_, i) => i).filter((i) => i % step === 0 || i === n - 1);
  };
  const r = thin(fpr.length),
    p = thin(recall.length);
  return {
    roc: { x: r.map((i) => fpr[i]!), y: r.map((i) => tpr[i]!) },
    pr: { x: p.map((i) => recall[i]!), y: p.map((i) => precision[i]!) },
  };
}

export function anomaliesSection(ctx: RowsContext, choice: ThresholdChoice): Section {
  const scores = ctx.errors.scores;
  const contamination = choice.contamination ?? 0.05;
  const threshold = choice.threshold ?? quantile(scores, 1 - contamination);
  const rule =
    choice.threshold !== undefined
      ? `the threshold given (${num(threshold)})`
      : `the ${num(100 * (1 - contamination), 3)}th percentile of these scores (${num(threshold)}, for ${num(100 * contamination, 3)}% expected anomalies)`;
  const flagged = scores.reduce((n, s) => n + (s > threshold ? 1 : 0), 0);
  let lo = Infinity,
    hi = -Infinity;
  for (const s of scores) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  // Errors are skewed: bins of log10(score) when they span more than a factor of 100.
  const log = lo > 0 && hi / lo > 100;
  const values = log ? Float64Array.from(scores, Math.log10) : scores;
  const bins = histogram(values, BINS, log ? Math.log10(lo) : lo, log ? Math.log10(hi) : hi);
  const hist: HistogramChart = {
    kind: 'histogram',
    id: 'score-histogram',
    title: `Reconstruction error of ${ctx.rows.toLocaleString('en-US')} rows, threshold dashed`,
    xLabel: log ? 'log10 of the mean squared error' : 'mean squared error',
    yLabel: 'rows',
    ...bins,
    marker: { x: log ? Math.log10(threshold) : threshold, label: 'threshold' },
  };
  const charts: (HistogramChart | LineChart)[] = [hist];
  let html = `<div class="facts"><div class="fact"><b>${flagged.toLocaleString('en-US')} of ${ctx.rows.toLocaleString('en-US')}</b><span>rows above the threshold</span></div>`;
  const labels = binaryLabels(ctx.labels) ? ctx.labels : null;
  if (labels) {
    const auc = rocAuc(scores, labels),
      ap = averagePrecision(scores, labels);
    html += `<div class="fact" data-metric="roc-auc"><b>${num(auc)}</b><span>ROC-AUC</span></div><div class="fact" data-metric="pr-auc"><b>${num(ap)}</b><span>PR-AUC (average precision)</span></div>`;
    const curves = rankingCurves(scores, labels);
    charts.push(
      {
        kind: 'line',
        id: 'roc-curve',
        title: `ROC curve (area ${num(auc)})`,
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        x: curves.roc.x,
        series: [{ label: 'model', y: curves.roc.y }],
        diagonal: true,
      },
      {
        kind: 'line',
        id: 'pr-curve',
        title: `Precision–recall curve (average precision ${num(ap)})`,
        xLabel: 'recall',
        yLabel: 'precision',
        x: curves.pr.x,
        series: [{ label: 'model', y: curves.pr.y }],
      },
    );
  }
  html += `</div><p class="note">Score: each row's mean squared reconstruction error${ctx.mask ? ' over its observed values' : ''}. Threshold: ${escapeHtml(rule)}.${labels ? ' Labels: 1 = anomaly.' : ''}</p>`;
  html += `<div class="grid2">${charts.map(chartBox).join('')}</div>`;
  html += topAnomalies(ctx);
  return { id: 'anomalies', title: 'Anomalies', html, charts };
}

function topAnomalies(ctx: RowsContext): string {
  const top = worstRows(ctx.errors.scores, Math.min(TOP, ctx.rows));
  const f = ctx.features,
    errors = ctx.errors.errors;
  const rowsHtml = top.map((r, rank) => {
    const own = errors.subarray(r * f, (r + 1) * f);
    const total = own.reduce((a, b) => a + b, 0) || 1;
    const parts = Array.from(own.keys())
      .sort((a, b) => own[b]! - own[a]!)
      .slice(0, 3)
      .map((j) => `${escapeHtml(ctx.featureNames[j]!)} ${num((100 * own[j]!) / total, 3)}%`);
    return [
      String(rank + 1),
      String(r + 1),
      num(ctx.errors.scores[r]),
      ...(ctx.labels ? [escapeHtml(ctx.labelName(ctx.labels[r]!))] : []),
      ...(ctx.image ? [] : [parts.join(', ')]),
    ];
  });
  const header = [
    'rank',
    'row',
    'score',
    ...(ctx.labels ? ['label'] : []),
    ...(ctx.image ? [] : ['largest shares of the error']),
  ];
  let html = `<h3>Top ${top.length} anomalies</h3>`;
  if (ctx.image) {
    const shape = ctx.image;
    const maxError = Math.max(...top.map((r) => Math.max(...errors.subarray(r * f, (r + 1) * f))), 1e-12);
    const heat = top.map((r) => Float32Array.from(errors.subarray(r * f, (r + 1) * f), (e) => e / maxError));
    const plain = shape[2] === 1 ? 'ink' : 'plain';
    html += imageFigure(
      'Top anomalies: originals (top), reconstructions (middle), squared error per pixel (bottom, darker red is larger)',
      [top.map((r) => rowOf(ctx.x, r, f)), top.map((r) => rowOf(ctx.reconstruction, r, f)), heat],
      shape,
      'top-anomalies',
      [plain, plain, 'heat'],
    );
  }
  return html + htmlTable(header, rowsHtml, 'top-anomalies');
}
