// Moving user data in and out of plans: shape checks that name the layer, NaN checks,
// and copying a batch of (optionally shuffled) rows into a planned buffer.

import { HourglassError } from '../engine/errors.js';
import { arena, bufFrom, type Buf } from '../engine/memory.js';
import { getEngine } from '../engine/kernels.js';
import { rowSize, toTensor, type Tensor, type TensorLike } from '../engine/tensor.js';
import { formatShape, size, type SymbolicTensor } from '../layers/layer.js';

/** Converts user data and checks it against a model input or output. */
export function checkData(x: TensorLike, expected: SymbolicTensor, role: string): Tensor {
  const t = checkShape(x, expected, role);
  // A float64 sum of float32 values cannot overflow, so it is finite exactly when every value is.
  let sum = 0;
  const d = t.data;
  for (let i = 0; i < d.length; i++) sum += d[i]!;
  if (Number.isFinite(sum)) return t;
  const r = rowSize(t);
  const i = d.findIndex((v) => !Number.isFinite(v));
  throw new HourglassError(
    `${role} contains ${d[i]} at row ${Math.floor(i / r)}, column ${i % r}: clean or impute the data first`,
  );
}

/** checkData's shape check alone (a streamed fit checks the values in WebAssembly: allWithin). */
export function checkShape(x: TensorLike, expected: SymbolicTensor, role: string): Tensor {
  const t = toTensor(x, role);
  const shape = t.shape.slice(1);
  const matches =
    shape.length === expected.shape.length
      ? shape.every((d, i) => d === expected.shape[i])
      : // A flat row of the right size is accepted for multi-dimensional layers.
        shape.length === 1 && shape[0] === size(expected.shape);
  if (t.shape.length < 2 || !matches) {
    throw new HourglassError(
      `${role} has shape [${t.shape.join(', ')}], but layer '${expected.layer.name}' expects ${formatShape(expected.shape)}`,
    );
  }
  if (t.shape[0] === 0) throw new HourglassError(`${role} has no rows`);
  return t;
}

/** Copies rows [start, start + count) into dst (prediction and evaluation; fit gathers on the device). */
export function copyRows(src: Tensor, start: number, count: number, dst: Buf): void {
  const r = rowSize(src);
  dst.view().set(src.data.subarray(start * r, (start + count) * r));
}

/**
 * Training data uploaded into the shared memory once per fit(), so each step gathers its
 * (shuffled) rows with one kernel call instead of hundreds of JS copies.
 */
export class DeviceRows {
  private readonly x: Buf;
  private readonly y: Buf;
  private readonly order: Buf;
  private readonly xRow: number;
  private readonly yRow: number;

  private readonly mask: Buf | null;

  constructor(xs: Tensor, ys: Tensor, mask: Tensor | null = null) {
    this.xRow = rowSize(xs);
    this.yRow = rowSize(ys);
    this.x = bufFrom(xs.data);
    // An autoencoder's target is usually its input: upload it once.
    this.y = ys === xs ? this.x : bufFrom(ys.data);
    this.mask = mask ? bufFrom(mask.data) : null;
    this.order = arena.alloc(xs.shape[0]!);
  }

  /** Sets the row order of the coming epoch. */
  setOrder(order: Int32Array): void {
    const { memory } = getEngine();
    new Int32Array(memory.buffer, this.order.ptr, order.length).set(order);
  }

  gather(start: number, count: number, xDst: Buf, yDst: Buf, maskDst: Buf | null = null): void {
    const k = getEngine().kernels;
    k.gatherRows(count, this.xRow, this.x.ptr, this.order.ptr, start, xDst.ptr);
    k.gatherRows(count, this.yRow, this.y.ptr, this.order.ptr, start, yDst.ptr);
    if (this.mask && maskDst) k.gatherRows(count, this.yRow, this.mask.ptr, this.order.ptr, start, maskDst.ptr);
  }

  release(): void {
    if (this.mask) arena.release(this.mask);
    arena.release(this.x);
    if (this.y !== this.x) arena.release(this.y);
    arena.release(this.order);
  }
}
