// The data type users hand to fit/predict: a Float32Array with a shape, row-major, first axis = rows.

import { HourglassError } from './errors.js';

export interface Tensor {
  data: Float32Array;
  shape: number[];
}

export type TensorLike = Tensor | number[][] | number[][][] | number[][][][];

export function tensor(data: Float32Array | number[], shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size)
    throw new HourglassError(`tensor data has ${data.length} values but shape [${shape.join(', ')}] needs ${size}`);
  return { data: data instanceof Float32Array ? data : Float32Array.from(data), shape: [...shape] };
}

function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** Converts nested arrays to a Tensor, checking they are rectangular and numeric. */
export function toTensor(x: TensorLike, what = 'input'): Tensor {
  if (!Array.isArray(x)) {
    if (!(x.data instanceof Float32Array) || !Array.isArray(x.shape))
      throw new HourglassError(`${what} must be a {data: Float32Array, shape} tensor or nested number arrays`);
    return tensor(x.data, x.shape);
  }
  const shape = nestedShape(x);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new HourglassError(`${what}${path} is not a number`);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new HourglassError(`${what}${path} should have length ${shape[depth]} (arrays must be rectangular)`);
    v.forEach((e, i) => walk(e, depth + 1, `${path}[${i}]`));
  };
  walk(x, 0, '');
  return { data: out, shape };
}

export function rowSize(t: Tensor): number {
  return t.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Rows [start, end) as a new tensor sharing no memory. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const r = rowSize(t);
  return { data: t.data.slice(start * r, end * r), shape: [end - start, ...t.shape.slice(1)] };
}

/** Nested number arrays from a tensor, for users who passed arrays in. */
export function toArray(t: Tensor): number[][] {
  const r = rowSize(t);
  const out: number[][] = [];
  for (let i = 0; i < t.shape[0]!; i++) out.push(Array.from(t.data.subarray(i * r, (i + 1) * r)));
  return out;
}
