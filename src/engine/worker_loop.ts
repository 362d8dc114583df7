// The loop a kernel worker runs: wait for a job in the shared control block, run its slice of
// a GEMM over the shared memory, signal done. Platform-free; src/platform starts the worker.

import type { KernelExports } from './kernels.js';

/** Int32 slots of one worker's control block (a SharedArrayBuffer of CONTROL_INTS). */
export const enum Slot { Seq = 0, Done = 1, Quit = 2, Ready = 3, M, N, K, A, Lda, TransA, B, Ldb, TransB, C, Ldc, Accumulate, Bias, Act, Alpha, ScratchA, ScratchB, R0, R1 }
export const CONTROL_INTS = 32;
/** Spin this many polls before blocking: keeps hand-off latency at microseconds during training. */
export const SPIN_POLLS = 20000;

export function runWorkerLoop(k: KernelExports, control: Int32Array): void {
  const f32 = new Float32Array(control.buffer, control.byteOffset, control.length);
  let seen = Atomics.load(control, Slot.Seq);
  // Jobs are posted only to workers that said they are ready, so none is missed.
  Atomics.store(control, Slot.Ready, 1);
  for (;;) {
    let polls = 0;
    while (Atomics.load(control, Slot.Seq) === seen) {
      if (++polls > SPIN_POLLS) { Atomics.wait(control, Slot.Seq, seen); polls = 0; }
    }
    seen = Atomics.load(control, Slot.Seq);
    if (control[Slot.Quit]) return;
    const c = control;
    k.gemm(c[Slot.M]!, c[Slot.N]!, c[Slot.K]!, c[Slot.A]!, c[Slot.Lda]!, c[Slot.TransA]!, c[Slot.B]!, c[Slot.Ldb]!, c[Slot.TransB]!,
      c[Slot.C]!, c[Slot.Ldc]!, c[Slot.Accumulate]!, c[Slot.Bias]!, c[Slot.Act]!, f32[Slot.Alpha]!, c[Slot.ScratchA]!, c[Slot.ScratchB]!,
      c[Slot.R0]!, c[Slot.R1]!);
    Atomics.store(control, Slot.Done, seen);
    Atomics.notify(control, Slot.Done);
  }
}
