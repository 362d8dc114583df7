// The inference commands over a streamed file (see stream_data.ts): evaluate, encode and detect
// read a batch at a time and write their output rows as they are computed, through a temporary
// file renamed over --out at the end, so a file of any size is processed at bounded memory.

import { HourglassError } from '../engine/errors.js';
import { Random } from '../engine/random.js';
import { flagRows, squaredErrors } from '../apps/anomaly.js';
import { summarizeTrainingScores, type TrainingScores } from '../apps/training_scores.js';
import { readLabels } from '../data/labels.js';
import { openRowsWriter } from '../data/rows_writer.js';
import { csvCell, isMissing } from '../data/table.js';
import { openFile } from '../data/dataset_files.js';
import { rowPreparer, type PreparedRow } from '../data/table_stream.js';
import { inverseRows } from '../data/tabular_preprocessing.js';
import { imputeRows } from '../apps/impute.js';
import { preprocessingOf } from '../apps/tabular.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import { chooseThreshold, type ThresholdFlags } from './detect_threshold.js';
import { detectionQuality, SCORES_CSV_HEADER, scoresCsvLines } from './detection_output.js';
import { modelStream, STREAM_BATCH, StreamProgress, type ModelStream } from './stream_data.js';
import type { StreamDetection } from './streamed_detection.js';

export type { StreamDetection };

const lossModel = (ae: Autoencoder) => {
  const m = ae.model;
  if (!m.compiled) m.compile({ loss: 'mse', metrics: ['mse'] });
  return m;
};

/** Loss and MSE over every row, each batch weighted by its rows (the in-memory evaluate's means). */
export async function evaluateStream(
  ae: Autoencoder,
  spec: string,
  progress: boolean,
): Promise<{ rows: number; results: Record<string, number> }> {
  const m = lossModel(ae);
  const s = await modelStream(ae, spec);
  const bar = new StreamProgress(progress);
  const sums: Record<string, number> = {};
  let rows = 0;
  for await (const b of s.batches) {
    const n = b.x.shape[0]!;
    for (const [k, v] of Object.entries(m.evaluate(b.x, b.x, { batchSize: n }))) sums[k] = (sums[k] ?? 0) + v * n;
    rows += n;
    bar.update('Evaluating', rows, s.file);
  }
  bar.stop();
  if (!rows) throw new HourglassError(`${spec} has no rows`);
  return { rows, results: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / rows])) };
}

/** Writes the code of every row to `out` (.csv, .json or .npy) as the batches are encoded. */
export async function encodeStream(
  ae: Autoencoder,
  spec: string,
  out: string,
  progress: boolean,
): Promise<{ rows: number; dims: number }> {
  const s = await modelStream(ae, spec);
  const dims = ae.codeShape.reduce((a, b) => a * b, 1);
  const writer = openRowsWriter(out, dims, 'codes', 'z');
  const bar = new StreamProgress(progress);
  try {
    for await (const b of s.batches) {
      writer.write(ae.encoder().predict(b.x, { batchSize: b.x.shape[0]!, verbose: false }).data);
      bar.update('Encoding', writer.rows, s.file);
    }
    writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    bar.stop();
  }
  return { rows: writer.rows, dims };
}

/** Every row's anomaly score, batch by batch (over its observed values). */
async function* scoredBatches(ae: Autoencoder, s: ModelStream) {
  for await (const b of s.batches) {
    const e = squaredErrors(ae.model, b.x, b.mask);
    yield { ...b, ...e };
  }
}

/**
 * Scores and flags every row into the scores CSV (row, score, anomaly, top features). A threshold
 * from the data itself (--contamination, or no saved training scores) or labels to compare with
 * need every score: those runs keep them (4 bytes a row) in a first pass, then write in a second.
 */
export async function detectStream(
  ae: Autoencoder,
  spec: string,
  o: ThresholdFlags & { out: string; top: number; labels?: string },
  saved: TrainingScores | null,
  progress: boolean,
): Promise<StreamDetection> {
  const bar = new StreamProgress(progress);
  const needScores = o.labels !== undefined || o.contamination !== undefined || (o.threshold === undefined && !saved);
  let all: Float32Array | null = null;
  if (needScores) {
    const s = await modelStream(ae, spec);
    const parts: Float32Array[] = [];
    let rows = 0;
    for await (const b of scoredBatches(ae, s)) {
      parts.push(b.scores);
      rows += b.rows;
      bar.update('Scoring', rows, s.file);
    }
    bar.stop();
    all = new Float32Array(rows);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
  }
  const chosen = chooseThreshold(o, all ?? [], saved);
  const s = await modelStream(ae, spec);
  const out = new DurableFileWriter(o.out);
  let rows = 0,
    flagged = 0;
  try {
    out.write(SCORES_CSV_HEADER + '\n');
    const name = (j: number) => s.features?.[j] ?? `x${j}`;
    for await (const b of scoredBatches(ae, s)) {
      // The in-memory detect's rule and format, one batch at a time.
      const d = flagRows(b, { threshold: chosen.threshold }, o.top);
      flagged += d.flagged.reduce((a, f) => a + f, 0);
      const lines = scoresCsvLines(d, name, b.first);
      out.write(lines.join('\n') + '\n');
      rows += b.rows;
      bar.update('Detecting', rows, s.file);
    }
    out.finish();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    bar.stop();
  }
  const labels = o.labels ? readLabels(o.labels, rows) : null;
  return { rows, flagged, chosen, quality: detectionQuality(all ?? [], labels) };
}

