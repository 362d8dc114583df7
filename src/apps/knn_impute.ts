// k-nearest-neighbour imputation, the baseline autoencoder imputation is compared with: each
// missing value is the mean of that feature over the k nearest rows that have it, with
// scikit-learn's nan-Euclidean distance (squared differences over the features both rows have,
// scaled up by all features / shared features). Matches sklearn.impute.KNNImputer.

/** x holds NaN where a value is missing; returns a filled copy. */
export function knnImpute(x: ArrayLike<number>, rows: number, cols: number, k = 5): Float64Array {
  const out = Float64Array.from(x);
  const present = (r: number, c: number) => !Number.isNaN(x[r * cols + c]!);
  const columnMeans = Array.from({ length: cols }, (_, c) => {
    let s = 0,
      n = 0;
    for (let r = 0; r < rows; r++)
      if (present(r, c)) {
        s += x[r * cols + c]!;
        n++;
      }
    return n ? s / n : 0;
  });
  const distance = (a: number, b: number): number => {
    let s = 0,
      shared = 0;
    for (let c = 0; c < cols; c++) {
      if (present(a, c) && present(b, c)) {
        s += (x[a * cols + c]! - x[b * cols + c]!) ** 2;
        shared++;
      }
    }
    return shared ? Math.sqrt((s * cols) / shared) : NaN;
  };
  for (let r = 0; r < rows; r++) {
    let dist: Float64Array | null = null;
    for (let c = 0; c < cols; c++) {
      if (present(r, c)) continue;
      dist ??= Float64Array.from({ length: rows }, (_, o) => (o === r ? NaN : distance(r, o)));
      const donors: number[] = [];
      for (let o = 0; o < rows; o++) if (present(o, c) && !Number.isNaN(dist[o]!)) donors.push(o);
      if (donors.length === 0) {
        out[r * cols + c] = columnMeans[c]!;
        continue;
      }
      donors.sort((a, b) => dist![a]! - dist![b]!);
      const near = donors.slice(0, k);
      out[r * cols + c] = near.reduce((s, o) => s + x[o * cols + c]!, 0) / near.length;
    }
  }
  return out;
}
