// L1/L2 penalties (Keras semantics: l1*sum|w| + l2*sum w^2) on weights or on a layer's output.
// Activity penalties are averaged over the batch so they do not grow with batch size.

import { HourglassError } from '../engine/errors.js';

export interface Regularizer {
  l1?: number;
  l2?: number;
}

export function checkRegularizer(r: Regularizer | undefined, where: string): Regularizer | undefined {
  if (!r) return undefined;
  for (const k of ['l1', 'l2'] as const) {
    const v = r[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new HourglassError(`${where}: regularizer ${k} must be a non-negative number, got ${v}`);
  }
  return (r.l1 ?? 0) > 0 || (r.l2 ?? 0) > 0 ? { l1: r.l1 ?? 0, l2: r.l2 ?? 0 } : undefined;
}

export const regularizers = {
  l1: (l1 = 0.01): Regularizer => ({ l1, l2: 0 }),
  l2: (l2 = 0.01): Regularizer => ({ l1: 0, l2 }),
  l1l2: (l1 = 0.01, l2 = 0.01): Regularizer => ({ l1, l2 }),
};
