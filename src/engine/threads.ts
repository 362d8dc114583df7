// Splitting large GEMMs by rows across the main thread and kernel workers that share the
// WebAssembly.Memory. Each element is computed the same way whatever the split, so results are
// bit-identical for any thread count. Starting workers is the platform's job (src/platform).

import { getEngine } from './kernels.js';
import { arena, type Buf } from './memory.js';
import { callKernel } from './kernel_call.js';
import { KERNEL_NAMES, type KernelName } from './kernel_table.js';
import {
  CALL_ARGS,
  CHAIN_MAX,
  CHAIN_START,
  CHAIN_STRIDE,
  CONTROL_BYTES,
  CONTROL_INTS,
  Op,
  runLossChunks,
  Slot,
  SPIN_POLLS,
  type LossKernel,
} from './worker_loop.js';

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}
export type WorkerSpawner = (init: WorkerInit) => { terminate(): void };

interface KernelWorker {
  control: Int32Array;
  f32: Float32Array;
  scratchA: Buf;
  scratchB: Buf | null;
  /** How many GEMM columns scratchB holds panels for (kept here so a GEMM call need not ask the kernels). */
  scratchColumns: number;
  seq: number;
  handle: { terminate(): void };
}

let spawner: WorkerSpawner | null = null;
const workers: KernelWorker[] = [];
let requested = 1;
// Set once every worker has said it is ready; new workers clear it.
let allReady = false;
let note: string | null = null;
// Below this many multiply-adds a hand-off costs more than it saves.
const MIN_PARALLEL_MACS = 1 << 16;

export function setWorkerSpawner(s: WorkerSpawner | null, unavailableReason?: string): void {
  spawner = s;
  if (!s && unavailableReason) note = unavailableReason;
}

/** Why threads are off here (e.g. no shared memory in this page), or null. */
export function threadNote(): string | null {
  return note;
}

/** Sets how many threads run large GEMMs (1 = main thread only). Returns the count in effect. */
export function setThreads(n: number): number {
  requested = Math.max(1, Math.floor(n));
  if (requested > 1 && !getEngine().shared)
    note ??= 'no shared memory here (a browser page needs cross-origin isolation): running on one thread';
  const want = spawner && getEngine().shared ? requested - 1 : 0;
  while (workers.length > want) stopWorker(workers.pop()!);
  const { module, memory } = getEngine();
  if (workers.length < want) allReady = false;
  while (workers.length < want && spawner) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const handle = spawner({ module, memory, control });
    workers.push({
      control: new Int32Array(control),
      f32: new Float32Array(control),
      scratchA: arena.alloc(getEngine().kernels.gemmScratchA()),
      scratchB: null,
      scratchColumns: 0,
      seq: 0,
      handle,
    });
  }
  return workers.length + 1;
}

export function getThreads(): number {
  return workers.length + 1;
}

/** Whether every kernel worker has started (until then the main thread does all the work). */
export function threadsStarted(): boolean {
  return workersReady();
}

/** Whether every worker has started; checked once per call until true, then remembered. */
function workersReady(): boolean {
  if (!allReady) allReady = workers.every((w) => Atomics.load(w.control, Slot.Ready) === 1);
  return allReady;
}

function stopWorker(w: KernelWorker): void {
  w.control[Slot.Quit] = 1;
  Atomics.add(w.control, Slot.Seq, 1);
  Atomics.notify(w.control, Slot.Seq);
  w.handle.terminate();
  arena.release(w.scratchA);
  if (w.scratchB) arena.release(w.scratchB);
}

/** Makes sure every worker has B-panel scratch for n columns (compile time). */
export function reserveWorkerScratch(n: number): void {
  const need = getEngine().kernels.gemmScratchB(n);
  for (const w of workers) {
    if (!w.scratchB || w.scratchB.length < need) {
      if (w.scratchB) arena.release(w.scratchB);
      w.scratchB = arena.alloc(need);
    }
    w.scratchColumns = Math.max(w.scratchColumns, n);
  }
}

export interface GemmCall {
  m: number;
  n: number;
  k: number;
  a: number;
  lda: number;
  transA: number;
  b: number;
  ldb: number;
  transB: number;
  c: number;
  ldc: number;
  accumulate: number;
  bias: number;
  act: number;
  alpha: number;
  scratchA: number;
  scratchB: number;
}

/** This thread's rows [r0, r1) of the product g describes (m rows in all). */
function gemmRows(k: ReturnType<typeof getEngine>['kernels'], g: GemmCall, m: number, r0: number, r1: number): void {
  k.gemm(
    m,
    g.n,
    g.k,
    g.a,
    g.lda,
    g.transA,
    g.b,
    g.ldb,
    g.transB,
    g.c,
    g.ldc,
    g.accumulate,
    g.bias,
    g.act,
    g.alpha,
    g.scratchA,
    g.scratchB,
    r0,
    r1,
  );
}

