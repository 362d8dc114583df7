// Executors run a plan's operations: the WebAssembly one (SIMD kernels, splits across the kernel
// workers) and the reference one (plain-TypeScript kernels on the same buffers, one thread), the
// oracle the fast path is compared with op by op. Compiling an op resolves its arguments once.

import { getEngine } from './kernels.js';
import { callKernel } from './kernel_call.js';
import { KERNEL_TABLE, type KernelExports, type KernelName } from './kernel_table.js';
import { gemmProfiling, gemmScratch, recordGemm } from './ops.js';
import {
  pointerValue,
  scalarValue,
  type AnyKernelOp,
  type LossOp,
  type Op,
  type Pointer,
  type Scalar,
} from './operation.js';
import { createReferenceKernels } from './reference/index.js';
import { GEMM_CHAIN_MAX, LOSS_CHUNK, runBatchSplit, runGemm, runGemmChain, runLoss, type GemmCall } from './threads.js';
import { lossChunk } from './worker_loop.js';

/** A compiled operation: runs it for a batch of this many samples, returns its value (0 for none). */
export type CompiledOp = (batch: number) => number;

export interface Executor {
  readonly name: 'wasm' | 'reference';
  readonly kernels: KernelExports;
  compile(op: Op): CompiledOp;
  /**
   * One operation for a whole phase of row-local GEMMs (see rowChainCalls), or null when the
   * phase is anything else. Only the wasm executor has it; the reference runs op by op.
   */
  compileRowChain?(ops: readonly Op[]): CompiledOp | null;
}

type Resolver = (batch: number, n0: number) => number;

/**
 * Argument values for a batch (and, for a thread's share, its first sample), in the table's order.
 * Constants are resolved once; only sizes that scale with the batch, pointers that move with a
 * share and values read at run time are recomputed. The returned array is reused by the next call:
 * callers pass it on at once (kernel calls and worker hand-offs copy it).
 */
function argumentFiller(op: AnyKernelOp): (batch: number, n0: number) => number[] {
  const args: Record<string, Scalar | Pointer> = op.args;
  const values: number[] = [];
  const dynamic: { index: number; resolve: Resolver }[] = [];
  KERNEL_TABLE[op.kernel].params.forEach(([name, type], index) => {
    const a = args[name];
    if (a === undefined) throw new Error(`plan: ${op.kernel} lacks its argument '${name}'`);
    values.push(0);
    if (type === 'ptr') {
      const p = a as Pointer;
      if (p !== null && !('ptr' in p) && p.perSample)
        dynamic.push({ index, resolve: (_batch, n0) => pointerValue(p, n0) });
      else values[index] = pointerValue(p);
      return;
    }
    const s = a as Scalar;
    if (typeof s === 'number') values[index] = s;
    else dynamic.push({ index, resolve: (batch) => scalarValue(s, batch) });
  });
  return (batch, n0) => {
    for (let i = 0; i < dynamic.length; i++) {
      const d = dynamic[i]!;
      values[d.index] = d.resolve(batch, n0);
    }
    return values;
  };
}

const GEMM_PARAMS = KERNEL_TABLE.gemm.params.map(([n]) => n);
const at = (name: (typeof GEMM_PARAMS)[number]) => GEMM_PARAMS.indexOf(name);
const G = { m: at('m'), scratchA: at('scratchA'), scratchB: at('scratchB'), r0: at('r0'), r1: at('r1') };
// The wasm path copies the first fifteen GEMM arguments by position: the table must start with them.
if (GEMM_PARAMS.slice(0, 15).join() !== 'm,n,k,a,lda,transA,b,ldb,transB,c,ldc,accumulate,bias,act,alpha')
  throw new Error('kernel table: gemm parameters out of order');

