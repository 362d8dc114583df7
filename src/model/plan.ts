// A compiled plan: every activation and gradient buffer of one model allocated once for the
// largest batch, and the ordered forward and backward steps. A training step only runs them.

import { getEngine } from '../engine/kernels.js';
import { arena, type Buf } from '../engine/memory.js';
import type { Random } from '../engine/random.js';
import { InputLayer } from '../layers/input.js';
import { size, type Layer, type LayerSteps, type Param, type SymbolicTensor } from '../layers/layer.js';
import { lossSum, lossSumFromLogits, type Loss } from '../losses/loss.js';
import { reserveLossPartials } from '../engine/threads.js';
import type { Graph } from './graph.js';

interface NodeStep { node: SymbolicTensor; steps: LayerSteps; output: Buf; dOutput: Buf | null }

export interface PlanOptions {
  maxBatch: number;
  /** With a loss the plan can train: it allocates gradients and the target buffer. */
  loss?: Loss;
  random: Random;
  /**
   * Training with a mask over the targets (1 observed, 0 missing): missing values add nothing to
   * the loss or its gradient. The mask buffer is filled with each batch.
   */
  masked?: boolean;
}

export class Plan {
  readonly maxBatch: number;
  readonly input: Buf;
  readonly output: Buf;
  readonly target: Buf | null;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Pre-activation of the output layer when its sigmoid is fused into the loss. */
  readonly logits: Buf | null = null;
  /** Target mask of the batch when the plan trains with one. */
  readonly mask: Buf | null = null;
  private readonly owned: Buf[] = [];
  private readonly steps: NodeStep[] = [];
  private readonly dOutputRoot: Buf | null = null;
  private readonly loss: Loss | null;

