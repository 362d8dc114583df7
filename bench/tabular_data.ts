// The tabular workload's data (issue 18): rows of 30 standardized numeric columns with a
// low-rank structure an autoencoder can learn (four hidden factors mixed into every column,
// plus a small independent term), the kind of table the detection presets train on.
// Closed-form and computed in float64, so the PyTorch twin (bench/systems/pytorch_bench.py,
// tabular_rows) builds the same float32 values without a data file.

export const TABULAR_FACTORS = 4;

/** rows x cols values, row-major: each column shifted to mean 0 and scaled to (population) std 1. */
export function tabularRows(rows: number, cols: number): Float32Array {
  const raw = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let v = 0.1 * Math.sin(1.3 * i + 2.1 * j);
      for (let r = 0; r < TABULAR_FACTORS; r++)
        v += Math.sin(0.37 * (i + 1) * (r + 1) + 0.11 * r) * Math.cos(0.7 * (j + 1) * (r + 1));
      raw[i * cols + j] = v;
    }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += raw[i * cols + j]!;
    mean /= rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += (raw[i * cols + j]! - mean) ** 2;
    const std = Math.sqrt(variance / rows) || 1;
    for (let i = 0; i < rows; i++) out[i * cols + j] = (raw[i * cols + j]! - mean) / std;
  }
  return out;
}
