// Training curves: train and validation loss per epoch over every fit (a continued training goes
// on counting), and the loss per step of the last fit when it was short enough to keep them.

import type { Autoencoder } from '../../models/autoencoder.js';
import { allEpochs } from '../../model/training_history.js';
import type { LineChart } from '../chart_spec.js';
import { chartBox, escapeHtml, htmlTable, num, type Section } from '../html.js';

/** A log scale when the values are positive and span more than a factor of 20. */
function wantsLog(values: (number | null)[]): boolean {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 1 && Math.min(...v) > 0 && Math.max(...v) / Math.min(...v) > 20;
}

export function trainingSection(ae: Autoencoder): Section | null {
  const h = ae.trainingHistory;
  const epochs = allEpochs(h);
  if (!epochs.length) return null;
  const loss = epochs.map((e) => e.logs['loss'] ?? null);
  const val = epochs.map((e) => e.logs['val_loss'] ?? null);
  const hasVal = val.some((v) => v !== null);
  const perEpoch: LineChart = {
    kind: 'line',
    id: 'loss-per-epoch',
    title: 'Loss per epoch',
    xLabel: 'epoch',
    yLabel: 'loss',
    logY: wantsLog([...loss, ...val]),
    integerX: true,
    x: epochs.map((e) => e.index),
    series: [
      { label: 'training', y: loss, points: true },
      ...(hasVal ? [{ label: 'validation', y: val, dash: true, points: true }] : []),
    ],
  };
  const charts: LineChart[] = [perEpoch];
  const last = h.runs.at(-1)!;
  if (last.stepLoss?.length) {
    charts.push({
      kind: 'line',
      id: 'loss-per-step',
      title: `Loss per step (fit ${h.runs.length})`,
      xLabel: 'step',
      yLabel: 'loss',
      logY: wantsLog(last.stepLoss),
      integerX: true,
      x: last.stepLoss.map((_, i) => i + 1),
      series: [{ label: 'training step', y: last.stepLoss }],
    });
  }
  const final = epochs.at(-1)!;
  const keys = Object.keys(final.logs).sort();
  const table = htmlTable(
    ['value', 'last epoch', 'lowest'],
    keys.map((k) => {
      const series = epochs.map((e) => e.logs[k]).filter((v): v is number => v !== undefined);
      return [escapeHtml(k), num(final.logs[k]), num(Math.min(...series))];
    }),
  );
  return {
    id: 'training',
    title: 'Training curves',
    html: `<div class="grid2">${charts.map(chartBox).join('')}</div>${table}`,
    charts,
  };
}
