// Series: the values over time with the flagged steps drawn over them, the per-step scores with
// the threshold, and the flagged intervals, from what detectSeriesAnomalies returns. The report
// takes it through its `sections` hook (the sequence autoencoders live elsewhere):
// report(ae, null, { sections: [seriesSection(series, detection)] }).

import type { Series } from '../../series/series.js';
import type { SeriesDetection } from '../../series/detect.js';
import type { LineChart } from '../chart_spec.js';
import { chartBox, escapeHtml, htmlTable, num, type Section } from '../html.js';

/** Charts of more steps than this show every k-th step (the flagged ones always). */
const MAX_POINTS = 20_000;

/**
 * `column`: the value column drawn; `scoring`: how the scores and threshold were made, for the
 * reader (e.g. "mean absolute error of the windows; threshold: the largest training error").
 */
export function seriesSection(series: Series, detection: SeriesDetection, column = 0, scoring?: string): Section {
  const n = series.steps,
    f = series.features;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const idx = Array.from({ length: n }, (_, i) => i).filter((i) => i % stride === 0 || detection.flagged[i] === 1);
  const time = series.timeKind === 'datetime';
  // uPlot's time axes count seconds.
  const x = idx.map((i) => (time ? series.times[i]! / 1000 : series.times[i]!));
  const value = idx.map((i) => series.values[i * f + column]!);
  const name = series.columns[column] ?? 'value';
  const values: LineChart = {
    kind: 'line',
    id: 'series-values',
    title: `${name}, flagged steps in the second colour`,
    xLabel: series.timeColumn,
    yLabel: name,
    timeX: time,
    x,
    series: [
      { label: name, y: value },
      { label: 'flagged', y: idx.map((i, k) => (detection.flagged[i] ? value[k]! : null)), points: true },
    ],
  };
  const scores: LineChart = {
    kind: 'line',
    id: 'series-scores',
    title: `Score per step and the threshold (${num(detection.threshold)})`,
    xLabel: series.timeColumn,
    yLabel: 'score',
    timeX: time,
    x,
    series: [
      { label: 'score', y: idx.map((i) => detection.scores[i]!) },
      { label: 'threshold', y: idx.map(() => detection.threshold), dash: true },
    ],
  };
  const flagged = detection.flagged.reduce((a, b) => a + b, 0);
  const intervals = detection.intervals.length
    ? htmlTable(
        ['interval', 'from', 'to', 'steps', 'peak score'],
        detection.intervals.map((v, i) => [
          String(i + 1),
          escapeHtml(v.startTime),
          escapeHtml(v.endTime),
          String(v.end - v.start + 1),
          num(v.peakScore),
        ]),
        'series-intervals',
      )
    : '<p class="note">No interval is flagged.</p>';
  return {
    id: 'series',
    title: 'Series',
    html: `<p>${n.toLocaleString('en-US')} steps of ${escapeHtml(series.file)}; ${flagged.toLocaleString('en-US')} flagged in ${detection.intervals.length} interval${detection.intervals.length === 1 ? '' : 's'}.</p>${scoring ? `<p class="note" data-note="series-scoring">Scores: ${escapeHtml(scoring)}.</p>` : ''}${chartBox(values)}${chartBox(scores)}${intervals}`,
    charts: [values, scores],
  };
}
