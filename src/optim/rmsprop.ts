// RMSprop (PyTorch's formula; Keras defaults rho 0.9, epsilon 1e-7), with optional momentum.

import { kernelOp, type Op, type Scalar } from '../engine/operation.js';
import type { Buf } from '../engine/memory.js';
import type { Param } from '../layers/layer.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
  momentum?: number;
}

export class RMSprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly slotNames = ['square', 'momentum'];
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001);
    this.rho = options.rho ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-7;
    this.momentum = options.momentum ?? 0;
  }
  protected updateOp(p: Param, [sq, buf]: Buf[], lr: Scalar): Op {
    return kernelOp('rmsprop', {
      n: p.value.length,
      w: p.value,
      g: p.grad,
      sq: sq!,
      buf: buf!,
      lr,
      rho: this.rho,
      eps: this.epsilon,
      momentum: this.momentum,
    });
  }
  protected extraConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon, momentum: this.momentum };
  }
}
