// Laying out a plan: one activation (and gradient) buffer per graph node for the largest batch,
// each layer's operations in order, the fused loss, accumulation of gradients where a tensor or a
// layer is used twice, regularization, and the optimizer step. Pure bookkeeping: no kernel runs.

import { Buf } from '../engine/memory.js';
import { hostOp, kernelOp, type Op } from '../engine/operation.js';
import { InputLayer } from '../layers/input.js';
import { size, type Layer, type Param, type SymbolicTensor } from '../layers/layer.js';
import type { Regularizer } from '../layers/regularizers.js';
import { planActivation } from './fusion.js';
import type { Graph } from './graph.js';
import type { Random } from '../engine/random.js';
import type { Loss } from '../losses/loss.js';
import type { Optimizer } from '../optim/optimizer.js';
import { planLoss } from './plan_loss.js';

export interface PlanOptions {
  /** 'train' plans forward in training mode with gradients; 'infer' plans inference only. */
  mode: 'train' | 'infer';
  maxBatch: number;
  /** Needed to train; an inference plan with a loss evaluates it (it gets a target buffer). */
  loss?: Loss;
  random: Random;
  /**
   * Training with a mask over the targets (1 observed, 0 missing): missing values add nothing to
   * the loss or its gradient. The mask buffer is filled with each batch.
   */
  masked?: boolean;
  /** The optimizer whose update ends each training step. */
  optimizer?: Optimizer;
}

/** The operation lists of a plan, in the order a step runs them. */
export interface PlanPhases {
  forward: Op[];
  /** Penalties, the target mask and the loss: the loss terms after forward. */
  loss: Op[];
  backward: Op[];
  update: Op[];
}

export interface PlanLayout {
  input: Buf;
  output: Buf;
  target: Buf | null;
  mask: Buf | null;
  logits: Buf | null;
  inputSize: number;
  outputSize: number;
  phases: PlanPhases;
}

export type Allocate = (n: number, label: string) => Buf;

/** Floats a layout would allocate, without allocating (buffers with no address). */
export function measureLayout(graph: Graph, params: Param[], options: PlanOptions): number {
  let floats = 0;
  layoutPlan(graph, params, { ...options, optimizer: undefined }, (n, label) => {
    floats += Math.ceil(n / 16) * 16;
    return new Buf(0, n, label);
  });
  return floats;
}

