// Stochastic gradient descent with optional (Nesterov) momentum, PyTorch's formula.

import { flag, kernelOp, type Op, type Scalar } from '../engine/operation.js';
import type { Buf } from '../engine/memory.js';
import type { Param } from '../layers/layer.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';
import { HourglassError } from '../engine/errors.js';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly name = 'sgd';
  readonly slotNames = ['momentum'];
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(options: SGDOptions = {}) {
    super(options, 0.01);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1))
      throw new HourglassError(`sgd: momentum must be in [0, 1), got ${this.momentum}`);
    if (this.nesterov && this.momentum === 0) throw new HourglassError('sgd: nesterov needs a momentum above 0');
  }
  protected updateOp(p: Param, [buf]: Buf[], lr: Scalar): Op {
    return kernelOp('sgd', {
      n: p.value.length,
      w: p.value,
      g: p.grad,
      buf: buf!,
      lr,
      momentum: this.momentum,
      nesterov: flag(this.nesterov),
    });
  }
  protected extraConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