/** Runs the GEMM, split by rows when workers exist and the product is large enough. */
export function runGemm(g: GemmCall): void {
  const k = getEngine().kernels;
  const parts = workers.length + 1;
  if (parts === 1 || g.m < 8 || g.m * g.n * g.k < MIN_PARALLEL_MACS) {
    gemmRows(k, g, g.m, 0, g.m);
    return;
  }
  // Row ranges in multiples of 4 (the micro-kernel's height); the main thread takes the first.
  const chunk = Math.ceil(g.m / parts / 4) * 4;
  let used = 0;
  if (!workersReady()) {
    // Workers still starting (or failed to start): the main thread does it all meanwhile.
    gemmRows(k, g, g.m, 0, g.m);
    return;
  }
  for (let i = 0; i < workers.length; i++) {
    const r0 = chunk * (i + 1),
      r1 = Math.min(g.m, r0 + chunk);
    if (r0 >= r1) break;
    const w = workers[i]!;
    if (w.scratchColumns < g.n) reserveWorkerScratch(g.n);
    const c = w.control;
    c[Slot.M] = g.m;
    c[Slot.N] = g.n;
    c[Slot.K] = g.k;
    c[Slot.A] = g.a;
    c[Slot.Lda] = g.lda;
    c[Slot.TransA] = g.transA;
    c[Slot.B] = g.b;
    c[Slot.Ldb] = g.ldb;
    c[Slot.TransB] = g.transB;
    c[Slot.C] = g.c;
    c[Slot.Ldc] = g.ldc;
    c[Slot.Accumulate] = g.accumulate;
    c[Slot.Bias] = g.bias;
    c[Slot.Act] = g.act;
    w.f32[Slot.Alpha] = g.alpha;
    c[Slot.ScratchA] = w.scratchA.ptr;
    c[Slot.ScratchB] = w.scratchB!.ptr;
    c[Slot.R0] = r0;
    c[Slot.R1] = r1;
    post(w, Op.Gemm);
    used = i + 1;
  }
  gemmRows(k, g, g.m, 0, Math.min(chunk, g.m));

  for (let i = 0; i < used; i++) waitDone(workers[i]!);
}

/** The most GEMMs one chain may hold (longer forward passes run GEMM by GEMM). */
export const GEMM_CHAIN_MAX = CHAIN_MAX;

/**
 * Runs GEMMs one after another over the same m rows, each thread taking the same rows of every
 * one: valid when each GEMM reads only the rows of A it writes in C (A not transposed, one row
 * per sample, A the input or an earlier GEMM's output), as in a stack of dense layers. Workers
 * then run their rows of the whole chain from one hand-off instead of one per GEMM. Each element
 * is computed as runGemm computes it, so results are the same bits. The calls' m is ignored.
 */
export function runGemmChain(calls: readonly GemmCall[], m: number): void {
  const k = getEngine().kernels;
  let macsPerRow = 0,
    maxN = 0;
  for (const g of calls) {
    macsPerRow += g.n * g.k;
    maxN = Math.max(maxN, g.n);
  }
  const parts = workers.length + 1;
  const serial = parts === 1 || m < 8 || m * macsPerRow < MIN_PARALLEL_MACS || !workersReady();
  const chunk = serial ? m : Math.ceil(m / parts / 4) * 4;
  let used = 0;
  if (!serial) {
    for (let i = 0; i < workers.length; i++) {
      const r0 = chunk * (i + 1),
        r1 = Math.min(m, r0 + chunk);
      if (r0 >= r1) break;
      const w = workers[i]!;
      if (w.scratchColumns < maxN) reserveWorkerScratch(maxN);
      const c = w.control;
      calls.forEach((g, j) => {
        const o = CHAIN_START + j * CHAIN_STRIDE;
        c[o] = g.n;
        c[o + 1] = g.k;
        c[o + 2] = g.a;
        c[o + 3] = g.lda;
        c[o + 4] = g.transA;
        c[o + 5] = g.b;
        c[o + 6] = g.ldb;
        c[o + 7] = g.transB;
        c[o + 8] = g.c;
        c[o + 9] = g.ldc;
        c[o + 10] = g.accumulate;
        c[o + 11] = g.bias;
        c[o + 12] = g.act;
        w.f32[o + 13] = g.alpha;
      });
      c[Slot.Count] = calls.length;
      c[Slot.M] = m;
      c[Slot.R0] = r0;
      c[Slot.R1] = r1;
      c[Slot.ScratchA] = w.scratchA.ptr;
      c[Slot.ScratchB] = w.scratchB!.ptr;
      post(w, Op.Chain);
      used = i + 1;
    }
  }
  const r1 = Math.min(chunk, m);
  for (const g of calls) {
    gemmRows(k, g, m, 0, r1);
  }
  for (let i = 0; i < used; i++) waitDone(workers[i]!);
}