export function layoutPlan(graph: Graph, params: Param[], options: PlanOptions, alloc: Allocate): PlanLayout {
  const { maxBatch, loss, mode } = options;
  const training = mode === 'train';
  const outNode = graph.outputs[0]!;

  const needsGrad = new Map<SymbolicTensor, boolean>();
  for (const t of graph.nodes) {
    needsGrad.set(
      t,
      training &&
        !(t.layer instanceof InputLayer) &&
        (t.layer.params.some((p) => p.trainable) || t.inputs.some((i) => needsGrad.get(i))),
    );
  }
  const act = new Map<SymbolicTensor, Buf>();
  const grad = new Map<SymbolicTensor, Buf>();
  // A layer applied more than once labels its later applications name#2, name#3, ...
  const applications = new Map<Layer, number>();
  const nodeName = new Map<SymbolicTensor, string>();
  for (const t of graph.nodes) {
    const k = (applications.get(t.layer) ?? 0) + 1;
    applications.set(t.layer, k);
    const name = k === 1 ? t.layer.name : `${t.layer.name}#${k}`;
    nodeName.set(t, name);
    act.set(t, alloc(maxBatch * size(t.shape), `${name}.out`));
    if (needsGrad.get(t)) grad.set(t, alloc(maxBatch * size(t.shape), `${name}.dOut`));
  }
  const input = act.get(graph.inputs[0]!)!;
  const output0 = act.get(outNode)!;
  const inputSize = size(graph.inputs[0]!.shape);
  const outputSize = size(outNode.shape);
  const target = loss ? alloc(maxBatch * outputSize, 'target') : null;
  const mask = loss && options.masked ? alloc(maxBatch * outputSize, 'target mask') : null;

  const consumers = new Map<SymbolicTensor, number>();
  for (const t of graph.nodes) for (const i of t.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  // The planner's fusion of the output sigmoid into binary cross-entropy (training only).
  const fuse =
    training &&
    loss?.logitsKernel !== undefined &&
    outNode.layer.endsInSigmoid() &&
    !outNode.layer.activityRegularizer &&
    !outNode.layer.hasPenalty() &&
    !consumers.get(outNode) &&
    !options.masked;
  const logits0 = fuse ? alloc(maxBatch * outputSize, `${outNode.layer.name}.logits`) : null;

  // Backward runs in reverse order: the first consumer met there overwrites an input gradient,
  // later ones add to it; likewise for parameter gradients of a layer applied more than once.
  const written = new Set<SymbolicTensor>([outNode]);
  const gradWritten = new Set<Layer>();
  const perNode: { forward: Op[]; backward: Op[]; penalty: Op[] }[] = [];
  for (let idx = graph.nodes.length - 1; idx >= 0; idx--) {
    const t = graph.nodes[idx]!;
    if (t.layer instanceof InputLayer) continue;
    const accumulateInputs = t.inputs.map((i) => {
      const w = written.has(i);
      if (grad.has(i)) written.add(i);
      return w;
    });
    const output = act.get(t)!,
      dOutput = grad.get(t) ?? null;
    const logits = fuse && t === outNode ? logits0 : null;
    const base = { mode, name: nodeName.get(t)!, maxBatch, output, dOutput, logits, alloc };
    const ops = t.layer.plan({
      ...base,
      inputShapes: t.inputs.map((i) => i.shape),
      inputRepeated: t.inputs.map((i) => i.layer.repeatsAlongSteps()),
      outputShape: t.shape,
      inputs: t.inputs.map((i) => act.get(i)!),
      dInputs: t.inputs.map((i) => grad.get(i) ?? null),
      accumulateInputs,
      overwriteParamGrads: !gradWritten.has(t.layer),
      random: options.random,
      activation: (a, producerHasEpilogue) =>
        planActivation({ ...base, values: size(t.shape) }, a, producerHasEpilogue),
    });
    if (grad.has(t)) gradWritten.add(t.layer);
    const reg = t.layer.activityRegularizer;
    const backward = training
      ? [...(reg ? [activityRegularization(reg, output, dOutput, size(t.shape), t.layer.name)] : []), ...ops.backward]
      : [];
    const penalty = [
      ...(ops.penalty ?? []),
      ...(!training && reg ? [activityRegularization(reg, output, null, size(t.shape), t.layer.name)] : []),
    ];
    perNode.push({ forward: ops.forward, backward, penalty });
  }
  perNode.reverse();
  const phases: PlanPhases = { forward: [], loss: [], backward: [], update: [] };
  phases.forward = perNode.flatMap((n) => n.forward);
  if (loss) {
    phases.loss = [
      ...perNode.flatMap((n) => n.penalty),
      ...planLoss({
        loss,
        batchValues: outputSize,
        output: output0,
        target: target!,
        mask: mask,
        logits: logits0,
        grad: training ? (grad.get(outNode) ?? null) : null,
      }),
      ...(training ? [] : params.filter((p) => p.regularizer).map((p) => weightPenalty(p))),
    ];
  }
  if (training) {
    phases.backward = [
      ...[...perNode].reverse().flatMap((n) => n.backward),
      ...params.filter((p) => p.regularizer).map((p) => weightRegularization(p)),
    ];
    phases.update = options.optimizer ? options.optimizer.updateOps(params) : [];
  }
  return { input, output: output0, target, mask, logits: logits0, inputSize, outputSize, phases };
}

function activityRegularization(reg: Regularizer, output: Buf, dOutput: Buf | null, values: number, name: string): Op {
  const l1 = reg.l1 ?? 0,
    l2 = reg.l2 ?? 0;
  const n = { perSample: values };
  // With a gradient, one kernel adds the penalty's gradient and returns its value.
  if (dOutput)
    return kernelOp(
      'regularize',
      { n, w: output, g: dOutput, l1: { overBatch: l1 }, l2: { overBatch: l2 } },
      { lossTerm: true },
    );
  return hostOp(
    `${name}.activity penalty`,
    { reads: [output], writes: [] },
    (batch, k) =>
      ((l1 ? l1 * k.sumAbs(batch * values, output.ptr) : 0) +
        (l2 ? l2 * k.sumSquares(batch * values, output.ptr) : 0)) /
      batch,
    { lossTerm: true },
  );
}

function weightRegularization(p: Param): Op {
  const r = p.regularizer!;
  return kernelOp(
    'regularize',
    { n: p.value.length, w: p.value, g: p.grad, l1: r.l1 ?? 0, l2: r.l2 ?? 0 },
    { lossTerm: true },
  );
}

function weightPenalty(p: Param): Op {
  const l1 = p.regularizer!.l1 ?? 0,
    l2 = p.regularizer!.l2 ?? 0,
    n = p.value.length;
  return hostOp(
    `${p.value.label}.penalty`,
    { reads: [p.value], writes: [] },
    (_batch, k) => (l1 ? l1 * k.sumAbs(n, p.value.ptr) : 0) + (l2 ? l2 * k.sumSquares(n, p.value.ptr) : 0),
    { lossTerm: true },
  );
}
