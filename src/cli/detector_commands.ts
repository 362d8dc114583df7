// The anomaly detector (src/detection/) from the command line: `hourglass train --kind detector`
// trains it (images go to the image detector, image_detector_commands.ts) on a table (through the tabular preprocessing: text columns one-hot, missing cells at
// their column's mean, saved in detector.json) or on rows of numbers; `hourglass detect` on its
// folder scores rows, flags them above the chosen threshold and names each flagged row's worst
// features. The commands call in here when the kind or the folder is a detector.
//
// Why a kind of `train` rather than the default of `train` on tables: a model folder from train
// is read by encode, impute, compress and evaluate, which need one autoencoder; the detector is
// for detect only, so it is asked for by name, and detect reads either folder.

import fs from 'node:fs';
import { readDataset, type Dataset } from '../data/datasets.js';
import { readLabels } from '../data/labels.js';
import {
  checkPreprocessing,
  featureNames,
  fitPreprocessing,
  transformTable,
  type Scaling,
  type TabularPreprocessing,
} from '../data/tabular_preprocessing.js';
import { AnomalyDetector, DETECTOR_FILE } from '../detection/detector.js';
import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { chooseThreshold, type ThresholdFlags } from './detect_threshold.js';
import { detectionQuality, writeScoresCsv } from './detection_output.js';
import { report, type CommonFlags } from './output.js';
import { folderHasFile } from '../platform/node_folder.js';
import { trainImageDetectorCli } from './image_detector_commands.js';
import { memberProgress } from './progress.js';
import { streamsData } from './stream_data.js';
import { detectWithDetectorStream, trainDetectorStream } from './stream_detector.js';
import { reportDetection, reportStreamedDetection } from './streamed_detection.js';

const PREPROCESSING_KEY = 'preprocessing';

/** Train flags that size an autoencoder: the detector sizes its members itself. */
const AUTOENCODER_FLAGS = [
  'hidden',
  'latent',
  'epochs',
  'batch',
  'lr',
  'validationSplit',
  'noise',
  'sparsity',
  'contractive',
  'beta',
  'filters',
  'codeChannels',
] as const;
const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function isDetectorFolder(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && folderHasFile(dir, DETECTOR_FILE);
}

/** Rows for the detector: a table through its preprocessing (gaps at the column's mean), else the numbers. */
function detectorRows(ds: Dataset, p: TabularPreprocessing | null, spec: string): { x: Tensor; missingCells: number } {
  if (p) {
    if (!ds.table) throw new HourglassError(`${spec}: this detector was trained on a table; give it a CSV file`);
    const prepared = transformTable(p, ds.table, spec);
    return { x: prepared.x, missingCells: prepared.missingCells };
  }
  return { x: ds.x, missingCells: 0 };
}

export interface DetectorTrainFlags extends CommonFlags {
  out: string;
  seed: number;
  scaling: Scaling;
  contamination?: number;
  members?: number;
  steps?: number;
  [flag: string]: unknown;
}

/** Refuses the autoencoder flags a detector does not read. */
export function checkDetectorFlags(o: Record<string, unknown>): void {
  for (const k of AUTOENCODER_FLAGS)
    if (o[k] !== undefined)
      throw new HourglassError(
        `${flagName(k)} is for autoencoders; --kind detector sizes its members from the data (--members, --contamination)`,
      );
  if (o['arch'] === 'conv')
    throw new HourglassError('--kind detector is an ensemble of dense autoencoders; leave out --arch conv');
}