function compileLoss(
  op: LossOp,
  run: (n: number, z: number, y: number, t: number, grad: number, inv: number) => number,
): CompiledOp {
  return (batch) => {
    const n = scalarValue(op.n, batch);
    return run(n, op.z ? op.z.ptr : 0, op.y.ptr, op.t.ptr, op.grad ? op.grad.ptr : 0, 1 / n) / n;
  };
}

function isKernelOp(op: Op): op is AnyKernelOp {
  return op.kind === 'kernel';
}

const bufferOf = (p: Pointer) => (p === null ? null : 'ptr' in p ? p : p.buf);
const isPerSample = (s: Scalar | Pointer, floats: number) =>
  s !== null && typeof s === 'object' && 'perSample' in s && !('buf' in s) && s.perSample === floats;

/**
 * The GEMMs of a phase that may run as one chain, thread by thread over the same rows: every op
 * a GEMM of one row per sample (m and r1 one per sample, A not transposed, fixed pointers, no
 * loss term), whose A is a buffer no earlier GEMM of the phase wrote, or one it wrote with the
 * same row stride (so row i read is row i written, by the same thread). Null otherwise.
 */
export function rowChainCalls(ops: readonly Op[]): KernelOpOf<'gemm'>[] | null {
  if (ops.length < 2 || ops.length > GEMM_CHAIN_MAX) return null;
  const written = new Map<unknown, number>(); // output buffer -> its row stride
  const chain: KernelOpOf<'gemm'>[] = [];
  for (const op of ops) {
    if (op.kind !== 'kernel' || op.kernel !== 'gemm' || op.lossTerm) return null;
    const g = op.args;
    if (!isPerSample(g.m, 1) || !isPerSample(g.r1, 1) || g.r0 !== 0 || g.transA !== 0) return null;
    if ([g.n, g.k, g.lda, g.ldc].some((v) => typeof v !== 'number')) return null;
    const fixed = [g.a, g.b, g.c, g.bias].every((p) => p === null || 'ptr' in p || !p.perSample);
    if (!fixed || g.a === null || g.c === null) return null;
    const stride = written.get(bufferOf(g.a));
    if (stride !== undefined && stride !== g.lda) return null;
    // The fixed types were checked just above.
    written.set(bufferOf(g.c), g.ldc as number);
    chain.push(op);
  }
  return chain;
}
type KernelOpOf<K extends KernelName> = Extract<AnyKernelOp, { kernel: K }>;

class WasmExecutor implements Executor {
  readonly name = 'wasm';
  get kernels(): KernelExports {
    return getEngine().kernels;
  }

  compile(op: Op): CompiledOp {
    if (op.kind === 'host') return (batch) => op.run(batch, this.kernels) ?? 0;
    if (op.kind === 'loss') {
      return compileLoss(op, (n, z, y, t, grad, inv) =>
        runLoss({ kind: op.loss, n, z, y, t, grad, inv, delta: op.delta }),
      );
    }
    if (!isKernelOp(op)) throw new Error('plan: unknown operation');
    const fill = argumentFiller(op);
    const kernel: KernelName = op.kernel;
    const split = KERNEL_TABLE[kernel].split;
    if (split === 'rows') {
      if (op.kernel === 'gemm' && typeof op.args.n === 'number') gemmScratch(op.args.n);
      // One call record per operation, refreshed in place each step.
      const call = emptyGemmCall();
      return (batch) => {
        const v = fill(batch, 0);
        loadGemmArgs(call, v);
        const scratch = gemmScratch(call.n);
        call.scratchA = scratch.a;
        call.scratchB = scratch.b;
        if (gemmProfiling()) recordGemm(() => runGemm(call), call.m * call.n * call.k);
        else runGemm(call);
        return 0;
      };
    }
    if (split === 'batch') {
      return (batch) => {
        runBatchSplit(kernel, batch, (n0, n1) => fill(n1 - n0, n0));
        return 0;
      };
    }
    const fn = getEngine().kernels[kernel];
    return (batch) => Number(callKernel(fn, fill(batch, 0)) ?? 0);
  }

