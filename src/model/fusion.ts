// The planner's one rule for a layer's activation: fused into the producing kernel's epilogue,
// into the loss (sigmoid + cross-entropy on logits), or run apart, and which buffer backward
// needs (the output, or the pre-activation where the derivative needs it: GELU).

import { kernelOp, type Op } from '../engine/operation.js';
import type { Buf } from '../engine/memory.js';
import { LINEAR, needsPreactivation, type ResolvedActivation } from '../layers/activations.js';

export interface FusedActivation {
  /** Where the producing kernel writes: the output itself, the loss's logits, or a pre-activation buffer. */
  z: Buf;
  /** The activation the producing kernel applies as its epilogue (linear when it applies none). */
  epilogue: ResolvedActivation;
  /** Forward operations after the producing kernel (the activation when it runs apart). */
  forward: Op[];
  /** First backward operations: turn the output gradient into the gradient at z, in place. */
  backward: Op[];
  /** The gradient at z (the output gradient's buffer), or null without gradients. */
  dz: Buf | null;
}

export interface ActivationSite {
  mode: 'train' | 'infer';
  /** Values per sample of the layer's output. */
  values: number;
  maxBatch: number;
  output: Buf;
  dOutput: Buf | null;
  /** Set when the planner fused this layer's sigmoid into the loss (training only). */
  logits: Buf | null;
  alloc(length: number, label: string): Buf;
  name: string;
}

/**
 * `producerHasEpilogue`: whether the kernel writing z can apply the activation itself (GEMM and
 * the bias pass can); otherwise the activation runs in place on the output after it.
 */
export function planActivation(
  site: ActivationSite,
  act: ResolvedActivation,
  producerHasEpilogue: boolean,
): FusedActivation {
  const { output: y, dOutput: dy } = site;
  const n = { perSample: site.values };
  if (site.mode === 'train' && site.logits) {
    // The loss kernel writes sigmoid(z) into the output and the gradient at z into dy.
    return { z: site.logits, epilogue: LINEAR, forward: [], backward: [], dz: dy };
  }
  if (act.name === 'linear') return { z: y, epilogue: LINEAR, forward: [], backward: [], dz: dy };
  const training = site.mode === 'train' && dy !== null;
  const keepPre = training && needsPreactivation(act);
  const z = keepPre ? site.alloc(site.maxBatch * site.values, `${site.name}.preactivation`) : y;
  const fused = producerHasEpilogue && !keepPre;
  const forward: Op[] = fused ? [] : [kernelOp('activationForward', { n, x: z, y, act: act.code, alpha: act.alpha })];
  const backward: Op[] = training
    ? [
        kernelOp('activationBackward', {
          n,
          y: keepPre ? z : y,
          dy,
          dz: dy,
          act: act.code,
          alpha: act.alpha,
          accumulate: 0,
        }),
      ]
    : [];
  return { z, epilogue: fused ? act : LINEAR, forward, backward, dz: dy };
}
