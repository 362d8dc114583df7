// What the training loop, evaluation, summary and saving need of a model, as types only, so that
// those modules do not import model.ts (which imports them): no import cycle in src/model.

import type { Random } from '../engine/random.js';
import type { Layer, Param, SymbolicTensor } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import type { Optimizer, OptimizerConfig } from '../optim/optimizer.js';
import type { Graph } from './graph.js';
import type { Plan } from './plan.js';
import type { TrainingHistory } from './training_history.js';

export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: Loss[];
  random: Random;
  config: { optimizer: OptimizerConfig; loss: object; metrics: object[] };
}

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

export interface PlannedModel {
  readonly name: string;
  readonly graph: Graph;
  readonly input: SymbolicTensor;
  readonly output: SymbolicTensor;
  readonly layers: Layer[];
  readonly compiled: Compiled | null;
  /** The fits so far, saved as history.json (models built outside Model may have none). */
  readonly trainingHistory?: TrainingHistory;
  requireCompiled(what: string): Compiled;
  /** The training plan for batches up to maxBatch (reused while large enough). */
  planForTraining(maxBatch: number, options?: { masked?: boolean }): Plan;
  /** The inference plan for batches up to maxBatch; with evaluation, it has a target and the loss. */
  planForInference(maxBatch: number, options?: { evaluate?: boolean; masked?: boolean }): Plan;
  trainableParams(): Param[];
  countParams(): number;
  getWeights(): Float32Array[];
  setWeights(weights: Float32Array[]): void;
}
