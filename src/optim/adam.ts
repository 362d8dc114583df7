// Adam and AdamW (decoupled weight decay), with PyTorch's update formula.

import { kernelOp, type Op, type Scalar } from '../engine/operation.js';
import type { Buf } from '../engine/memory.js';
import type { Param } from '../layers/layer.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}
export interface AdamWOptions extends AdamOptions {
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly name: string = 'adam';
  readonly slotNames = ['m', 'v'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected decay = 0;
  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }
  protected updateOp(p: Param, [m, v]: Buf[], lr: Scalar): Op {
    // Bias corrections use the step count, advanced when the step begins.
    const bc1 = { read: () => 1 - Math.pow(this.beta1, this.iterations), label: '1 - beta1^t' };
    const bc2 = { read: () => 1 - Math.pow(this.beta2, this.iterations), label: '1 - beta2^t' };
    return kernelOp('adam', {
      n: p.value.length,
      w: p.value,
      g: p.grad,
      m: m!,
      v: v!,
      lr,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.epsilon,
      bc1,
      bc2,
      decoupledDecay: this.decay,
    });
  }
  protected extraConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export class AdamW extends Adam {
  override readonly name = 'adamw';
  constructor(options: AdamWOptions = {}) {
    super(options);
    this.decay = options.weightDecay ?? 0.01;
  }
  protected override extraConfig(): Record<string, unknown> {
    return { ...super.extraConfig(), weightDecay: this.decay };
  }
}
