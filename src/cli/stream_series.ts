// detect and encode on a sequence model over a streamed series (series_stream.ts): the steps are
// scaled as the model's training series was, cut into windows a batch at a time from a buffer
// of the last window's steps, and each batch is reconstructed (detect) or encoded (encode).
//
// detect's score of a step is the mean error of the windows covering it (stride 1: the window
// starting there and the window - 1 before it), so a step is written once the window starting at
// it is scored: a rolling buffer of the last `window` window errors, and of the steps not yet
// written, is all it keeps. The sums run over the windows in the order stepScores adds them, so
// the scores CSV is the same bytes as the in-memory detect's. --contamination compares a share
// of all the errors (or step scores, for --flag-rule mean): a first pass keeps them (8 bytes each)
// and the second writes.

import type { SeriesModelRecord } from '../apps/series_model.js';
import { csvCell } from '../data/table.js';
import { openRowsWriter, type RowsWriter } from '../data/rows_writer.js';
import { HourglassError } from '../engine/errors.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import type { SeriesInterval } from '../series/intervals.js';
import { openSeriesStream, type SeriesStep, type StreamedSeries } from '../series/series_stream.js';
import type { StepFlagRule } from '../series/step_scores.js';
import { seriesThreshold, type SeriesThresholdRule } from '../series/threshold.js';
import { formatTime } from '../series/timestamps.js';
import { scaledWindowBlocks } from '../series/window_stream.js';
import type { SeriesReadFlags } from './series_inputs.js';
import { STREAM_BATCH, StreamProgress } from './stream_data.js';

/** Values per reconstructed batch of windows at most (about 4 MB of float32; at most STREAM_BATCH windows). */
const BATCH_VALUES = 1 << 20;

export async function openSeriesFor(record: SeriesModelRecord, file: string, o: SeriesReadFlags) {
  return openSeriesStream(file, {
    timeColumn: record.timeColumn,
    valueColumns: record.scaling.columns.map((c) => c.name),
    missing: o.missing ?? 'error',
    gaps: o.gaps ?? 'error',
    duplicates: o.duplicates ?? 'error',
  });
}

const tooShort = (s: StreamedSeries, window: number) =>
  new HourglassError(`${s.file} has ${s.steps} steps, fewer than the window of ${window}: use a shorter window`);

/**
 * Windows of the scaled series every `stride` steps (and one ending at the last step when the
 * stride skips it), in batches (window_stream.ts): calls `each(batch, starts)` with
 * [count, window, features] values, and the steps read so far (their values, for detect's
 * output) through `stepRead`, each before the windows ending at it.
 */
export async function eachWindowBatch(
  record: SeriesModelRecord,
  s: StreamedSeries,
  stride: number,
  stepRead: (step: SeriesStep, index: number) => void,
  each: (batch: Float32Array, starts: number[]) => void,
  progress: Progress,
): Promise<void> {
  const { window } = record;
  if (s.steps < window) throw tooShort(s, window);
  const size = window * s.features;
  const perBlock = Math.max(1, Math.min(STREAM_BATCH, Math.floor(BATCH_VALUES / size)));
  let t = 0;
  const onStep = (step: SeriesStep, index: number) => {
    stepRead(step, index);
    progress.bar.update(progress.phase, index + 1, s.table, 'steps');
    t = index + 1;
  };
  for await (const b of scaledWindowBlocks(s.read(), { window, stride, scaling: record.scaling, perBlock, onStep }))
    each(b.data, b.starts);
  if (t < window) throw tooShort({ ...s, steps: t }, window);
}

/** The bar and the phase it names (it counts steps). */
export interface Progress {
  bar: StreamProgress;
  phase: string;
}

/** Mean absolute error of each window of the batch (windowErrors' 'mae'). */
function windowMae(x: Float32Array, y: Float32Array, count: number): Float64Array {
  const per = x.length / count;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let j = i * per; j < (i + 1) * per; j++) sum += Math.abs(y[j]! - x[j]!);
    out[i] = sum / per;
  }
  return out;
}

export interface StreamedSeriesDetection {
  steps: number;
  flagged: number;
  threshold: number;
  intervals: SeriesInterval[];
}

interface PassOptions {
  flagRule: StepFlagRule;
  threshold: number;
  /** Each step once its score is final, in order. */
  step?: (time: number, values: Float64Array, score: number, flag: number, index: number) => void;
  /** Each batch's window errors (a first pass keeping them for --contamination). */
  errors?: (errors: Float64Array) => void;
  progress: Progress;
}

/** One pass over the series: every window reconstructed, every step scored; returns the steps. */
async function scorePass(ae: Autoencoder, record: SeriesModelRecord, s: StreamedSeries, o: PassOptions) {
  const w = record.window;
  // The steps read but not yet written (at most a batch of windows and a window ahead), and the
  // errors of the last w windows (a ring: no step is covered by older ones).
  const pending: SeriesStep[] = [];
  let head = 0;
  const errors = new Float64Array(w);
  let windows = 0,
    written = 0,
    steps = 0;
  const writeStep = (t: number) => {
    // Windows a..b cover step t: a = t - w + 1 (at least 0), b = t (at most the last window).
    const a = Math.max(0, t - w + 1),
      b = Math.min(t, windows - 1);
    let sum = 0,
      all = true;
    for (let i = a; i <= b; i++) {
      const e = errors[i % w]!;
      sum += e;
      if (!(e > o.threshold)) all = false;
    }
    const score = sum / (b - a + 1);
    const flag = o.flagRule === 'mean' ? (score > o.threshold ? 1 : 0) : all ? 1 : 0;
    const st = pending[head++]!;
    if (head > 4096) {
      pending.splice(0, head);
      head = 0;
    }
    o.step?.(st.time, st.values, score, flag, t);
  };
  await eachWindowBatch(
    record,
    s,
    1,
    (st, t) => {
      pending.push(st);
      steps = t + 1;
    },
    (batch, starts) => {
      const x = { data: batch, shape: [starts.length, w, s.features] };
      const e = windowMae(batch, ae.reconstruct(x).data, starts.length);
      o.errors?.(e);
      for (let i = 0; i < starts.length; i++) {
        errors[windows % w] = e[i]!;
        windows++;
        // Window k is the last one covering step k: that step's score is final now.
        writeStep(written++);
      }
    },
    o.progress,
  );
  while (written < steps) writeStep(written++);
  return steps;
}

