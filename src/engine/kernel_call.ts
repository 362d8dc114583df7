// Calling a kernel export with its arguments from an array. Reflect.apply (and spreading) takes
// V8's generic path: ~300 ns a call against ~50 ns for a plain call (measured on a 12-argument
// kernel), and a small model's training step makes ~30 such calls. A plain call with the widest
// kernel's argument count serves every kernel: a WebAssembly export ignores arguments beyond
// its own parameters, so the values past an array's end (undefined) are never read.

import { KERNEL_TABLE } from './kernel_table.js';

/** The most parameters any kernel in the table takes (gemm's 19). */
export const MAX_KERNEL_ARGS = 19;

const widest = Math.max(...Object.values(KERNEL_TABLE).map((s) => s.params.length));
if (widest > MAX_KERNEL_ARGS)
  throw new Error(`kernel table: a kernel takes ${widest} parameters; kernel_call.ts passes ${MAX_KERNEL_ARGS}`);

type AnyKernel = (...args: number[]) => unknown;

/** fn(...v) for a kernel export fn and its arguments v, in order (only the kernel's own count is read). */
export function callKernel(fn: AnyKernel, v: ArrayLike<number>): unknown {
  return fn(
    v[0]!,
    v[1]!,
    v[2]!,
    v[3]!,
    v[4]!,
    v[5]!,
    v[6]!,
    v[7]!,
    v[8]!,
    v[9]!,
    v[10]!,
    v[11]!,
    v[12]!,
    v[13]!,
    v[14]!,
    v[15]!,
    v[16]!,
    v[17]!,
    v[18]!,
  );
}
