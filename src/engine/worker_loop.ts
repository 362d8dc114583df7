// The loop a kernel worker runs: wait for a job in the shared control block, run its slice of
// a GEMM over the shared memory, signal done. Platform-free; src/platform starts the worker.

import { callKernel } from './kernel_call.js';
import { KERNEL_NAMES, type KernelExports } from './kernel_table.js';

/** Int32 slots of one worker's control block (a SharedArrayBuffer of CONTROL_INTS). */
export enum Slot {
  Seq = 0,
  Done = 1,
  Quit = 2,
  Ready = 3,
  Executed = 4,
  Op,
  Kind,
  Count,
  Chunk,
  Z,
  Y,
  T,
  Grad,
  Inv,
  Delta,
  Partials,
  M,
  N,
  K,
  A,
  Lda,
  TransA,
  B,
  Ldb,
  TransB,
  C,
  Ldc,
  Accumulate,
  Bias,
  Act,
  Alpha,
  ScratchA,
  ScratchB,
  R0,
  R1,
}
export const CONTROL_INTS = 48;
/** Float64 argument slots after the int slots, for generic kernel calls. */
export const CALL_ARGS = 24;
/**
 * A GEMM chain (Op.Chain): up to CHAIN_MAX GEMMs run one after another over the same rows
 * [R0, R1) of M, each a record of CHAIN_STRIDE int slots (n, k, a, lda, transA, b, ldb, transB,
 * c, ldc, accumulate, bias, act, alpha as float bits) after the call arguments.
 */
export const CHAIN_MAX = 64;
export const CHAIN_STRIDE = 14;
export const CHAIN_START = CONTROL_INTS + CALL_ARGS * 2;
/** Bytes of one worker's control block: int slots, call arguments, chain records. */
export const CONTROL_BYTES = (CHAIN_START + CHAIN_MAX * CHAIN_STRIDE) * 4;

export enum Op {
  Gemm = 0,
  Loss = 1,
  Call = 2,
  Chain = 3,
}
/** Loss kernels by number, so a worker can run any of them. */
export enum LossKernel {
  Mse = 1,
  Mae = 2,
  Huber = 3,
  Bce = 4,
  BceLogits = 5,
}
/** Spin this many polls before blocking: keeps hand-off latency at microseconds during training. */
export const SPIN_POLLS = 20000;

export function runWorkerLoop(k: KernelExports, memory: WebAssembly.Memory, control: Int32Array): void {
  const f32 = new Float32Array(control.buffer, control.byteOffset, control.length);
  let seen = Atomics.load(control, Slot.Seq);
  // Jobs are posted only to workers that said they are ready, so none is missed.
  Atomics.store(control, Slot.Ready, 1);
  for (;;) {
    let polls = 0;
    while (Atomics.load(control, Slot.Seq) === seen) {
      if (++polls > SPIN_POLLS) {
        Atomics.wait(control, Slot.Seq, seen);
        polls = 0;
      }
    }
    seen = Atomics.load(control, Slot.Seq);
    if (control[Slot.Quit]) return;
    const c = control;
    if (c[Slot.Op] === Op.Call) {
      const args = new Float64Array(control.buffer, CONTROL_INTS * 4, CALL_ARGS);
      // Kind is the kernel's index in the kernel table (a 'batch'-split kernel).
      // Values past the kernel's own count are ignored by the export.
      callKernel(k[KERNEL_NAMES[c[Slot.Kind]!]!], args);
    } else if (c[Slot.Op] === Op.Loss) {
      runLossChunks(
        k,
        memory,
        c[Slot.Kind]!,
        c[Slot.Count]!,
        c[Slot.Chunk]!,
        c[Slot.R0]!,
        c[Slot.R1]!,
        c[Slot.Z]!,
        c[Slot.Y]!,
        c[Slot.T]!,
        c[Slot.Grad]!,
        f32[Slot.Inv]!,
        f32[Slot.Delta]!,
        c[Slot.Partials]!,
      );
    } else if (c[Slot.Op] === Op.Chain) {
      runChain(k, c, f32);
    } else
      k.gemm(
        c[Slot.M]!,
        c[Slot.N]!,
        c[Slot.K]!,
        c[Slot.A]!,
        c[Slot.Lda]!,
        c[Slot.TransA]!,
        c[Slot.B]!,
        c[Slot.Ldb]!,
        c[Slot.TransB]!,
        c[Slot.C]!,
        c[Slot.Ldc]!,
        c[Slot.Accumulate]!,
        c[Slot.Bias]!,
        c[Slot.Act]!,
        f32[Slot.Alpha]!,
        c[Slot.ScratchA]!,
        c[Slot.ScratchB]!,
        c[Slot.R0]!,
        c[Slot.R1]!,
      );
    // Counts the jobs this worker ran: tests read it to prove a split really happened.
    control[Slot.Executed]!++;
    Atomics.store(control, Slot.Done, seen);
    Atomics.notify(control, Slot.Done);
  }
}

/**
 * Loss over chunks [c0, c1) of `chunk` values each (of n in all), each chunk's sum stored as a
 * float64 at partials[c]. Fixed chunks make the total independent of how chunks are shared out.
 */
export function runLossChunks(
  k: KernelExports,
  memory: WebAssembly.Memory,
  kind: number,
  n: number,
  chunk: number,
  c0: number,
  c1: number,
  z: number,
  y: number,
  t: number,
  grad: number,
  inv: number,
  delta: number,
  partials: number,
): void {
  const out = new Float64Array(memory.buffer, partials, c1);
  for (let c = c0; c < c1; c++) out[c] = lossChunk(k, kind, n, chunk, c, z, y, t, grad, inv, delta);
}

/** The summed loss of chunk c (of `chunk` values, n in all), its gradient written unless grad is 0. */
export function lossChunk(
  k: KernelExports,
  kind: number,
  n: number,
  chunk: number,
  c: number,
  z: number,
  y: number,
  t: number,
  grad: number,
  inv: number,
  delta: number,
): number {
  const off = c * chunk * 4,
    count = Math.min(chunk, n - c * chunk);
  const g = grad ? grad + off : 0;
  switch (kind) {
    case LossKernel.Mse:
      return k.mse(count, y + off, t + off, g, inv);
    case LossKernel.Mae:
      return k.mae(count, y + off, t + off, g, inv);
    case LossKernel.Huber:
      return k.huber(count, y + off, t + off, g, inv, delta);
    case LossKernel.Bce:
      return k.binaryCrossentropy(count, y + off, t + off, g, inv);
    default:
      return k.binaryCrossentropyLogits(count, z + off, y + off, t + off, g, inv);
  }
}

/** The worker's rows of each GEMM of a chain, in order (rows depend only on the same rows before). */
function runChain(k: KernelExports, c: Int32Array, f32: Float32Array): void {
  const count = c[Slot.Count]!,
    m = c[Slot.M]!,
    r0 = c[Slot.R0]!,
    r1 = c[Slot.R1]!,
    sa = c[Slot.ScratchA]!,
    sb = c[Slot.ScratchB]!;
  for (let j = 0; j < count; j++) {
    const o = CHAIN_START + j * CHAIN_STRIDE;
    k.gemm(
      m,
      c[o]!,
      c[o + 1]!,
      c[o + 2]!,
      c[o + 3]!,
      c[o + 4]!,
      c[o + 5]!,
      c[o + 6]!,
      c[o + 7]!,
      c[o + 8]!,
      c[o + 9]!,
      c[o + 10]!,
      c[o + 11]!,
      c[o + 12]!,
      f32[o + 13]!,
      sa,
      sb,
      r0,
      r1,
    );
  }
}
