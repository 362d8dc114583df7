// A model folder as the server sees it: an autoencoder (from hourglass train) or an anomaly
// detector (train --kind detector), with what a request needs to know about its rows (shape,
// the saved tabular preprocessing), the threshold /detect flags above, and each operation as a
// function of a batch of rows that treats rows independently (so requests can share a batch).

import { detectAnomalies } from '../apps/anomaly.js';
import { preprocessingOf } from '../apps/tabular.js';
import { checkTrainingScores, trainingQuantile, TRAINING_SCORES_KEY } from '../apps/training_scores.js';
import { checkPreprocessing, featureNames, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { AnomalyDetector, DETECTOR_FILE } from '../detection/detector.js';
import type { Tensor } from '../engine/tensor.js';
import { size } from '../layers/layer.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { loadAutoencoder } from '../models/kinds.js';
import { isDetectorFolder } from '../cli/detector_commands.js';
import type { RowOperation } from './micro_batcher.js';

export interface RowDetection {
  score: number;
  anomaly: boolean;
  /** For a flagged row, its features by contribution to the error, largest first. */
  topFeatures: string[];
}

export interface RowOperations {
  score: RowOperation<number>;
  detect: RowOperation<RowDetection>;
  encode?: RowOperation<number[]>;
  reconstruct?: RowOperation<Float32Array>;
}

export type OperationName = keyof RowOperations | 'impute';

export interface ServedModel {
  name: string;
  dir: string;
  kind: 'autoencoder' | 'detector';
  /** The shape of one input row (e.g. [30], or [28, 28, 1]). */
  rowShape: number[];
  preprocessing: TabularPreprocessing | null;
  /** A name per network value (columns, or column=category for one-hot groups). */
  features: string[];
  threshold: { value: number; rule: string } | null;
  operations: RowOperations;
  /** Set for autoencoders trained on tables. */
  autoencoder: Autoencoder | null;
  summary: Record<string, unknown>;
  dispose(): void;
}

const TOP_FEATURES = 3;

export function loadServedModel(name: string, dir: string): ServedModel {
  return isDetectorFolder(dir) ? servedDetector(name, dir) : servedAutoencoder(name, dir);
}

const defaultNames = (n: number) => Array.from({ length: n }, (_, j) => `x${j}`);

function splitRows(t: Tensor): Float32Array[] {
  const rows = t.shape[0]!,
    w = t.data.length / rows;
  return Array.from({ length: rows }, (_, r) => t.data.slice(r * w, (r + 1) * w));
}

function servedAutoencoder(name: string, dir: string): ServedModel {
  const ae = loadAutoencoder(dir);
  const p = preprocessingOf(ae);
  const rowShape = ae.model.input.shape.slice();
  const features = p ? featureNames(p) : defaultNames(size(rowShape));
  const saved = checkTrainingScores(ae.extra[TRAINING_SCORES_KEY], `${dir}/model.json`);
  const threshold = saved
    ? {
        value: trainingQuantile(saved, saved.defaultQuantile),
        rule: `the ${saved.defaultQuantile} quantile of the ${saved.rows} training rows' scores, saved at train time`,
      }
    : null;
  const operations: RowOperations = {
    score: (x, mask) => Array.from(ae.score(x, mask ? { mask } : {})),
    detect: (x, mask) => {
      if (!threshold) return [];
      const d = detectAnomalies(ae.model, x, { threshold: threshold.value }, TOP_FEATURES, mask);
      return Array.from(d.scores, (score, r) => ({
        score,
        anomaly: d.flagged[r] === 1,
        topFeatures: (d.topFeatures.get(r) ?? []).map((j) => features[j]!),
      }));
    },
    encode: (x) => splitRows(ae.encode(x)).map((row) => Array.from(row)),
    reconstruct: (x) => splitRows(ae.reconstruct(x)),
  };
  return {
    name,
    dir,
    kind: 'autoencoder',
    rowShape,
    preprocessing: p,
    features,
    threshold,
    operations,
    autoencoder: ae,
    summary: {
      kind: ae.kind,
      inputShape: rowShape,
      codeShape: ae.codeShape,
      layers: ae.model.summary(() => {}),
    },
    dispose: () => ae.dispose(),
  };
}

function servedDetector(name: string, dir: string): ServedModel {
  const detector = AnomalyDetector.load(dir);
  const saved = detector.extra['preprocessing'];
  const p = saved === undefined ? null : checkPreprocessing(saved, `${dir}/${DETECTOR_FILE}`);
  const features = p ? featureNames(p) : defaultNames(detector.features);
  const detect: RowOperation<RowDetection> = (x) => {
    const d = detector.detect(x, { topK: TOP_FEATURES });
    return Array.from(d.scores, (score, r) => ({
      score,
      anomaly: d.flagged[r] === 1,
      topFeatures: (d.topFeatures.get(r) ?? []).map((j) => features[j]!),
    }));
  };
  return {
    name,
    dir,
    kind: 'detector',
    rowShape: [detector.features],
    preprocessing: p,
    features,
    threshold: { value: detector.threshold, rule: detector.thresholdRule },
    operations: { score: (x) => Array.from(detector.score(x)), detect },
    autoencoder: null,
    summary: { kind: 'detector', inputShape: [detector.features], contamination: detector.contamination },
    dispose: () => detector.dispose(),
  };
}
