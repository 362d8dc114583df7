// The table anomaly detector (src/detection/detector.ts) over a streamed file (see stream_data.ts).
//
// Training: the detector's members train for a fixed budget of optimizer steps (1,500 of at most
// 64 rows), and its statistics (median/MAD of each member's scores, the code density, the
// trimming quantile, the default threshold) are fitted on the rows it trains on. So a streamed run
// fits the tabular preprocessing in one pass over every row, then keeps a seeded uniform sample
// of the prepared rows (reservoir sampling, at most DETECTOR_SAMPLE_ROWS rows and
// DETECTOR_SAMPLE_BYTES bytes) in a second pass, and trains the detector on that sample in
// memory. A file with no more rows than the sample holds is kept whole, in its order: the
// detector is then the in-memory one (its preprocessing up to float rounding of the scales).
//
// Detection: a row's score depends on the detector and the row only, so rows are scored and
// written a batch at a time. A threshold from the scored rows themselves (--contamination, or a
// detector saved without training scores) or labels need every score: those runs keep them
// (8 bytes a row) in a first pass, then write in a second, as the autoencoder's detect does.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Dataset } from '../data/dataset.js';
import { openFile, type StreamedFile } from '../data/dataset_files.js';
import { readLabels } from '../data/labels.js';
import { reservoirSample } from '../data/reservoir.js';
import { fitPreprocessingStream, rowPreparer } from '../data/table_stream.js';
import { featureNames, rowWidth, type Scaling, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { AnomalyDetector } from '../detection/detector.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import { chooseThreshold, type ThresholdFlags } from './detect_threshold.js';
import { detectionQuality, SCORES_CSV_HEADER, scoresCsvLines } from './detection_output.js';
import { memberProgress } from './progress.js';
import { numericCells, STREAM_BATCH, StreamProgress } from './stream_data.js';
import type { CommonFlags } from './output.js';
import type { StreamDetection } from './streamed_detection.js';

/** The most rows a streamed detector trains on (a member sees 1,500 x 64 = 96,000 by default). */
export const DETECTOR_SAMPLE_ROWS = 100_000;
/** The most bytes of float32 rows the sample holds (the fit needs a few times this). */
export const DETECTOR_SAMPLE_BYTES = 32 << 20;

/** Rows a sample of rows of `width` values holds. */
export const detectorSampleRows = (width: number) =>
  Math.max(8, Math.min(DETECTOR_SAMPLE_ROWS, Math.floor(DETECTOR_SAMPLE_BYTES / (4 * Math.max(1, width)))));

/** The file's rows as the detector reads them: a table through its preprocessing, else the numbers. */
function detectorRows(file: StreamedFile, p: TabularPreprocessing | null, spec: string): Dataset<Float32Array> {
  if (p) {
    if (file.kind !== 'table')
      throw new HourglassError(
        `${spec}: this detector was trained on a table; give it a table (CSV, NDJSON or Parquet)`,
      );
    const prepare = rowPreparer(p, file.columns, spec);
    // Gaps sit at their column's mean, as transformTable leaves them in memory.
    return file.cells.map((cells, i) => prepare(cells, i).x);
  }
  if (file.kind === 'table') return numericCells(file, spec);
  if (file.image)
    throw new HourglassError(
      `${spec}: images train the image detector, which reads its data into memory (leave out --stream)`,
    );
  return file.rows;
}

export interface RowSample {
  x: Tensor;
  /** Rows in the file (the sample holds min(rows, capacity)). */
  rows: number;
}

/** A seeded uniform sample of the rows (reservoirSample), packed into one tensor [n, width]. */
export async function sampleRows(
  rows: AsyncIterable<Float32Array>,
  capacity: (width: number) => number,
  seed: number,
): Promise<RowSample> {
  const s = await reservoirSample(
    rows,
    (first) => capacity(first.length),
    seed,
    (r) => r.slice(),
  );
  const width = s.items[0]?.length ?? 0;
  const data = new Float32Array(s.items.length * width);
  s.items.forEach((r, i) => data.set(r, i * width));
  return { x: { data, shape: [s.items.length, width] }, rows: s.seen };
}

export interface DetectorStreamTrainFlags extends CommonFlags {
  out: string;
  seed: number;
  scaling: Scaling;
  contamination?: number;
  members?: number;
  steps?: number;
}

export interface StreamedDetector {
  detector: AnomalyDetector;
  /** Rows in the file, and rows trained on (the sample). */
  rows: number;
  sampled: number;
  preprocessing: TabularPreprocessing | null;
}

/** Trains the table detector from a streamed file (see the file comment); the caller saves it. */
export async function trainDetectorStream(spec: string, o: DetectorStreamTrainFlags): Promise<StreamedDetector> {
  const progress = !o.quiet && !o.json;
  const bar = new StreamProgress(progress);
  const file = await openFile(spec);
  let p: TabularPreprocessing | null = null;
  try {
    if (file.kind === 'table')
      p = await fitPreprocessingStream(
        file.columns,
        file.cells.map((c, i) => {
          bar.update('Fitting the preprocessing', i + 1, file);
          return c;
        }),
        o.scaling,
        spec,
      );
    const rows = detectorRows(file, p, spec).map((r, i) => {
      bar.update('Sampling the rows', i + 1, file);
      return r;
    });
    const width = p ? rowWidth(p) : 0;
    const sample = await sampleRows(rows.prefetch(64), (w) => detectorSampleRows(width || w), o.seed);
    bar.stop();
    if (!sample.rows) throw new HourglassError(`${spec} has no rows`);
    const members = memberProgress(o);
    const detector = await AnomalyDetector.fit(sample.x, {
      seed: o.seed,
      ...(o.contamination !== undefined ? { contamination: o.contamination } : {}),
      ...(o.members !== undefined ? { members: o.members } : {}),
      ...(o.steps !== undefined ? { steps: o.steps } : {}),
      ...members.options,
    });
    members.end();
    return { detector, rows: sample.rows, sampled: sample.x.shape[0]!, preprocessing: p };
  } finally {
    bar.stop();
  }
}

/** The detector's rows in batches, numbered by their first row, read ahead of the scoring. */
async function detectorBatches(spec: string, p: TabularPreprocessing | null) {
  const file = await openFile(spec);
  let first = 0;
  const batches = detectorRows(file, p, spec)
    .batch(STREAM_BATCH)
    .map((x, i) => {
      if (i === 0) first = 0;
      const out = { x, first };
      first += x.shape[0]!;
      return out;
    })
    .prefetch(4);
  return { file, batches };
}

/** Scores a batch, naming its rows in the file when one is not a finite number. */
function scoreBatch(detector: AnomalyDetector, x: Tensor, first: number, spec: string) {
  try {
    return detector.scoreWithFeatures(x);
  } catch (e) {
    const m = /^scored data: row (\d+), (.*)$/.exec((e as Error).message);
    if (m) throw new HourglassError(`${spec}: row ${first + Number(m[1])}, ${m[2]}`);
    throw e;
  }
}

/** detect on a detector folder over a streamed file: the scores CSV written a batch at a time. */
export async function detectWithDetectorStream(
  detector: AnomalyDetector,
  p: TabularPreprocessing | null,
  spec: string,
  o: ThresholdFlags & { out: string; top: number; labels?: string },
  progress: boolean,
): Promise<StreamDetection> {
  if (!fs.existsSync(spec)) throw new HourglassError(`${spec}: no such file or folder`);
  const bar = new StreamProgress(progress);
  const saved = detector.trainingScores;
  const needScores = o.labels !== undefined || o.contamination !== undefined || (o.threshold === undefined && !saved);
  let all: Float64Array | null = null;
  const names = (file: StreamedFile) => (p ? featureNames(p) : file.kind === 'table' ? file.columns : undefined);
  try {
    if (needScores) {
      const s = await detectorBatches(spec, p);
      const parts: Float64Array[] = [];
      let rows = 0;
      for await (const b of s.batches) {
        parts.push(scoreBatch(detector, b.x, b.first, spec).scores);
        rows += b.x.shape[0]!;
        bar.update('Scoring', rows, s.file);
      }
      bar.stop();
      all = new Float64Array(rows);
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
    }
    const chosen = chooseThreshold(o, all ?? [], saved);
    const s = await detectorBatches(spec, p);
    const featureName = names(s.file);
    const out = new DurableFileWriter(o.out);
    let rows = 0,
      flagged = 0;
    try {
      out.write(SCORES_CSV_HEADER + '\n');
      for await (const b of s.batches) {
        const d = detector.flagScored(scoreBatch(detector, b.x, b.first, spec), {
          threshold: chosen.threshold,
          topK: o.top,
        });
        flagged += d.flagged.reduce((a, f) => a + f, 0);
        out.write(scoresCsvLines(d, (j) => featureName?.[j] ?? `x${j}`, b.first).join('\n') + '\n');
        rows += b.x.shape[0]!;
        bar.update('Detecting', rows, s.file);
      }
      if (!rows) throw new HourglassError(`${spec} has no rows`);
      out.finish();
    } catch (e) {
      out.abort();
      throw e;
    }
    const labels = o.labels ? readLabels(o.labels, rows) : null;
    return { rows, flagged, chosen, quality: detectionQuality(all ?? [], labels) };
  } finally {
    bar.stop();
  }
}
