// Moving LSTM/GRU weights between Keras's layout (what Hourglass keeps: kernel [rows, gates *
// units] with one column block per gate) and the row-major [gates * units, rows] layout of ONNX's
// W/R and PyTorch's weight_ih/weight_hh, whose gate blocks come in another order. `order[d]` is
// the Keras block that goes to block d of the other side.

/** Keras [rows, gates * units] -> [gates * units, rows] with the gate blocks reordered. */
export function gateMatrix(data: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const width = order.length * units;
  const out = new Float32Array(width * rows);
  order.forEach((src, dst) => {
    for (let j = 0; j < units; j++)
      for (let r = 0; r < rows; r++) out[(dst * units + j) * rows + r] = data[r * width + src * units + j]!;
  });
  return out;
}

/** The inverse of gateMatrix: [gates * units, rows] back to Keras [rows, gates * units]. */
export function kerasGateMatrix(data: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const width = order.length * units;
  const out = new Float32Array(width * rows);
  order.forEach((src, dst) => {
    for (let j = 0; j < units; j++)
      for (let r = 0; r < rows; r++) out[r * width + src * units + j] = data[(dst * units + j) * rows + r]!;
  });
  return out;
}

/** One bias row of gates * units values (from `offset`) with its blocks reordered. */
export function gateVector(data: Float32Array, offset: number, units: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((src, dst) => out.set(data.subarray(offset + src * units, offset + (src + 1) * units), dst * units));
  return out;
}

/** The inverse of gateVector: a reordered bias row back in Keras's block order. */
export function kerasGateVector(data: Float32Array, units: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((src, dst) => out.set(data.subarray(dst * units, (dst + 1) * units), src * units));
  return out;
}
