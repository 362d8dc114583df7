// denoise and impute on a sequence model over a streamed series (series_stream.ts), giving the
// in-memory commands' output at bounded memory.
//
// denoise: every step is the mean of its windows' reconstructions (stride 1, as
// reconstructSeries). Window k is the last window covering step k, so step k is written once
// window k is rebuilt; a ring of the last `window` steps' sums is all that is kept.
//
// impute: the in-memory run refills the missing cells `rounds` times from the reconstruction of
// the whole series. A missing cell's new value depends only on the windows covering it, which
// reach `window - 1` steps either side; so missing cells fewer than `window` steps apart depend
// on each other and cells further apart do not. Each such cluster, with `window - 1` steps of
// context either side, is refilled on its own, with the same windows summed in the same order as
// the whole-series run: the same values. Observed steps are written as they are read. A cluster
// is held in memory until it closes: a series whose missing cells never lie a window apart
// cannot be imputed streamed beyond MAX_SEGMENT_STEPS (the message says so).

import type { SeriesModelRecord } from '../apps/series_model.js';
import { csvCell } from '../data/table.js';
import { HourglassError } from '../engine/errors.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import type { SeriesStep, StreamedSeries } from '../series/series_stream.js';
import { formatTime } from '../series/timestamps.js';
import type { SeriesReadFlags } from './series_inputs.js';
import { StreamProgress } from './stream_data.js';
import { eachWindowBatch, openSeriesFor } from './stream_series.js';

/** Steps one cluster of missing cells (with its context) may span in a streamed impute. */
export const MAX_SEGMENT_STEPS = 1 << 21;

/** Values per batch of windows rebuilt in an impute round (about 4 MB of float32). */
const ROUND_BATCH_VALUES = 1 << 20;

/** The series CSV (seriesCsv's header and cells), written a block of lines at a time. */
class SeriesCsvWriter {
  private readonly writer: DurableFileWriter;
  private lines: string[] = [];
  steps = 0;

  constructor(
    out: string,
    private readonly s: StreamedSeries,
  ) {
    this.writer = new DurableFileWriter(out);
    this.writer.write([s.timeColumn, ...s.columns].map(csvCell).join(',') + '\n');
  }

  step(time: number, values: ArrayLike<number>): void {
    const cells = [formatTime(time, this.s.timeKind)];
    for (let f = 0; f < values.length; f++) cells.push(numberCell(values[f]!));
    this.lines.push(cells.join(','));
    this.steps++;
    if (this.lines.length >= 4096) this.flush();
  }

  finish(): void {
    this.flush();
    this.writer.finish();
  }

  abort(): void {
    this.writer.abort();
  }

  private flush(): void {
    if (this.lines.length) this.writer.write(this.lines.join('\n') + '\n');
    this.lines = [];
  }
}

/** seriesCsv's cell: integers as written, other numbers to 7 significant digits. */
const numberCell = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7))));

async function withSeriesOutput<T>(
  record: SeriesModelRecord,
  file: string,
  out: string,
  o: SeriesReadFlags,
  showProgress: boolean,
  job: (s: StreamedSeries, w: SeriesCsvWriter, bar: StreamProgress) => Promise<T>,
): Promise<T> {
  const s = await openSeriesFor(record, file, o);
  if (s.steps < record.window)
    throw new HourglassError(
      `${s.file} has ${s.steps} steps, fewer than the window of ${record.window}: use a shorter window`,
    );
  const bar = new StreamProgress(showProgress);
  const w = new SeriesCsvWriter(out, s);
  try {
    const r = await job(s, w, bar);
    w.finish();
    return r;
  } catch (e) {
    w.abort();
    throw e;
  } finally {
    bar.stop();
  }
}

/** denoise on a streamed series: every step rebuilt (the mean over its windows), in order. */
export async function denoiseSeriesStream(
  ae: Autoencoder,
  record: SeriesModelRecord,
  file: string,
  out: string,
  o: SeriesReadFlags,
  showProgress: boolean,
): Promise<{ steps: number }> {
  return withSeriesOutput(record, file, out, o, showProgress, async (s, writer, bar) => {
    const W = record.window,
      d = s.features;
    const columns = record.scaling.columns;
    const sums = new Float64Array(W * d),
      counts = new Float64Array(W);
    const pending: SeriesStep[] = [];
    let head = 0,
      windows = 0,
      steps = 0;
    const row = new Float64Array(d);
    const writeStep = (t: number) => {
      const at = t % W;
      for (let f = 0; f < d; f++) row[f] = (sums[at * d + f]! / counts[at]!) * columns[f]!.scale + columns[f]!.center;
      sums.fill(0, at * d, (at + 1) * d);
      counts[at] = 0;
      writer.step(pending[head++]!.time, row);
      if (head > 4096) {
        pending.splice(0, head);
        head = 0;
      }
    };
    await eachWindowBatch(
      record,
      s,
      1,
      (step, t) => {
        pending.push(step);
        steps = t + 1;
      },
      (batch, starts) => {
        const y = ae.reconstruct({ data: batch, shape: [starts.length, W, d] }).data;
        for (let i = 0; i < starts.length; i++) {
          const k = windows++;
          for (let j = 0; j < W; j++) {
            const at = (k + j) % W;
            counts[at]!++;
            for (let f = 0; f < d; f++) sums[at * d + f]! += y[(i * W + j) * d + f]!;
          }
          // Window k is the last one covering step k.
          writeStep(k);
        }
      },
      { bar, phase: 'Denoising' },
    );
    for (let t = windows; t < steps; t++) writeStep(t);
    return { steps };
  });
}

