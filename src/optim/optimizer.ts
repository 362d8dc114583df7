// The optimizer contract: per-parameter slot buffers in the arena, gradient clipping, a
// learning rate (constant or scheduled), and one fused update kernel per parameter tensor.

import { HourglassError } from '../engine/errors.js';
import { getEngine, type KernelExports } from '../engine/kernels.js';
import { arena, type Buf } from '../engine/memory.js';
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
  learningRate: number | ScheduleConfig;
  clipNorm?: number; globalClipNorm?: number; clipValue?: number;
  [key: string]: unknown;
}

export abstract class Optimizer {
  abstract readonly name: string;
  /** Names of the per-parameter state buffers (saved with the model). */
  abstract readonly slotNames: string[];
  iterations = 0;
  readonly slots = new Map<Param, Buf[]>();
  private readonly lr: number | Schedule;

  constructor(readonly options: OptimizerOptions, defaultLearningRate: number) {
    this.lr = options.learningRate ?? defaultLearningRate;
    if (typeof this.lr === 'number' && !(this.lr > 0 && Number.isFinite(this.lr))) throw new HourglassError(`optimizer: learningRate must be a positive number, got ${this.lr}`);
    for (const key of ['clipNorm', 'globalClipNorm', 'clipValue'] as const) {
      const v = options[key];
      if (v !== undefined && !(v > 0)) throw new HourglassError(`optimizer: ${key} must be positive, got ${v}`);
    }
  }

  learningRate(): number { return typeof this.lr === 'number' ? this.lr : this.lr.at(this.iterations); }

  /** Allocates slots for parameters not seen before (compile time). */
  attach(params: Param[]): void {
    for (const p of params) {
      if (!this.slots.has(p)) this.slots.set(p, this.slotNames.map(() => arena.alloc(p.value.length)));
    }
  }

  /** Clips gradients and updates every parameter once. */
  step(params: Param[]): void {
    const k = getEngine().kernels;
    this.clip(k, params);
    const lr = this.learningRate();
    this.iterations++;
    for (const p of params) this.update(k, p, this.slots.get(p)!, lr, this.iterations);
  }

  protected abstract update(k: KernelExports, p: Param, slots: Buf[], lr: number, t: number): void;
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
      ...(clipNorm ? { clipNorm } : {}), ...(globalClipNorm ? { globalClipNorm } : {}), ...(clipValue ? { clipValue } : {}),
      ...this.extraConfig(),
    };
  }
}

/** Options shared by every optimizer, read back from a saved config. */
export function baseOptionsFromConfig(c: OptimizerConfig): OptimizerOptions {
  return {
    learningRate: typeof c.learningRate === 'number' ? c.learningRate : schedule(c.learningRate),
    ...(c.clipNorm ? { clipNorm: c.clipNorm } : {}),
    ...(c.globalClipNorm ? { globalClipNorm: c.globalClipNorm } : {}),
    ...(c.clipValue ? { clipValue: c.clipValue } : {}),
  };
}
