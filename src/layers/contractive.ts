// The contractive autoencoder's penalty (Rifai et al. 2011) on a dense layer h = f(xW + b):
// weight * ||dh/dx||_F^2, averaged over the batch. For an element-wise f the Jacobian is
// diag(f'(z)) W^T, so its squared norm is sum_j f'(z_j)^2 * sum_i W_ij^2: no Jacobian is formed.
// Its gradient reaches z (through f'' ) and W directly.

import { HourglassError } from '../engine/errors.js';
import type { Buf } from '../engine/memory.js';
import type { ActivationName } from './activations.js';

/** f'(z) and f''(z) from the output h, for the activations where both follow from h alone. */
const DERIVATIVES: Partial<Record<ActivationName, (h: number) => [number, number]>> = {
  sigmoid: (h) => {
    const d = h * (1 - h);
    return [d, d * (1 - 2 * h)];
  },
  tanh: (h) => {
    const d = 1 - h * h;
    return [d, -2 * h * d];
  },
  linear: () => [1, 0],
  relu: (h) => [h > 0 ? 1 : 0, 0],
};

export function checkContractive(weight: number | undefined, activation: ActivationName, where: string): number {
  if (weight === undefined || weight === 0) return 0;
  if (!(weight > 0 && Number.isFinite(weight)))
    throw new HourglassError(`${where}: contractive weight must be a non-negative number, got ${weight}`);
  if (!DERIVATIVES[activation])
    throw new HourglassError(
      `${where}: the contractive penalty supports ${Object.keys(DERIVATIVES).join(', ')} activations, not ${activation}`,
    );
  return weight;
}

export interface ContractiveParts {
  weight: number;
  activation: ActivationName;
  inF: number;
  outF: number;
  kernel: Buf;
  output: Buf;
}

/** Penalty value, and the two gradient contributions the dense layer's backward adds. */
export function contractivePenalty(p: ContractiveParts) {
  const derivative = DERIVATIVES[p.activation]!;
  const { inF, outF, weight } = p;
  const columnNorms = new Float64Array(outF); // sum_i W_ij^2
  const meanSlopes = new Float64Array(outF); // mean over the batch of f'(z_j)^2
  const measure = (batch: number) => {
    const w = p.kernel.view(),
      h = p.output.view();
    columnNorms.fill(0);
    meanSlopes.fill(0);
    for (let i = 0; i < inF; i++) for (let j = 0; j < outF; j++) columnNorms[j]! += w[i * outF + j]! ** 2;
    for (let b = 0; b < batch; b++)
      for (let j = 0; j < outF; j++) meanSlopes[j]! += derivative(h[b * outF + j]!)[0] ** 2;
    for (let j = 0; j < outF; j++) meanSlopes[j]! /= batch;
  };
  return {
    value(batch: number): number {
      measure(batch);
      let s = 0;
      for (let j = 0; j < outF; j++) s += meanSlopes[j]! * columnNorms[j]!;
      return weight * s;
    },
    /** Adds dPenalty/dz / f'(z) = weight/batch * 2 f''(z) * colNorm_j to dY, before the activation's backward multiplies by f'(z). */
    addToOutputGrad(batch: number, dY: Buf): void {
      const h = p.output.view(),
        g = dY.view();
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < outF; j++)
          g[b * outF + j]! += (weight / batch) * 2 * derivative(h[b * outF + j]!)[1] * columnNorms[j]!;
      }
    },
    /** Adds the direct term 2 * weight * mean f'(z_j)^2 * W_ij to the kernel gradient. */
    addToKernelGrad(grad: Buf): void {
      const w = p.kernel.view(),
        g = grad.view();
      for (let i = 0; i < inF; i++)
        for (let j = 0; j < outF; j++) g[i * outF + j]! += 2 * weight * meanSlopes[j]! * w[i * outF + j]!;
    },
  };
}