/** Rows of the scores sample kept at train time: a fixed size whatever the file's rows. */
export const TRAINING_SCORE_SAMPLE = 100_000;

/**
 * The training rows' scores for detect's default threshold, from a streaming pass: a seeded
 * uniform sample of TRAINING_SCORE_SAMPLE rows (reservoir sampling) stands for them, so memory
 * is bounded; `rows` still counts every row.
 */
export async function trainingScoresStream(ae: Autoencoder, spec: string, progress: boolean): Promise<TrainingScores> {
  const s = await modelStream(ae, spec);
  const bar = new StreamProgress(progress);
  const random = new Random(7);
  const sample = new Float32Array(TRAINING_SCORE_SAMPLE);
  let seen = 0;
  for await (const b of scoredBatches(ae, s)) {
    for (let r = 0; r < b.rows; r++, seen++) {
      if (seen < sample.length) sample[seen] = b.scores[r]!;
      else {
        const j = random.int(seen + 1);
        if (j < sample.length) sample[j] = b.scores[r]!;
      }
    }
    bar.update('Scoring the training rows', seen, s.file);
  }
  bar.stop();
  const t = summarizeTrainingScores(sample.subarray(0, Math.min(seen, sample.length)));
  return { ...t, rows: seen };
}

export interface StreamImputation {
  rows: number;
  filledCells: number;
  /** The most rounds any batch took, and the largest change left in any batch. */
  rounds: number;
  change: number;
}

/**
 * Fills the gaps of a streamed table a batch of rows at a time: a row's filling depends on the
 * model and the row only, so each batch iterates to its own convergence (the stopping rule and
 * the two refill groups are the batch's, where the in-memory run's are the whole table's: the
 * filled values agree to the tolerance, not to the bit). Observed cells are copied as read.
 */
export async function imputeStream(
  ae: Autoencoder,
  spec: string,
  out: string,
  o: { maxIterations: number; tolerance: number },
  progress: boolean,
): Promise<StreamImputation> {
  const p = preprocessingOf(ae);
  if (!p) throw new HourglassError(`${spec}: this model was not trained on a table, so it cannot fill one`);
  const file = await openFile(spec);
  if (file.kind !== 'table') throw new HourglassError(`${spec}: impute reads a table`);
  const prepare = rowPreparer(p, file.columns, spec);
  const pairs = file.cells.map((cells, i) => ({ cells, row: prepare(cells, i) }));
  const at = p.columns.map((c) => file.columns.indexOf(c.name));
  const bar = new StreamProgress(progress);
  const writer = new DurableFileWriter(out);
  let rows = 0,
    filledCells = 0,
    rounds = 0,
    change = 0;
  try {
    writer.write(file.columns.map(csvCell).join(',') + '\n');
    const cellRows: string[][] = [];
    const batch: PreparedRow[] = [];
    const flush = () => {
      if (!batch.length) return;
      const width = batch[0]!.x.length;
      const x = new Float32Array(batch.length * width);
      const mask = new Float32Array(batch.length * width).fill(1);
      batch.forEach((r, i) => {
        x.set(r.x, i * width);
        if (r.mask) mask.set(r.mask, i * width);
      });
      const shape = [batch.length, width];
      const filled = imputeRows(ae, { data: x, shape }, { data: mask, shape }, o);
      rounds = Math.max(rounds, filled.iterations);
      change = Math.max(change, filled.change);
      const rebuilt = inverseRows(p, filled.values);
      const lines = cellRows.map((row, r) =>
        row
          .map((cell, c) => {
            if (!isMissing(cell)) return csvCell(cell);
            filledCells++;
            return csvCell(rebuilt[r]![at.indexOf(c)]!);
          })
          .join(','),
      );
      writer.write(lines.join('\n') + '\n');
      rows += batch.length;
      bar.update('Imputing', rows, file);
      batch.length = 0;
      cellRows.length = 0;
    };
    for await (const { cells, row } of pairs.prefetch(64)) {
      cellRows.push(cells);
      batch.push(row);
      if (batch.length === STREAM_BATCH) flush();
    }
    flush();
    writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    bar.stop();
  }
  return { rows, filledCells, rounds, change };
}
