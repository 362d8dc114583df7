// Executors run a plan's operations: the WebAssembly one (SIMD kernels, splits across the kernel
// workers) and the reference one (plain-TypeScript kernels on the same buffers, one thread), the
// oracle the fast path is compared with op by op. Compiling an op resolves its arguments once.

import { getEngine } from './kernels.js';
import { KERNEL_TABLE, type KernelExports, type KernelName } from './kernel_table.js';
import { gemmScratch, recordGemm } from './ops.js';
import { pointerValue, scalarValue, type AnyKernelOp, type LossOp, type Op, type Pointer, type Scalar } from './operation.js';
import { createReferenceKernels } from './reference/index.js';
import { LOSS_CHUNK, runBatchSplit, runGemm, runLoss } from './threads.js';
import { lossChunk } from './worker_loop.js';

/** A compiled operation: runs it for a batch of this many samples, returns its value (0 for none). */
export type CompiledOp = (batch: number) => number;

export interface Executor {
  readonly name: 'wasm' | 'reference';
  readonly kernels: KernelExports;
  compile(op: Op): CompiledOp;
}

type Resolver = (batch: number, n0: number) => number;

/** One resolver per kernel parameter, in the table's order. */
function resolvers(op: AnyKernelOp): Resolver[] {
  const args: Record<string, Scalar | Pointer> = op.args;
  return KERNEL_TABLE[op.kernel].params.map(([name, type]) => {
    const a = args[name];
    if (a === undefined) throw new Error(`plan: ${op.kernel} lacks its argument '${name}'`);
    if (type === 'ptr') {
      const p = a as Pointer;
      return (_batch: number, n0: number) => pointerValue(p, n0);
    }
    const s = a as Scalar;
    if (typeof s === 'number') return () => s;
    return (batch: number) => scalarValue(s, batch);
  });
}

/** Argument values for a batch (and, for a thread's share, its first sample). */
function argumentFiller(op: AnyKernelOp): (batch: number, n0: number) => number[] {
  const rs = resolvers(op);
  return (batch, n0) => rs.map((r) => r(batch, n0));
}

const GEMM_PARAMS = KERNEL_TABLE.gemm.params.map(([n]) => n);
const at = (name: (typeof GEMM_PARAMS)[number]) => GEMM_PARAMS.indexOf(name);
const G = { m: at('m'), n: at('n'), k: at('k'), scratchA: at('scratchA'), scratchB: at('scratchB'), r0: at('r0'), r1: at('r1') };

function compileLoss(op: LossOp, run: (n: number, z: number, y: number, t: number, grad: number, inv: number) => number): CompiledOp {
  return (batch) => {
    const n = scalarValue(op.n, batch);
    return run(n, op.z ? op.z.ptr : 0, op.y.ptr, op.t.ptr, op.grad ? op.grad.ptr : 0, 1 / n) / n;
  };
}

function isKernelOp(op: Op): op is AnyKernelOp { return op.kind === 'kernel'; }

class WasmExecutor implements Executor {
  readonly name = 'wasm';
  get kernels(): KernelExports { return getEngine().kernels; }

  compile(op: Op): CompiledOp {
    if (op.kind === 'host') return (batch) => op.run(batch, this.kernels) ?? 0;
    if (op.kind === 'loss') {
      return compileLoss(op, (n, z, y, t, grad, inv) => runLoss({ kind: op.loss, n, z, y, t, grad, inv, delta: op.delta }));
    }
    if (!isKernelOp(op)) throw new Error('plan: unknown operation');
    const fill = argumentFiller(op);
    const kernel: KernelName = op.kernel;
    const split = KERNEL_TABLE[kernel].split;
    if (split === 'rows') {
      if (op.kernel === 'gemm' && typeof op.args.n === 'number') gemmScratch(op.args.n);
      return (batch) => {
        const v = fill(batch, 0);
        const { a: scratchA, b: scratchB } = gemmScratch(v[G.n]!);
        const [m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, bias, act, alpha] = v as [number, number, number, number,
          number, number, number, number, number, number, number, number, number, number, number];
        recordGemm(() => runGemm({ m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, bias, act, alpha, scratchA, scratchB }), m * n * k);
        return 0;
      };
    }
    if (split === 'batch') {
      return (batch) => { runBatchSplit(kernel, batch, (n0, n1) => fill(n1 - n0, n0)); return 0; };
    }
    const fn = getEngine().kernels[kernel];
    return (batch) => Number(Reflect.apply(fn, undefined, fill(batch, 0)) ?? 0);
  }
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
        for (let c = 0; c < Math.ceil(n / LOSS_CHUNK); c++) total += lossChunk(k, op.loss, n, LOSS_CHUNK, c, z, y, t, grad, inv, op.delta);
        return total;
      });
    }
    if (!isKernelOp(op)) throw new Error('plan: unknown operation');
    const fill = argumentFiller(op);
    const fn = k[op.kernel];
    const rows = KERNEL_TABLE[op.kernel].split === 'rows';
    return (batch) => {
      const v = fill(batch, 0);
      if (rows) { v[G.scratchA] = 0; v[G.scratchB] = 0; v[G.r0] = 0; v[G.r1] = v[G.m]!; }
      return Number(Reflect.apply(fn, undefined, v) ?? 0);
    };
  }
}

let wasm: WasmExecutor | null = null;
let reference: ReferenceExecutor | null = null;

/** The executor of every product path. */
export function wasmExecutor(): Executor { return (wasm ??= new WasmExecutor()); }

/** Plain-TypeScript kernels on the same memory: the oracle for tests, never a product path. */
export function referenceExecutor(): Executor {
  return (reference ??= new ReferenceExecutor(createReferenceKernels(getEngine().memory)));
}