const concat = (parts: Float64Array[]): Float64Array => {
  const all = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};

/** detect on a sequence model over a streamed series: the scores CSV written as it is computed. */
export async function detectSeriesStream(
  ae: Autoencoder,
  record: SeriesModelRecord,
  file: string,
  out: string,
  rule: SeriesThresholdRule,
  flagRule: StepFlagRule,
  o: SeriesReadFlags,
  showProgress: boolean,
): Promise<StreamedSeriesDetection> {
  const s = await openSeriesFor(record, file, o);
  const bar = new StreamProgress(showProgress);
  try {
    return await detectSteps(ae, record, s, out, rule, flagRule, bar);
  } finally {
    bar.stop();
  }
}

async function detectSteps(
  ae: Autoencoder,
  record: SeriesModelRecord,
  s: StreamedSeries,
  out: string,
  rule: SeriesThresholdRule,
  flagRule: StepFlagRule,
  bar: StreamProgress,
): Promise<StreamedSeriesDetection> {
  let threshold: number;
  if ('contamination' in rule) {
    // Every window error (all-windows) or step score (mean), as the in-memory threshold sees them.
    const parts: Float64Array[] = [];
    let chunk = new Float64Array(65536),
      n = 0;
    await scorePass(ae, record, s, {
      flagRule,
      threshold: Infinity,
      progress: { bar, phase: 'Scoring (--contamination)' },
      ...(flagRule === 'mean'
        ? {
            step: (_t, _v, score) => {
              chunk[n++] = score;
              if (n === chunk.length) [parts[parts.length], chunk, n] = [chunk, new Float64Array(65536), 0];
            },
          }
        : { errors: (e) => parts.push(e) }),
    });
    if (n) parts.push(chunk.subarray(0, n));
    threshold = seriesThreshold(rule, concat(parts));
  } else threshold = seriesThreshold(rule);

  const writer = new DurableFileWriter(out);
  const intervals: SeriesInterval[] = [];
  let open: SeriesInterval | null = null;
  let flagged = 0;
  const cell = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7))));
  let lines: string[] = [];
  try {
    writer.write([s.timeColumn, ...s.columns, 'score', 'anomaly'].map(csvCell).join(',') + '\n');
    const steps = await scorePass(ae, record, s, {
      flagRule,
      threshold,
      progress: { bar, phase: 'Detecting' },
      step: (time, values, score, flag, t) => {
        const text = formatTime(time, s.timeKind);
        const cells = [text];
        for (let f = 0; f < values.length; f++) cells.push(cell(values[f]!));
        cells.push(cell(score), cell(flag));
        lines.push(cells.join(','));
        if (lines.length >= 4096) {
          writer.write(lines.join('\n') + '\n');
          lines = [];
        }
        if (!flag) return;
        flagged++;
        // Runs of adjacent flagged steps, each with its highest score (seriesIntervals, mergeGap 0).
        if (open && open.end === t - 1) {
          open.end = t;
          open.endTime = text;
          open.steps++;
          if (score > open.peakScore) [open.peak, open.peakScore, open.peakTime] = [t, score, text];
        } else {
          open = {
            start: t,
            end: t,
            startTime: text,
            endTime: text,
            peak: t,
            peakScore: score,
            peakTime: text,
            steps: 1,
          };
          intervals.push(open);
        }
      },
    });
    if (lines.length) writer.write(lines.join('\n') + '\n');
    writer.finish();
    return { steps, flagged, threshold, intervals };
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** encode on a sequence model over a streamed series: one code per window, written as computed. */
export async function encodeSeriesStream(
  ae: Autoencoder,
  record: SeriesModelRecord,
  file: string,
  out: string,
  stride: number,
  o: SeriesReadFlags,
  showProgress: boolean,
): Promise<{ rows: number; dims: number; steps: number }> {
  const s = await openSeriesFor(record, file, o);
  const bar = new StreamProgress(showProgress);
  let writer: RowsWriter | null = null;
  let dims = 0;
  try {
    await eachWindowBatch(
      record,
      s,
      stride,
      () => {},
      (batch, starts) => {
        const codes = ae.encode({ data: batch, shape: [starts.length, record.window, s.features] });
        dims = codes.shape[1]!;
        writer ??= openRowsWriter(out, dims, 'codes', 'z');
        writer.write(codes.data);
      },
      { bar, phase: 'Encoding' },
    );
    const rows = writer!.rows;
    writer!.finish();
    return { rows, dims, steps: s.steps };
  } catch (e) {
    (writer as RowsWriter | null)?.abort();
    throw e;
  } finally {
    bar.stop();
  }
}
