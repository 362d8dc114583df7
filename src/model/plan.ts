// A compiled plan: every activation and gradient buffer of one model allocated once for the
// largest batch, and the ordered operations of forward, loss, backward and the optimizer step
// as data (src/engine/operation.ts). An executor compiles them; a training step only runs them.

import { wasmExecutor, type CompiledOp, type Executor } from '../engine/executor.js';
import { arena, type Buf } from '../engine/memory.js';
import type { Op } from '../engine/operation.js';
import type { Param } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import type { Graph } from './graph.js';
import { layoutPlan, measureLayout, type PlanOptions, type PlanPhases } from './plan_layout.js';
import { lossOp } from './plan_loss.js';

export type { PlanOptions, PlanPhases };

type Compiled = { [P in keyof PlanPhases]: CompiledOp[] } & { lossTerms: { [P in keyof PlanPhases]: boolean[] } };

export class Plan {
  readonly mode: 'train' | 'infer';
  readonly maxBatch: number;
  readonly input: Buf;
  readonly output: Buf;
  readonly target: Buf | null;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Pre-activation of the output layer when its sigmoid is fused into the loss. */
  readonly logits: Buf | null;
  /** Target mask of the batch when the plan has one. */
  readonly mask: Buf | null;
  readonly phases: PlanPhases;
  private readonly owned: Buf[] = [];
  private compiled: Compiled;
  private executorInUse: Executor;
  private readonly metrics = new Map<Loss, CompiledOp>();

  constructor(
    graph: Graph,
    readonly params: Param[],
    options: PlanOptions,
  ) {
    this.mode = options.mode;
    this.maxBatch = options.maxBatch;
    // Refused before anything is allocated when the plan's buffers cannot fit.
    arena.checkRoom(
      measureLayout(graph, params, options) * 4,
      `${this.mode === 'train' ? 'a training' : 'an inference'} plan for batches of ${this.maxBatch}`,
    );
    const l = layoutPlan(graph, params, options, (n, label) => {
      const b = arena.alloc(n, label);
      this.owned.push(b);
      return b;
    });
    this.input = l.input;
    this.output = l.output;
    this.target = l.target;
    this.mask = l.mask;
    this.logits = l.logits;
    this.inputSize = l.inputSize;
    this.outputSize = l.outputSize;
    this.phases = l.phases;
    this.executorInUse = wasmExecutor();
    this.compiled = this.compile(this.executorInUse);
  }

  get executor(): Executor {
    return this.executorInUse;
  }

  /** Compiles the same operations for another executor (the reference one, in tests). */
  useExecutor(executor: Executor): void {
    this.executorInUse = executor;
    this.compiled = this.compile(executor);
    this.metrics.clear();
  }

  private compile(executor: Executor): Compiled {
    const phase = (ops: Op[]) => ops.map((op) => executor.compile(op));
    const terms = (ops: Op[]) => ops.map((op) => op.lossTerm === true);
    const p = this.phases;
    // Inference over a stack of dense layers: each thread runs its rows of the whole forward pass
    // from one hand-off (src/engine/executor.ts rowChainCalls says when that is exact).
    const chain = this.mode === 'infer' ? (executor.compileRowChain?.(p.forward) ?? null) : null;
    return {
      forward: chain ? [chain] : phase(p.forward),
      loss: phase(p.loss),
      backward: phase(p.backward),
      update: phase(p.update),
      lossTerms: {
        forward: chain ? [false] : terms(p.forward),
        loss: terms(p.loss),
        backward: terms(p.backward),
        update: terms(p.update),
      },
    };
  }

  /** Runs one phase's operations; returns the sum of its loss terms. */
  run(phase: keyof PlanPhases, batch: number): number {
    const ops = this.compiled[phase],
      terms = this.compiled.lossTerms[phase];
    let total = 0;
    for (let i = 0; i < ops.length; i++) {
      const v = ops[i]!(batch);
      if (terms[i]) total += v;
    }
    return total;
  }

  forward(batch: number): void {
    this.run('forward', batch);
  }

  /**
   * Forward, the loss terms and (in a training plan) backward; returns the mean loss of the batch
   * with every penalty.
   */
  trainStep(batch: number): number {
    this.run('forward', batch);
    const loss = this.run('loss', batch);
    return loss + this.run('backward', batch);
  }

  /** The optimizer's update of every trainable parameter (after trainStep). */
  applyUpdate(): void {
    this.run('update', 1);
  }

  /** The mean loss with penalties of the batch in the plan, in this plan's mode (no gradients in inference). */
  evaluateBatch(batch: number): number {
    this.run('forward', batch);
    return this.run('loss', batch);
  }

  /** A metric (a loss without gradient) over the batch in the plan, after forward. */
  metric(loss: Loss, batch: number): number {
    let run = this.metrics.get(loss);
    if (!run) {
      run = this.executorInUse.compile(
        lossOp({
          loss,
          batchValues: this.outputSize,
          output: this.output,
          target: this.target!,
          logits: null,
          grad: null,
        }),
      );
      this.metrics.set(loss, run);
    }
    return run(batch);
  }

  /** Every buffer the plan reads or writes, labelled (owned ones and the parameters'). */
  buffers(): { label: string; buf: Buf }[] {
    const out = this.owned.map((b) => ({ label: b.label, buf: b }));
    for (const p of this.params) {
      out.push({ label: p.value.label, buf: p.value });
      if (p.grad !== p.value) out.push({ label: p.grad.label, buf: p.grad });
    }
    return out;
  }

  dispose(): void {
    for (const b of this.owned) arena.release(b);
    this.owned.length = 0;
  }
}
