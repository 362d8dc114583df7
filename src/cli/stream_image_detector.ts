// The image anomaly detector's detect over a streamed image folder, IDX file or .npy (see
// stream_data.ts): images are read and scored a batch at a time. An image's score depends on the
// detector and the image only, so with the threshold saved at train time (or --threshold, or
// --quantile of the saved training scores) each batch's lines are written as soon as it is
// scored. --contamination (a share of these images' scores) and --labels need every score: those
// runs keep the scores (8 bytes an image) and write the lines after the last batch; an image is
// still scored once, since its line needs nothing but its score (there are no top features).

import { openFile } from '../data/dataset_files.js';
import { readLabels } from '../data/labels.js';
import type { ImageAnomalyDetector } from '../detection/image_detector.js';
import { HourglassError } from '../engine/errors.js';
import { DurableFileWriter } from '../platform/durable_stream.js';
import { chooseThreshold, type ThresholdFlags } from './detect_threshold.js';
import { detectionQuality, SCORES_CSV_HEADER, scoresCsvLines } from './detection_output.js';
import { imageOptionsFor } from './inputs.js';
import { STREAM_BATCH, StreamProgress } from './stream_data.js';
import type { StreamDetection } from './streamed_detection.js';

const NO_TOP = new Map<number, number[]>();

export async function detectImagesStream(
  detector: ImageAnomalyDetector,
  spec: string,
  o: ThresholdFlags & { out: string; labels?: string },
  progress: boolean,
): Promise<StreamDetection> {
  const image = detector.imageShape;
  const file = await openFile(spec, imageOptionsFor(image));
  if (file.kind === 'table')
    throw new HourglassError(
      `${spec}: this detector was trained on ${image.join('x')} images; give it images (a folder, an IDX file or a uint8 array), not a table`,
    );
  const pixels = image[0] * image[1] * image[2];
  if (file.width !== pixels)
    throw new HourglassError(
      `${spec}: its images have ${file.width} values, this detector scores ${image.join('x')} images (${pixels} values)`,
    );
  const keep = o.contamination !== undefined || o.labels !== undefined;
  // Checked before the first image is read: a bad combination of flags costs no pass.
  const early = keep
    ? null
    : chooseThreshold(o, [], detector.trainingScores, { threshold: detector.threshold, rule: detector.thresholdRule });
  const bar = new StreamProgress(progress);
  const out = new DurableFileWriter(o.out);
  const parts: Float64Array[] = [];
  let rows = 0,
    flagged = 0;
  const lines = (scores: Float64Array, threshold: number, first: number): string => {
    const flags = Uint8Array.from(scores, (s) => (s > threshold ? 1 : 0));
    flagged += flags.reduce((a, f) => a + f, 0);
    return scoresCsvLines({ scores, flagged: flags, topFeatures: NO_TOP }, () => '', first).join('\n') + '\n';
  };
  try {
    out.write(SCORES_CSV_HEADER + '\n');
    for await (const x of file.rows.batch(STREAM_BATCH).prefetch(4)) {
      const scores = detector.score(x);
      if (early) out.write(lines(scores, early.threshold, rows));
      else parts.push(scores);
      rows += scores.length;
      bar.update('Scoring', rows, file);
    }
    bar.stop();
    if (!rows) throw new HourglassError(`${spec} has no images`);
    let all: Float64Array | null = null;
    if (!early) {
      all = new Float64Array(rows);
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      parts.length = 0;
    }
    const chosen =
      early ??
      chooseThreshold(o, all!, detector.trainingScores, {
        threshold: detector.threshold,
        rule: detector.thresholdRule,
      });
    const labels = o.labels ? readLabels(o.labels, rows) : null;
    if (all)
      for (let at = 0; at < rows; at += STREAM_BATCH)
        out.write(lines(all.subarray(at, Math.min(rows, at + STREAM_BATCH)), chosen.threshold, at));
    out.finish();
    return { rows, flagged, chosen, quality: detectionQuality(all ?? [], labels) };
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    bar.stop();
  }
}
