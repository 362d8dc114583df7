// Adam and AdamW (decoupled weight decay), with PyTorch's update formula.

import type { KernelExports } from '../engine/kernels.js';
import type { Buf } from '../engine/memory.js';
import type { Param } from '../layers/layer.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions { beta1?: number; beta2?: number; epsilon?: number }
export interface AdamWOptions extends AdamOptions { weightDecay?: number }

export class Adam extends Optimizer {
  readonly name: string = 'adam';
  readonly slotNames = ['m', 'v'];
  readonly beta1: number; readonly beta2: number; readonly epsilon: number;
  protected decay = 0;
  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }
  protected update(k: KernelExports, p: Param, [m, v]: Buf[], lr: number, t: number): void {
    k.adam(p.value.length, p.value.ptr, p.grad.ptr, m!.ptr, v!.ptr, lr, this.beta1, this.beta2, this.epsilon,
      1 - Math.pow(this.beta1, t), 1 - Math.pow(this.beta2, t), this.decay);
  }
  protected extraConfig(): Record<string, unknown> { return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon }; }
}

export class AdamW extends Adam {
  override readonly name = 'adamw';
  constructor(options: AdamWOptions = {}) {
    super(options);
    this.decay = options.weightDecay ?? 0.01;
  }
  protected override extraConfig(): Record<string, unknown> { return { ...super.extraConfig(), weightDecay: this.decay }; }
}
