// The image anomaly detector (src/detection/image_detector.ts) from the command line:
// `hourglass train IMAGES --kind detector` trains it when the data are images (an image folder,
// an IDX file, a uint8 .npy/.npz, a built-in dataset); `hourglass detect` on its folder scores
// images and flags those above the threshold saved at train time (the 0.99 quantile of the
// training images' scores), or one given by --threshold, --contamination or --quantile.
//
// The scores CSV has the same columns as for tables; its top_features column is empty: an image's
// score is its blurred residual summed over the whole picture, not a sum of per-pixel terms that
// could be ranked.

import fs from 'node:fs';
import { readDataset, type Dataset } from '../data/datasets.js';
import { readLabels } from '../data/labels.js';
import { IMAGE_DETECTOR_FILE, ImageAnomalyDetector } from '../detection/image_detector.js';
import { HourglassError } from '../engine/errors.js';
import { folderHasFile } from '../platform/node_folder.js';
import { chooseThreshold, type ThresholdFlags } from './detect_threshold.js';
import { detectionQuality, writeScoresCsv } from './detection_output.js';
import { imageOptionsFor } from './inputs.js';
import { report, type CommonFlags } from './output.js';
import { memberProgress } from './progress.js';
import { streamsData } from './stream_data.js';
import { detectImagesStream } from './stream_image_detector.js';
import { reportDetection, reportStreamedDetection } from './streamed_detection.js';

export function isImageDetectorFolder(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && folderHasFile(dir, IMAGE_DETECTOR_FILE);
}

export interface ImageDetectorTrainFlags extends CommonFlags {
  out: string;
  seed: number;
  contamination?: number;
  members?: number;
  steps?: number;
}

export async function trainImageDetectorCli(ds: Dataset, o: ImageDetectorTrainFlags): Promise<void> {
  const image = ds.image!;
  const rows = ds.x.shape[0]!;
  const started = performance.now();
  const progress = memberProgress(o);
  const detector = await ImageAnomalyDetector.fit(ds.x, {
    imageShape: image,
    seed: o.seed,
    // The share of training images above the default threshold, as --contamination is for tables.
    ...(o.contamination !== undefined ? { flagRate: o.contamination } : {}),
    ...(o.members !== undefined ? { members: o.members } : {}),
    ...(o.steps !== undefined ? { steps: o.steps } : {}),
    ...progress.options,
  });
  progress.end();
  detector.save(o.out);
  const seconds = (performance.now() - started) / 1000;
  report(
    o,
    [
      `trained an image anomaly detector on ${ds.name} (${rows} images of ${image.join('x')}) in ${seconds.toFixed(1)}s`,
      `default threshold ${detector.threshold.toPrecision(4)}: ${detector.thresholdRule}`,
      `saved to ${o.out}`,
    ],
    {
      command: 'train',
      kind: 'detector',
      detector: 'image',
      data: ds.name,
      rows,
      image,
      threshold: detector.threshold,
      out: o.out,
      seconds,
    },
  );
  detector.dispose();
}

export interface ImageDetectorDetectFlags extends CommonFlags, ThresholdFlags {
  out: string;
  labels?: string;
  stream?: boolean;
}

export async function detectWithImageDetectorCli(
  dir: string,
  spec: string,
  o: ImageDetectorDetectFlags,
): Promise<void> {
  const detector = ImageAnomalyDetector.load(dir);
  try {
    const image = detector.imageShape;
    if (streamsData(spec, o.stream)) {
      const d = await detectImagesStream(detector, spec, o, !o.quiet && !o.json);
      reportStreamedDetection(o, spec, 'images flagged by the image anomaly detector', d, {
        command: 'detect',
        model: dir,
        kind: 'detector',
        detector: 'image',
        data: spec,
      });
      return;
    }
    // Image folders are read at the detector's size and channels.
    const ds = await readDataset(spec, imageOptionsFor(image));
    if (ds.table)
      throw new HourglassError(
        `${spec}: this detector was trained on ${image.join('x')} images; give it images (a folder, an IDX file or a uint8 array), not a table`,
      );
    const labels = o.labels ? readLabels(o.labels, ds.x.shape[0]!) : null;
    // The ensemble runs once: its scores choose the threshold (a share of them) and give the flags.
    const scores = detector.score(ds.x);
    const chosen = chooseThreshold(o, scores, detector.trainingScores, {
      threshold: detector.threshold,
      rule: detector.thresholdRule,
    });
    const flagged = Uint8Array.from(scores, (s) => (s > chosen.threshold ? 1 : 0));
    const count = writeScoresCsv(o.out, { scores, flagged, topFeatures: new Map() }, () => '');
    const quality = detectionQuality(scores, labels);
    reportDetection(
      o,
      ds.name,
      'images flagged by the image anomaly detector',
      { rows: scores.length, flagged: count, chosen, quality },
      {
        command: 'detect',
        model: dir,
        kind: 'detector',
        detector: 'image',
        data: ds.name,
      },
    );
  } finally {
    detector.dispose();
  }
}