export async function trainDetectorCli(ds: Dataset, spec: string, o: DetectorTrainFlags): Promise<void> {
  checkDetectorFlags(o);
  // Images (a folder, IDX, a uint8 array, a built-in set) get the image detector.
  if (ds.image) return trainImageDetectorCli(ds, o);
  const p = ds.table ? fitPreprocessing(ds.table, o.scaling, spec) : null;
  const { x, missingCells } = detectorRows(ds, p, spec);
  const rows = x.shape[0]!;
  const started = performance.now();
  const progress = memberProgress(o);
  const detector = await AnomalyDetector.fit(x, {
    seed: o.seed,
    ...(o.contamination !== undefined ? { contamination: o.contamination } : {}),
    ...(o.members !== undefined ? { members: o.members } : {}),
    ...(o.steps !== undefined ? { steps: o.steps } : {}),
    ...progress.options,
  });
  progress.end();
  if (p) detector.extra[PREPROCESSING_KEY] = p;
  detector.save(o.out);
  const seconds = (performance.now() - started) / 1000;
  report(
    o,
    [
      `trained an anomaly detector on ${ds.name} (${rows} rows, ${detector.features} inputs${missingCells ? `; ${missingCells} missing cells at their column's mean` : ''}) in ${seconds.toFixed(1)}s`,
      `default threshold ${detector.threshold.toPrecision(4)}: ${detector.thresholdRule}`,
      `saved to ${o.out}`,
    ],
    {
      command: 'train',
      kind: 'detector',
      data: ds.name,
      rows,
      features: detector.features,
      threshold: detector.threshold,
      contamination: detector.contamination,
      out: o.out,
      seconds,
    },
  );
  detector.dispose();
}

/** train --kind detector over a streamed file (see stream_detector.ts). */
export async function trainDetectorStreamCli(spec: string, o: DetectorTrainFlags): Promise<void> {
  checkDetectorFlags(o);
  const started = performance.now();
  const t = await trainDetectorStream(spec, o);
  const { detector, rows, sampled, preprocessing: p } = t;
  if (p) detector.extra[PREPROCESSING_KEY] = p;
  detector.save(o.out);
  const seconds = (performance.now() - started) / 1000;
  const trainedOn = sampled < rows ? `a uniform sample of ${sampled} of its ${rows} rows` : `${rows} rows`;
  report(
    o,
    [
      `trained an anomaly detector on ${spec} (${trainedOn}, ${detector.features} inputs, streamed) in ${seconds.toFixed(1)}s`,
      `default threshold ${detector.threshold.toPrecision(4)}: ${detector.thresholdRule}`,
      `saved to ${o.out}`,
    ],
    {
      command: 'train',
      kind: 'detector',
      data: spec,
      rows,
      sampledRows: sampled,
      streamed: true,
      features: detector.features,
      threshold: detector.threshold,
      contamination: detector.contamination,
      out: o.out,
      seconds,
    },
  );
  detector.dispose();
}

export interface DetectorDetectFlags extends CommonFlags, ThresholdFlags {
  out: string;
  top: number;
  labels?: string;
  stream?: boolean;
}

export async function detectWithDetectorCli(dir: string, spec: string, o: DetectorDetectFlags): Promise<void> {
  const detector = AnomalyDetector.load(dir);
  try {
    const p =
      detector.extra[PREPROCESSING_KEY] === undefined
        ? null
        : checkPreprocessing(detector.extra[PREPROCESSING_KEY], `${dir}/${DETECTOR_FILE}`);
    if (streamsData(spec, o.stream)) {
      const d = await detectWithDetectorStream(detector, p, spec, o, !o.json && !o.quiet);
      reportStreamedDetection(o, spec, 'rows flagged by the anomaly detector', d, {
        command: 'detect',
        model: dir,
        kind: 'detector',
        data: spec,
      });
      return;
    }
    // Every reader the other commands have: Parquet, NDJSON, JSON, npz as well as CSV.
    const ds = await readDataset(spec);
    const { x } = detectorRows(ds, p, spec);
    const labels = o.labels ? readLabels(o.labels, x.shape[0]!) : null;
    // The ensemble runs once: its scores choose the threshold and then give the flags.
    const scored = detector.scoreWithFeatures(x);
    const chosen = chooseThreshold(o, scored.scores, detector.trainingScores);
    const d = detector.flagScored(scored, { threshold: chosen.threshold, topK: o.top });
    const names = p ? featureNames(p) : ds.columns;
    const count = writeScoresCsv(o.out, d, (j) => names?.[j] ?? `x${j}`);
    const quality = detectionQuality(d.scores, labels);
    reportDetection(
      o,
      ds.name,
      'rows flagged by the anomaly detector',
      { rows: d.scores.length, flagged: count, chosen, quality },
      {
        command: 'detect',
        model: dir,
        kind: 'detector',
        data: ds.name,
      },
    );
  } finally {
    detector.dispose();
  }
}
