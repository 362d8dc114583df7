// The optimizer contract: per-parameter slot buffers in the arena, gradient clipping, a
// learning rate (constant or scheduled), and one fused update kernel per parameter tensor.

import { HourglassError } from '../engine/errors.js';
import { wasmExecutor } from '../engine/executor.js';
import type { KernelExports } from '../engine/kernels.js';
import { arena, type Buf } from '../engine/memory.js';
import { hostOp, type Op, type Scalar } from '../engine/operation.js';
import type { Param } from '../layers/layer.js';
import { schedule, type Schedule, type ScheduleConfig } from './schedules.js';

export interface OptimizerOptions {
  learningRate?: number | Schedule;
  /** Rescale each gradient tensor to at most this L2 norm (Keras clipnorm). */
  clipNorm?: number;
  /** Rescale all gradients together to at most this global L2 norm (torch clip_grad_norm_). */
  globalClipNorm?: number;
  /** Clamp every gradient value to [-clipValue, clipValue]. */
  clipValue?: number;
}

export interface OptimizerConfig {
  name: string;
  learningRate?: number | ScheduleConfig;
  clipNorm?: number;
  globalClipNorm?: number;
  clipValue?: number;
  [key: string]: unknown;
}

export abstract class Optimizer {
  abstract readonly name: string;
  /** Names of the per-parameter state buffers (saved with the model). */
  abstract readonly slotNames: string[];
  iterations = 0;
  readonly slots = new Map<Param, Buf[]>();
  private lr: number | Schedule;
  /** The learning rate of the update being applied (set when the step starts). */
  private stepRate = 0;

  constructor(
    readonly options: OptimizerOptions,
    defaultLearningRate: number,
  ) {
    this.lr = options.learningRate ?? defaultLearningRate;
    if (typeof this.lr === 'number' && !(this.lr > 0 && Number.isFinite(this.lr)))
      throw new HourglassError(`optimizer: learningRate must be a positive number, got ${this.lr}`);
    for (const key of ['clipNorm', 'globalClipNorm', 'clipValue'] as const) {
      const v = options[key];
      if (v !== undefined && !(v > 0)) throw new HourglassError(`optimizer: ${key} must be positive, got ${v}`);
    }
  }

  learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr.at(this.iterations);
  }

  /** A new learning rate (or schedule) from the next step on; the moments and the step count stay. */
  setLearningRate(lr: number | Schedule): void {
    if (typeof lr === 'number' && !(lr > 0 && Number.isFinite(lr)))
      throw new HourglassError(`optimizer: learningRate must be a positive number, got ${lr}`);
    this.lr = lr;
  }

  /** Forgets the moments and the step count: the next step starts as a new optimizer would. */
  reset(): void {
    this.iterations = 0;
    for (const slots of this.slots.values()) for (const b of slots) b.view().fill(0);
  }

  /** Allocates slots for parameters not seen before (compile time). */
  attach(params: Param[]): void {
    for (const p of params) {
      if (!this.slots.has(p))
        this.slots.set(
          p,
          this.slotNames.map((n) => arena.alloc(p.value.length, `${p.value.label}.${this.name} ${n}`)),
        );
    }
  }

  /** Frees the slots of every parameter. */
  dispose(): void {
    for (const slots of this.slots.values()) for (const b of slots) arena.release(b);
    this.slots.clear();
  }

  /**
   * The operations of one optimizer step, for a plan: clipping and the step count (a host step),
   * then one fused update kernel per parameter tensor.
   */
  updateOps(params: Param[]): Op[] {
    this.attach(params);
    const grads = params.map((p) => p.grad);
    const begin = hostOp(
      `${this.name}: clip gradients, advance the step`,
      { reads: grads, writes: grads },
      (_batch, k) => {
        this.clip(k, params);
        this.stepRate = this.learningRate();
        this.iterations++;
      },
    );
    const lr: Scalar = { read: () => this.stepRate, label: 'learning rate' };
    return [begin, ...params.map((p) => this.updateOp(p, this.slots.get(p)!, lr))];
  }

  /** Clips gradients and updates every parameter once, outside a plan. */
  step(params: Param[]): void {
    const ex = wasmExecutor();
    for (const op of this.updateOps(params)) ex.compile(op)(1);
  }

  /** The update of one parameter tensor; `lr` is read when the step runs, like the step count. */
  protected abstract updateOp(p: Param, slots: Buf[], lr: Scalar): Op;
  protected abstract extraConfig(): Record<string, unknown>;

  private clip(k: KernelExports, params: Param[]): void {
    const { clipNorm, globalClipNorm, clipValue } = this.options;
    if (clipNorm) {
      for (const p of params) {
        const norm = Math.sqrt(k.sumSquares(p.grad.length, p.grad.ptr));
        if (norm > clipNorm) k.scale(p.grad.length, p.grad.ptr, clipNorm / norm);
      }
    }
    if (globalClipNorm) {
      let sq = 0;
      for (const p of params) sq += k.sumSquares(p.grad.length, p.grad.ptr);
      const norm = Math.sqrt(sq);
      if (norm > globalClipNorm) for (const p of params) k.scale(p.grad.length, p.grad.ptr, globalClipNorm / norm);
    }
    if (clipValue) for (const p of params) k.clip(p.grad.length, p.grad.ptr, -clipValue, clipValue);
  }

  getConfig(): OptimizerConfig {
    const { clipNorm, globalClipNorm, clipValue } = this.options;
    return {
      name: this.name,
      learningRate: typeof this.lr === 'number' ? this.lr : this.lr.config,
      ...(clipNorm ? { clipNorm } : {}),
      ...(globalClipNorm ? { globalClipNorm } : {}),
      ...(clipValue ? { clipValue } : {}),
      ...this.extraConfig(),
    };
  }
}

/** Options shared by every optimizer, read back from a saved config. */
export function baseOptionsFromConfig(c: OptimizerConfig): OptimizerOptions {
  // A config written by hand may leave the learning rate out: the optimizer's default then.
  const lr =
    c.learningRate === undefined
      ? {}
      : { learningRate: typeof c.learningRate === 'number' ? c.learningRate : schedule(c.learningRate) };
  return {
    ...lr,
    ...(c.clipNorm ? { clipNorm: c.clipNorm } : {}),
    ...(c.globalClipNorm ? { globalClipNorm: c.globalClipNorm } : {}),
    ...(c.clipValue ? { clipValue: c.clipValue } : {}),
  };
}