function waitDone(w: KernelWorker): void {
  let polls = 0;
  const started = Date.now();
  for (;;) {
    const done = Atomics.load(w.control, Slot.Done);
    if (done === w.seq) return;
    if (++polls > SPIN_POLLS) {
      if (Date.now() - started > 30000)
        throw new Error('a kernel worker stopped responding (30 s without finishing its part of a GEMM)');
      // Blocking waits are not allowed on a browser's main thread: there we keep polling.
      try {
        Atomics.wait(w.control, Slot.Done, done, 10);
      } catch {
        /* keep polling */
      }
      polls = 0;
    }
  }
}

function post(w: KernelWorker, op: Op): void {
  w.control[Slot.Op] = op;
  w.seq = Atomics.add(w.control, Slot.Seq, 1) + 1;
  Atomics.notify(w.control, Slot.Seq);
}

/** Values per loss chunk: fixed, so the summation order never depends on the thread count. */
export const LOSS_CHUNK = 16384;
let partials: Buf | null = null;

/** Makes room for the per-chunk sums of losses over up to n values (compile time). */
export function reserveLossPartials(n: number): void {
  const floats = 2 * Math.ceil(n / LOSS_CHUNK);
  if (!partials || partials.length < floats) {
    if (partials) arena.release(partials);
    partials = arena.alloc(floats);
  }
}

export interface LossCall {
  kind: LossKernel;
  n: number;
  z: number;
  y: number;
  t: number;
  grad: number;
  inv: number;
  delta: number;
}

/** The summed loss over n values, chunks shared between the threads, sums added in chunk order. */
export function runLoss(l: LossCall): number {
  const { kernels: k, memory } = getEngine();
  reserveLossPartials(l.n);
  const chunks = Math.ceil(l.n / LOSS_CHUNK);
  const parts = workersReady() ? Math.min(workers.length + 1, chunks) : 1;
  const per = Math.ceil(chunks / parts);
  for (let i = 1; i < parts; i++) {
    const w = workers[i - 1]!,
      c = w.control;
    c[Slot.Kind] = l.kind;
    c[Slot.Count] = l.n;
    c[Slot.Chunk] = LOSS_CHUNK;
    c[Slot.R0] = i * per;
    c[Slot.R1] = Math.min(chunks, (i + 1) * per);
    c[Slot.Z] = l.z;
    c[Slot.Y] = l.y;
    c[Slot.T] = l.t;
    c[Slot.Grad] = l.grad;
    w.f32[Slot.Inv] = l.inv;
    w.f32[Slot.Delta] = l.delta;
    c[Slot.Partials] = partials!.ptr;
    post(w, Op.Loss);
  }
  runLossChunks(
    k,
    memory,
    l.kind,
    l.n,
    LOSS_CHUNK,
    0,
    Math.min(per, chunks),
    l.z,
    l.y,
    l.t,
    l.grad,
    l.inv,
    l.delta,
    partials!.ptr,
  );
  for (let i = 1; i < parts; i++) waitDone(workers[i - 1]!);
  const sums = new Float64Array(memory.buffer, partials!.ptr, chunks);
  let total = 0;
  for (let c = 0; c < chunks; c++) total += sums[c]!;
  return total;
}

/**
 * Runs a kernel over a batch, samples [n0, n1) per thread: args(n0, n1) gives the kernel's
 * arguments for that share (pointers moved to its first sample). Every sample is computed the
 * same way whatever the split, so results do not depend on the thread count.
 */
export function runBatchSplit(kernel: KernelName, batch: number, args: (n0: number, n1: number) => number[]): void {
  const fn = getEngine().kernels[kernel];
  const parts = workersReady() ? Math.min(workers.length + 1, batch) : 1;
  if (parts <= 1) {
    callKernel(fn, args(0, batch));
    return;
  }
  const per = Math.ceil(batch / parts);
  let used = 0;
  for (let i = 1; i < parts; i++) {
    const n0 = i * per,
      n1 = Math.min(batch, n0 + per);
    if (n0 >= n1) break;
    const w = workers[i - 1]!;
    const a = args(n0, n1);
    new Float64Array(w.control.buffer, CONTROL_INTS * 4, CALL_ARGS).set(a);
    w.control[Slot.Kind] = KERNEL_NAMES.indexOf(kernel);
    w.control[Slot.Count] = a.length;
    post(w, Op.Call);
    used = i;
  }
  callKernel(fn, args(0, Math.min(per, batch)));
  for (let i = 1; i <= used; i++) waitDone(workers[i - 1]!);
}

/** How many jobs each worker has run since it started (tests prove a split happened with it). */
export function workerJobCounts(): number[] {
  return workers.map((w) => Atomics.load(w.control, Slot.Executed));
}