/** impute on a streamed series: missing cells refilled `rounds` times, cluster by cluster. */
export async function imputeSeriesStream(
  ae: Autoencoder,
  record: SeriesModelRecord,
  file: string,
  out: string,
  rounds: number,
  o: SeriesReadFlags,
  showProgress: boolean,
): Promise<{ steps: number; filledCells: number }> {
  if (o.duplicates !== undefined && o.duplicates !== 'error')
    throw new HourglassError(
      `${file}: impute needs one row per timestamp, so --duplicates is not for it (rows sharing a timestamp are refused)`,
    );
  // Missing cells start from linear interpolation (or the previous value), as in memory.
  const read = { ...o, missing: o.missing === 'previous' ? ('previous' as const) : ('interpolate' as const) };
  return withSeriesOutput(record, file, out, read, showProgress, async (s, writer, bar) => {
    const W = record.window;
    // Steps from `base` on, kept for writing or as a cluster's context.
    let kept: SeriesStep[] = [];
    let base = 0,
      written = 0,
      first = -1,
      last = -1,
      filledCells = 0,
      t = -1;
    const close = (end: number) => {
      const start = Math.max(0, first - W + 1);
      refill(ae, record, kept.slice(start - base, end - base + 1), rounds, s.features);
      first = last = -1;
    };
    for await (const step of s.read()) {
      t++;
      kept.push(step);
      if (step.missing) {
        if (first < 0) first = t;
        last = t;
        for (const m of step.missing) filledCells += m;
      }
      if (first >= 0 && t === last + W - 1) close(t);
      if (first >= 0 && t - Math.max(0, first - W + 1) >= MAX_SEGMENT_STEPS)
        throw new HourglassError(
          `${s.file}: its missing values from step ${first + 1} on lie less than a window (${W} steps) apart for more than ${MAX_SEGMENT_STEPS} steps, too long a stretch to impute streamed: impute it in memory (leave out --stream) or in parts`,
        );
      // Steps before an open cluster are final (observed cells are written as read).
      for (; written <= t && (first < 0 || written < first); written++) {
        const st = kept[written - base]!;
        writer.step(st.time, st.values);
      }
      // Keep what is not written and the last window - 1 steps (a later cluster's context);
      // while a cluster is open, its context before its first missing step.
      const keepFrom = first >= 0 ? Math.max(0, first - W + 1) : Math.min(written, t - W + 2);
      if (keepFrom - base > 4096) {
        kept = kept.slice(keepFrom - base);
        base = keepFrom;
      }
      bar.update('Imputing', t + 1, s.table, 'steps');
    }
    if (first >= 0) close(t);
    for (; written <= t; written++) writer.step(kept[written - base]!.time, kept[written - base]!.values);
    return { steps: t + 1, filledCells };
  });
}

/**
 * imputeSeries on a stretch of steps (values in the series' units, changed in place): every
 * window of the stretch (stride 1) rebuilt, each step's mean over its windows, missing cells
 * replaced; `rounds` times. The sums run over the windows in order, as meanOverWindows does.
 */
function refill(ae: Autoencoder, record: SeriesModelRecord, steps: SeriesStep[], rounds: number, d: number): void {
  const W = record.window,
    n = steps.length,
    columns = record.scaling.columns;
  if (n < W) return; // a series shorter than a window was refused before
  const count = n - W + 1;
  const perBatch = Math.max(1, Math.floor(ROUND_BATCH_VALUES / (W * d)));
  const sums = new Float64Array(n * d),
    covered = new Float64Array(n);
  const batch = new Float32Array(perBatch * W * d);
  for (let r = 0; r < rounds; r++) {
    sums.fill(0);
    covered.fill(0);
    for (let k0 = 0; k0 < count; k0 += perBatch) {
      const m = Math.min(perBatch, count - k0);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < W; j++) {
          const v = steps[k0 + i + j]!.values;
          for (let f = 0; f < d; f++) batch[(i * W + j) * d + f] = (v[f]! - columns[f]!.center) / columns[f]!.scale;
        }
      const y = ae.reconstruct({ data: batch.subarray(0, m * W * d), shape: [m, W, d] }).data;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < W; j++) {
          const at = k0 + i + j;
          covered[at]!++;
          for (let f = 0; f < d; f++) sums[at * d + f]! += y[(i * W + j) * d + f]!;
        }
    }
    for (let t = 0; t < n; t++) {
      const miss = steps[t]!.missing;
      if (!miss) continue;
      for (let f = 0; f < d; f++)
        if (miss[f]) steps[t]!.values[f] = (sums[t * d + f]! / covered[t]!) * columns[f]!.scale + columns[f]!.center;
    }
  }
}
