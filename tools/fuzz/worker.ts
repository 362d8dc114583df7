// One fuzz worker: guards allocations, sets up one parser's target, then runs inputs
// [start, end) of the run, writing the index it is on into shared memory before each so the
// parent's watchdog can tell a hang from slow progress. Crashes are posted as they happen.

import { parentPort, workerData } from 'node:worker_threads';
import { guardState, installAllocationGuard } from './guard.js';
import type { WorkerMessage, WorkerTask } from './protocol.js';

const task = workerData as WorkerTask;
installAllocationGuard(task.maxAllocBytes);
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

// Imported after the guard, so every parser library sees the guarded constructors.
const { TARGETS } = await import('./targets.js');
const { mutatedInput } = await import('./mutate.js');
const { HourglassError } = await import('../../src/engine/errors.js');
const { arena } = await import('../../src/engine/memory.js');

const make = TARGETS[task.parser];
if (!make) throw new Error(`unknown parser ${task.parser}`);
const target = await make();
const control = new Int32Array(task.control);
post({ type: 'ready', seeds: target.seeds, kind: target.kind });

// WebAssembly memory a failed load left allocated: every layer it built must be freed.
const inUse = () => arena.usedBytes - arena.freeBlocks.reduce((s, b) => s + b.bytes, 0);

let ok = 0,
  refused = 0,
  slowestMs = 0,
  slowestIndex = -1;
for (let i = task.start; i < task.end; i++) {
  const input = task.inputs ? task.inputs[i]! : mutatedInput(target.seeds, target.kind, task.seed, task.parser, i);
  Atomics.store(control, 0, i);
  guardState.overBound = 0;
  const before = inUse();
  const t0 = performance.now();
  try {
    await target.run(input);
    Atomics.store(control, 2, ++ok);
  } catch (e) {
    if (e instanceof HourglassError && e.message.trim() !== '' && guardState.overBound === 0)
      Atomics.store(control, 3, ++refused);
    else if (guardState.overBound === 0) {
      const err = e instanceof Error ? e : new Error(String(e));
      const where = err.stack?.split('\n').find((l) => l.includes('/src/') || l.includes('node_modules')) ?? '';
      post({
        type: 'crash',
        index: i,
        kind: 'exception',
        message: `${err.name}: ${err.message}`.slice(0, 400),
        where: where.trim(),
      });
    }
  }
  const ms = performance.now() - t0;
  if (ms > slowestMs) [slowestMs, slowestIndex] = [ms, i];
  if (guardState.overBound > 0)
    post({
      type: 'crash',
      index: i,
      kind: 'allocation',
      message: `a header made it request ${guardState.overBound} bytes (bound ${task.maxAllocBytes})`,
      where: '',
    });
  else if (inUse() > before)
    post({
      type: 'crash',
      index: i,
      kind: 'leak',
      message: `${inUse() - before} bytes of WebAssembly memory left allocated`,
      where: '',
    });
  Atomics.store(control, 1, i + 1 - task.start);
}
Atomics.store(control, 0, -1);
post({ type: 'done', ok, refused, slowestMs, slowestIndex });
