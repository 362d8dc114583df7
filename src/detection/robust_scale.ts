// Robust standardization of scores: (s - median) / MAD. An ensemble adds scores of different
// kinds (squared errors, Mahalanobis distances) and from different members; each is put on this
// common scale first. Median and MAD, not mean and SD, because the training scores hold the
// anomalies' own large values, which would inflate an SD and hide the next anomaly.

export interface RobustScale {
  median: number;
  mad: number;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function fitRobustScale(values: ArrayLike<number>): RobustScale {
  const sorted = Float64Array.from(values).sort();
  const m = median(sorted);
  const deviations = Float64Array.from(sorted, (v) => Math.abs(v - m)).sort();
  // A MAD of zero (more than half the scores equal) would divide by zero: fall back to the mean
  // absolute deviation, and to 1 when every score is the same.
  let mad = median(deviations);
  if (!(mad > 0)) mad = deviations.reduce((a, b) => a + b, 0) / Math.max(1, deviations.length);
  return { median: m, mad: mad > 0 ? mad : 1 };
}

export function applyRobustScale(scale: RobustScale, values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values, (v) => (v - scale.median) / scale.mad);
}
