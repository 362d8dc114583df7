// What every section of a report reads: the rows as the network sees them, their labels, and the
// reconstruction and its errors, computed once.

import { toTensor, type Tensor, type TensorLike } from '../engine/tensor.js';
import { HourglassError } from '../engine/errors.js';
import type { Table } from '../data/table.js';
import { featureNames, type TabularPreprocessing } from '../data/tabular_preprocessing.js';
import { prepareTable, preprocessingOf } from '../apps/tabular.js';
import type { Autoencoder } from '../models/autoencoder.js';
import { rowErrors, type RowErrors } from '../models/reconstruction_error.js';
import type { ImageShape } from './image_grid.js';

export interface RowsContext {
  ae: Autoencoder;
  rows: number;
  features: number;
  /** Flat rows [rows, features], as the network's values (tables prepared, images in [0, 1]). */
  x: Float32Array;
  /** The rows in the network's input shape. */
  input: Tensor;
  /** 1 observed, 0 missing; null when nothing is missing. */
  mask: Float32Array | null;
  labels: Int32Array | null;
  labelName: (label: number) => string;
  image: ImageShape | null;
  preprocessing: TabularPreprocessing | null;
  /** The table as read (original units), for tables given as one. */
  table: Table | null;
  featureNames: string[];
  reconstruction: Float32Array;
  errors: RowErrors;
  source: string;
}

export interface ContextOptions {
  labels?: ArrayLike<number> | undefined;
  labelNames?: string[] | undefined;
  image?: ImageShape | undefined;
  mask?: TensorLike | undefined;
  source?: string | undefined;
}

export function isTable(v: unknown): v is Table {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as Table).columns) &&
    Array.isArray((v as Table).rows) &&
    !('shape' in v)
  );
}

/** The image shape of the rows: given, saved with the model (`train` does), or the network's own. */
function imageShapeOf(ae: Autoencoder, given: ImageShape | undefined, features: number): ImageShape | null {
  const saved = ae.extra['image'];
  const shape: number[] | undefined =
    given ??
    (Array.isArray(saved) ? (saved as number[]) : ae.model.input.shape.length === 3 ? ae.model.input.shape : undefined);
  if (!shape || shape.length !== 3) return null;
  const [h, w, c] = shape as ImageShape;
  if (!(c === 1 || c === 3) || h * w * c !== features)
    throw new HourglassError(`report: image shape ${h}x${w}x${c} does not match rows of ${features} values`);
  return [h, w, c];
}

export function rowsContext(ae: Autoencoder, data: TensorLike | Table, o: ContextOptions): RowsContext {
  const source = o.source ?? (isTable(data) ? 'the table' : 'the rows');
  const preprocessing = preprocessingOf(ae);
  let x: Tensor,
    mask: Float32Array | null = null,
    table: Table | null = null;
  if (isTable(data)) {
    const prepared = prepareTable(ae, data, source);
    x = prepared.x;
    mask = prepared.missingCells ? prepared.mask.data : null;
    table = data;
  } else {
    x = toTensor(data, 'report data');
    if (o.mask !== undefined) mask = toTensor(o.mask, 'report mask').data;
  }
  const rows = x.shape[0]!;
  if (!(rows > 0)) throw new HourglassError('report: the data has no rows');
  const features = x.data.length / rows;
  const inputShape = ae.model.input.shape;
  if (inputShape.reduce((a, b) => a * b, 1) !== features)
    throw new HourglassError(
      `report: rows of ${features} values, but this model reads rows of ${inputShape.join('x')} values`,
    );
  let labels: Int32Array | null = null;
  if (o.labels !== undefined) {
    if (o.labels.length !== rows)
      throw new HourglassError(`report: ${o.labels.length} labels for ${rows} rows (give one label per row)`);
    labels = Int32Array.from(o.labels);
    for (let i = 0; i < rows; i++)
      if (labels[i] !== o.labels[i])
        throw new HourglassError(`report: label ${i + 1} is ${o.labels[i]}; labels are integers`);
  }
  const input = { data: x.data, shape: [rows, ...inputShape] };
  const reconstruction = ae.reconstruct(input).data;
  const names = o.labelNames;
  return {
    ae,
    rows,
    features,
    x: x.data,
    input,
    mask,
    labels,
    labelName: (l) => names?.[l] ?? String(l),
    image: imageShapeOf(ae, o.image, features),
    preprocessing,
    table,
    featureNames: preprocessing ? featureNames(preprocessing) : Array.from({ length: features }, (_, j) => `x${j}`),
    reconstruction,
    errors: rowErrors(x.data, reconstruction, rows, mask),
    source,
  };
}

/** Row indices sorted by score, largest first. */
export function worstRows(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]!)
    .slice(0, k);
}

/** True for labels that are all 0 or 1, with both present: anomaly labels (1 = anomaly). */
export function binaryLabels(labels: Int32Array | null): labels is Int32Array {
  if (!labels) return false;
  let ones = 0;
  for (const l of labels) {
    if (l !== 0 && l !== 1) return false;
    ones += l;
  }
  return ones > 0 && ones < labels.length;
}
