// Per-step labels from labelled time windows (NAB's anomaly windows): a step is anomalous (1)
// when its time lies in some window, ends included; and the point metrics of scores against them.

import { HourglassError } from '../engine/errors.js';
import { averagePrecision, rocAuc } from '../apps/metrics.js';
import type { Series } from './series.js';
import { parseDateTime } from './timestamps.js';

/** A labelled window as written: its first and last time. */
export type TimeWindow = readonly [string, string];

export function labelsFromWindows(
  series: Pick<Series, 'times' | 'timeKind' | 'file'>,
  windows: readonly TimeWindow[],
): Uint8Array {
  const time = (text: string) => {
    const v = series.timeKind === 'number' ? Number(text) : parseDateTime(text);
    if (!Number.isFinite(v))
      throw new HourglassError(`${series.file}: the labelled window time '${text}' is not a time`);
    return v;
  };
  const labels = new Uint8Array(series.times.length);
  for (const [from, to] of windows) {
    const [a, b] = [time(from), time(to)];
    if (b < a)
      throw new HourglassError(`${series.file}: the labelled window '${from}' .. '${to}' ends before it starts`);
    series.times.forEach((t, i) => {
      if (t >= a && t <= b) labels[i] = 1;
    });
  }
  return labels;
}

export interface PointMetrics {
  rocAuc: number;
  averagePrecision: number;
}

/** ROC-AUC and average precision of per-step scores (higher = more anomalous) against 0/1 labels. */
export function evaluateStepScores(scores: ArrayLike<number>, labels: ArrayLike<number>): PointMetrics {
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i]))
      throw new HourglassError(`step ${i} has no finite score (${scores[i]}): every step needs one to be evaluated`);
  return { rocAuc: rocAuc(scores, labels), averagePrecision: averagePrecision(scores, labels) };
}