  compileRowChain(ops: readonly Op[]): CompiledOp | null {
    const chain = rowChainCalls(ops);
    if (!chain) return null;
    const fills = chain.map((op) => argumentFiller(op));
    const maxN = Math.max(...chain.map((op) => op.args.n as number));
    gemmScratch(maxN);
    const macsPerRow = chain.reduce((s, op) => s + (op.args.n as number) * (op.args.k as number), 0);
    const calls: GemmCall[] = chain.map(() => emptyGemmCall());
    const run = (batch: number) => runGemmChain(calls, batch);
    return (batch) => {
      const scratch = gemmScratch(maxN);
      for (let i = 0; i < calls.length; i++) {
        const v = fills[i]!(batch, 0),
          call = calls[i]!;
        loadGemmArgs(call, v);
        call.m = batch;
        call.scratchA = scratch.a;
        call.scratchB = scratch.b;
      }
      if (gemmProfiling()) recordGemm(() => run(batch), batch * macsPerRow);
      else run(batch);
      return 0;
    };
  }
}

/** A GEMM call record to be refreshed in place each step (scratch set by the caller). */
function emptyGemmCall(): GemmCall {
  return {
    m: 0,
    n: 0,
    k: 0,
    a: 0,
    lda: 0,
    transA: 0,
    b: 0,
    ldb: 0,
    transB: 0,
    c: 0,
    ldc: 0,
    accumulate: 0,
    bias: 0,
    act: 0,
    alpha: 0,
    scratchA: 0,
    scratchB: 0,
  };
}

/** The gemm kernel's first 15 arguments, in the kernel table's order, into a call record. */
function loadGemmArgs(call: GemmCall, v: ArrayLike<number>): void {
  call.m = v[0]!;
  call.n = v[1]!;
  call.k = v[2]!;
  call.a = v[3]!;
  call.lda = v[4]!;
  call.transA = v[5]!;
  call.b = v[6]!;
  call.ldb = v[7]!;
  call.transB = v[8]!;
  call.c = v[9]!;
  call.ldc = v[10]!;
  call.accumulate = v[11]!;
  call.bias = v[12]!;
  call.act = v[13]!;
  call.alpha = v[14]!;
}

class ReferenceExecutor implements Executor {
  readonly name = 'reference';
  constructor(readonly kernels: KernelExports) {}

  compile(op: Op): CompiledOp {
    const k = this.kernels;
    if (op.kind === 'host') return (batch) => op.run(batch, k) ?? 0;
    if (op.kind === 'loss') {
      // The same fixed chunks as the wasm path, summed in the same order, on one thread.
      return compileLoss(op, (n, z, y, t, grad, inv) => {
        let total = 0;
        for (let c = 0; c < Math.ceil(n / LOSS_CHUNK); c++)
          total += lossChunk(k, op.loss, n, LOSS_CHUNK, c, z, y, t, grad, inv, op.delta);
        return total;
      });
    }
    if (!isKernelOp(op)) throw new Error('plan: unknown operation');
    const fill = argumentFiller(op);
    const fn = k[op.kernel];
    const rows = KERNEL_TABLE[op.kernel].split === 'rows';
    return (batch) => {
      const v = fill(batch, 0);
      if (rows) {
        v[G.scratchA] = 0;
        v[G.scratchB] = 0;
        v[G.r0] = 0;
        v[G.r1] = v[G.m]!;
      }
      return Number(Reflect.apply(fn, undefined, v) ?? 0);
    };
  }
}

let wasm: WasmExecutor | null = null;
let reference: ReferenceExecutor | null = null;

/** The executor of every product path. */
export function wasmExecutor(): Executor {
  return (wasm ??= new WasmExecutor());
}

/** Plain-TypeScript kernels on the same memory: the oracle for tests, never a product path. */
export function referenceExecutor(): Executor {
  return (reference ??= new ReferenceExecutor(createReferenceKernels(getEngine().memory)));
}
