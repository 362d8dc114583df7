// Reconstruction error with every feature on its own scale: a feature the network rebuilds
// poorly for every row (noise, a weakly related column) would otherwise dominate the row's error
// and drown the features where an anomaly actually differs. Each feature's squared error is
// divided by its median over the training rows.

export interface FeatureErrorScale {
  /** The median squared error of each feature on the training rows. */
  typical: number[];
}

function squaredErrors(x: Float32Array, rebuilt: Float32Array): Float64Array {
  return Float64Array.from(x, (v, i) => (v - rebuilt[i]!) ** 2);
}

export function fitFeatureErrorScale(x: Float32Array, rebuilt: Float32Array, features: number): FeatureErrorScale {
  const errors = squaredErrors(x, rebuilt);
  const rows = x.length / features;
  const column = new Float64Array(rows);
  const typical: number[] = [];
  for (let j = 0; j < features; j++) {
    for (let i = 0; i < rows; i++) column[i] = errors[i * features + j]!;
    column.sort();
    const median = rows % 2 ? column[(rows - 1) / 2]! : (column[rows / 2 - 1]! + column[rows / 2]!) / 2;
    // A feature rebuilt exactly (a constant column) must not divide by zero.
    typical.push(median + 1e-6);
  }
  return { typical };
}

/** Each row's mean scaled squared error, and the scaled errors themselves (for attributions). */
export function scaledRowErrors(
  scale: FeatureErrorScale,
  x: Float32Array,
  rebuilt: Float32Array,
): { scores: Float64Array; errors: Float64Array } {
  const features = scale.typical.length;
  const rows = x.length / features;
  const errors = squaredErrors(x, rebuilt);
  const scores = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) {
      const e = errors[i * features + j]! / scale.typical[j]!;
      errors[i * features + j] = e;
      s += e;
    }
    scores[i] = s / features;
  }
  return { scores, errors };
}
