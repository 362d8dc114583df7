// Runs a model's training plan on the WebAssembly executor and on the reference executor (plain
// TypeScript kernels) from the same state, and compares every buffer of the plan after forward,
// after the loss and backward, and after one optimizer step (tinygrad's helper_test_op idea).

import assert from 'node:assert/strict';
import { referenceExecutor, wasmExecutor } from '../../src/engine/executor.js';
import type { Buf } from '../../src/engine/memory.js';
import type { Model } from '../../src/model/model.js';
import type { PlanPhases } from '../../src/model/plan.js';
import { assertClose } from './engine.js';

export interface CompareOptions {
  /** Target mask (1 observed, 0 missing) for masked training. */
  mask?: Float32Array;
  rtol?: number;
  atol?: number;
}

export interface CompareReport {
  buffers: number;
  operations: number;
  loss: [number, number];
}

type Snapshot = Map<string, Float32Array>;

export function compareExecutors(
  m: Model,
  x: Float32Array,
  t: Float32Array,
  batch: number,
  options: CompareOptions = {},
): CompareReport {
  const c = m.requireCompiled('compareExecutors');
  const plan = m.planForTraining(batch, { masked: options.mask !== undefined });
  const slots: { label: string; buf: Buf }[] = [];
  for (const [p, bufs] of c.optimizer.slots)
    bufs.forEach((b, i) => slots.push({ label: `${p.value.label}.slot${i}`, buf: b }));
  const all = [...plan.buffers(), ...slots];
  const labels = new Set<string>();
  for (const b of all) {
    assert.ok(b.buf.label, 'every planned buffer has a label');
    assert.ok(!labels.has(b.label), `buffer label ${b.label} is unique`);
    labels.add(b.label);
  }
  const snapshot = (): Snapshot => new Map(all.map((b) => [b.label, b.buf.view().slice()]));
  const restore = (s: Snapshot) => {
    for (const b of all) b.buf.view().set(s.get(b.label)!);
  };

  plan.input.view().set(x);
  plan.target!.view().set(t);
  if (options.mask) plan.mask!.view().set(options.mask);
  const start = snapshot();
  const randomState = c.random.getState();
  const iterations = c.optimizer.iterations;

  const runAll = () => {
    const phases: Snapshot[] = [];
    const at = (phase: keyof PlanPhases) => plan.run(phase, batch);
    at('forward');
    phases.push(snapshot());
    const loss = at('loss') + at('backward');
    phases.push(snapshot());
    at('update');
    phases.push(snapshot());
    return { phases, loss };
  };
  const fast = runAll();
  restore(start);
  c.random.setState(randomState);
  c.optimizer.iterations = iterations;
  plan.useExecutor(referenceExecutor());
  let slow: ReturnType<typeof runAll>;
  try {
    slow = runAll();
  } finally {
    plan.useExecutor(wasmExecutor());
  }

  const rtol = options.rtol ?? 2e-4,
    atol = options.atol ?? 2e-5;
  ['after forward', 'after backward', 'after the optimizer step'].forEach((when, i) => {
    for (const label of labels) {
      const a = fast.phases[i]!.get(label)!,
        b = slow.phases[i]!.get(label)!;
      if (label.endsWith('.argmax')) {
        // Winner indices are int32 values in a float buffer: compared exactly, as integers.
        assert.deepEqual(new Int32Array(a.buffer), new Int32Array(b.buffer), `${label} ${when}`);
      } else assertClose(a, b, rtol, atol, `${label} ${when} (wasm vs reference)`);
    }
  });
  assertClose([fast.loss], [slow.loss], rtol, atol, 'training loss (wasm vs reference)');
  const p = plan.phases;
  return {
    buffers: labels.size,
    operations: p.forward.length + p.loss.length + p.backward.length + p.update.length,
    loss: [fast.loss, slow.loss],
  };
}
