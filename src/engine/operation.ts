// The operations a plan is made of: typed records naming a kernel of the table with its
// arguments (buffers, sizes that scale with the batch), a loss, or a host step written in JS.

import type { KernelExports, KernelName, ParamName, ParamTypeOf } from './kernel_table.js';
import type { Buf } from './memory.js';
import type { LossKernel } from './worker_loop.js';

/**
 * A number argument: a constant, a multiple of the batch size (`{ perSample: 784 }` is 784 values
 * per sample), a constant divided by the batch size, or a value read when the step runs (the
 * learning rate).
 */
export type Scalar = number | { perSample: number } | { overBatch: number } | { read: () => number; label: string };

/**
 * A pointer argument: a buffer, a range of one (offset in floats), or nothing (null is the null
 * pointer). `perSample` is how far the pointer moves per sample when a 'batch' split hands a
 * thread samples [n0, n1).
 */
export type Pointer = Buf | null | { buf: Buf; offset?: number; perSample?: number };

export type KernelArgs<K extends KernelName> = {
  readonly [N in ParamName<K>]: ParamTypeOf<K, N> extends 'ptr' ? Pointer : Scalar;
};

interface OpBase {
  /** Whether the value the operation returns is a term of the training loss. */
  readonly lossTerm?: boolean;
}

export interface KernelOp<K extends KernelName = KernelName> extends OpBase {
  readonly kind: 'kernel';
  readonly kernel: K;
  readonly args: KernelArgs<K>;
}

/** The mean of a loss over n values; writes the gradient of the mean into grad unless it is null. */
export interface LossOp extends OpBase {
  readonly kind: 'loss';
  readonly loss: LossKernel;
  readonly n: Scalar;
  /** Logits for the fused sigmoid + cross-entropy form, else null. */
  readonly z: Buf | null;
  readonly y: Buf;
  readonly t: Buf;
  readonly grad: Buf | null;
  readonly delta: number;
}

/**
 * A step written in JavaScript over buffer views (random masks and noise, penalties with float64
 * sums). It receives the executor's kernels so that any kernel it calls is the executor's own.
 */
export interface HostOp extends OpBase {
  readonly kind: 'host';
  readonly name: string;
  readonly reads: readonly Buf[];
  readonly writes: readonly Buf[];
  run(batch: number, kernels: KernelExports): number | void;
}

export type AnyKernelOp = { [K in KernelName]: KernelOp<K> }[KernelName];
export type Op = AnyKernelOp | LossOp | HostOp;

/** A kernel operation, its arguments checked against the kernel table. */
export function kernelOp<K extends KernelName>(kernel: K, args: KernelArgs<K>, options: OpBase = {}): KernelOp<K> {
  return { kind: 'kernel', kernel, args, ...options };
}

export function hostOp(
  name: string,
  io: { reads: readonly Buf[]; writes: readonly Buf[] },
  run: HostOp['run'],
  options: OpBase = {},
): HostOp {
  return { kind: 'host', name, reads: io.reads, writes: io.writes, run, ...options };
}

/** `buf` moving by `floats` per sample under a batch split. */
export function perSample(buf: Buf, floats: number, offset = 0): Pointer {
  return { buf, perSample: floats, offset };
}

/** 1 or 0, for the kernels' flag parameters. */
export const flag = (on: boolean | undefined): number => (on ? 1 : 0);

/** The value of a scalar argument for this batch size. */
export function scalarValue(s: Scalar, batch: number): number {
  if (typeof s === 'number') return s;
  if ('perSample' in s) return s.perSample * batch;
  if ('overBatch' in s) return s.overBatch / batch;
  return s.read();
}

/** The byte address of a pointer argument for a share starting at sample n0. */
export function pointerValue(p: Pointer, n0 = 0): number {
  if (p === null) return 0;
  if ('ptr' in p) return p.ptr;
  return p.buf.ptr + 4 * ((p.offset ?? 0) + n0 * (p.perSample ?? 0));
}

export interface GemmOpArgs {
  m: Scalar;
  n: number;
  k: Scalar;
  a: Pointer;
  lda: number;
  transA?: boolean;
  b: Pointer;
  ldb: number;
  transB?: boolean;
  c: Pointer;
  ldc: number;
  accumulate?: boolean;
  bias?: Buf | null;
  /** The fused epilogue after the bias: an activation code and its alpha. */
  epilogue?: { code: number; alpha: number };
}

/** C = op(A) op(B) (+C) (+bias, epilogue), split by output rows; the executor supplies scratch and rows. */
export function gemmOp(g: GemmOpArgs): KernelOp<'gemm'> {
  return kernelOp('gemm', {
    m: g.m,
    n: g.n,
    k: g.k,
    a: g.a,
    lda: g.lda,
    transA: flag(g.transA),
    b: g.b,
    ldb: g.ldb,
    transB: flag(g.transB),
    c: g.c,
    ldc: g.ldc,
    accumulate: flag(g.accumulate),
    bias: g.bias ?? null,
    act: g.epilogue?.code ?? 0,
    alpha: g.epilogue?.alpha ?? 0,
    scratchA: null,
    scratchB: null,
    r0: 0,
    r1: g.m,
  });
}