  constructor(private readonly graph: Graph, readonly params: Param[], options: PlanOptions) {
    const { maxBatch, loss } = options;
    this.maxBatch = maxBatch;
    this.loss = loss ?? null;
    const training = loss !== undefined;
    const alloc = (n: number): Buf => { const b = arena.alloc(n); this.owned.push(b); return b; };
    const outNode = graph.outputs[0]!;

    const needsGrad = new Map<SymbolicTensor, boolean>();
    for (const t of graph.nodes) {
      needsGrad.set(t, training && !(t.layer instanceof InputLayer) &&
        (t.layer.params.some((p) => p.trainable) || t.inputs.some((i) => needsGrad.get(i))));
    }
    const act = new Map<SymbolicTensor, Buf>();
    const grad = new Map<SymbolicTensor, Buf>();
    for (const t of graph.nodes) {
      act.set(t, alloc(maxBatch * size(t.shape)));
      if (needsGrad.get(t)) grad.set(t, alloc(maxBatch * size(t.shape)));
    }
    this.input = act.get(graph.inputs[0]!)!;
    this.output = act.get(outNode)!;
    this.inputSize = size(graph.inputs[0]!.shape);
    this.outputSize = size(outNode.shape);
    this.target = training ? alloc(maxBatch * this.outputSize) : null;
    if (training && options.masked) this.mask = alloc(maxBatch * this.outputSize);
    this.dOutputRoot = grad.get(outNode) ?? null;
    reserveLossPartials(maxBatch * this.outputSize);

    const consumers = new Map<SymbolicTensor, number>();
    for (const t of graph.nodes) for (const i of t.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
    const fuse = training && loss.logitsKernel !== undefined && outNode.layer.endsInSigmoid() &&
      !outNode.layer.activityRegularizer && !outNode.layer.hasPenalty() && !consumers.get(outNode) && !options.masked;
    if (fuse) this.logits = alloc(maxBatch * this.outputSize);

    // Backward runs in reverse order: the first consumer met there overwrites an input gradient,
    // later ones add to it; likewise for parameter gradients of a layer applied more than once.
    const written = new Set<SymbolicTensor>([outNode]);
    const gradWritten = new Set<Layer>();
    const planned: NodeStep[] = [];
    for (let idx = graph.nodes.length - 1; idx >= 0; idx--) {
      const t = graph.nodes[idx]!;
      if (t.layer instanceof InputLayer) continue;
      const accumulateInputs = t.inputs.map((i) => { const w = written.has(i); if (grad.has(i)) written.add(i); return w; });
      const steps = t.layer.plan({
        maxBatch,
        inputShapes: t.inputs.map((i) => i.shape),
        outputShape: t.shape,
        inputs: t.inputs.map((i) => act.get(i)!),
        output: act.get(t)!,
        dInputs: t.inputs.map((i) => grad.get(i) ?? null),
        accumulateInputs,
        dOutput: grad.get(t) ?? null,
        overwriteParamGrads: !gradWritten.has(t.layer),
        logits: fuse && t === outNode ? this.logits : null,
        alloc,
        random: options.random,
      });
      if (grad.has(t)) gradWritten.add(t.layer);
      planned.push({ node: t, steps, output: act.get(t)!, dOutput: grad.get(t) ?? null });
    }
    this.steps = planned.reverse();
  }

  forward(batch: number, training: boolean): void {
    for (const s of this.steps) s.steps.forward(batch, training);
  }

  /** Mean loss of the batch in the plan (after forward), without gradients. */
  dataLoss(batch: number): number {
    const n = batch * this.outputSize;
    return lossSum(this.loss!, n, this.output.ptr, this.target!.ptr, 0, 1 / n) / n;
  }

  /** One forward and backward pass; returns the mean loss including regularization penalties. */
  trainStep(batch: number): number {
    const k = getEngine().kernels;
    this.forward(batch, true);
    const n = batch * this.outputSize;
    const loss = this.loss!;
    const gradPtr = this.dOutputRoot ? this.dOutputRoot.ptr : 0;
    // Penalties read the forward activations, so they are summed before backward reuses buffers.
    let total = this.layerPenalties(batch);
    if (this.mask) this.maskTargets(batch);
    total += (this.logits
      ? lossSumFromLogits(loss, n, this.logits.ptr, this.output.ptr, this.target!.ptr, gradPtr, 1 / n)
      : lossSum(loss, n, this.output.ptr, this.target!.ptr, gradPtr, 1 / n)) / n;
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const s = this.steps[i]!;
      const reg = s.node.layer.activityRegularizer;
      if (reg) {
        const m = batch * size(s.node.shape);
        total += s.dOutput
          ? k.regularize(m, s.output.ptr, s.dOutput.ptr, (reg.l1 ?? 0) / batch, (reg.l2 ?? 0) / batch)
          : activityPenalty(s.output, m, reg.l1 ?? 0, reg.l2 ?? 0) / batch;
      }
      s.steps.backward(batch);
    }
    for (const p of this.params) {
      if (p.regularizer) total += k.regularize(p.value.length, p.value.ptr, p.grad.ptr, p.regularizer.l1 ?? 0, p.regularizer.l2 ?? 0);
    }
    return total;
  }

  /**
   * A missing target takes the prediction's value, so its error and gradient are zero whatever the
   * loss (the mean still counts it: missing cells pull the loss toward zero, not its gradient).
   */
  maskTargets(batch: number): void {
    const n = batch * this.outputSize;
    const m = this.mask!.view(), t = this.target!.view(), y = this.output.view();
    for (let i = 0; i < n; i++) if (m[i] === 0) t[i] = y[i]!;
  }

  private layerPenalties(batch: number): number {
    let total = 0;
    for (const s of this.steps) if (s.steps.penalty) total += s.steps.penalty(batch);
    return total;
  }

  /** Regularization penalties at the current weights and activations (for evaluation). */
  penalty(batch: number): number {
    let total = this.layerPenalties(batch);
    for (const s of this.steps) {
      const reg = s.node.layer.activityRegularizer;
      if (reg) total += activityPenalty(s.output, batch * size(s.node.shape), reg.l1 ?? 0, reg.l2 ?? 0) / batch;
    }
    for (const p of this.params) {
      if (p.regularizer) total += activityPenalty(p.value, p.value.length, p.regularizer.l1 ?? 0, p.regularizer.l2 ?? 0);
    }
    return total;
  }

  dispose(): void {
    for (const b of this.owned) arena.release(b);
    this.owned.length = 0;
  }
}

function activityPenalty(b: Buf, n: number, l1: number, l2: number): number {
  const k = getEngine().kernels;
  return (l1 ? l1 * k.sumAbs(n, b.ptr) : 0) + (l2 ? l2 * k.sumSquares(n, b.ptr) : 0);
}
