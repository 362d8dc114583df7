// Mean absolute error: mean(|y - t|); subgradient 0 at equality, as PyTorch.
import type { Loss } from './loss.js';

export const mae: Loss = {
  name: 'mae',
  compute: (k, n, y, t, grad, inv) => k.mae(n, y, t, grad, inv),
  config: { name: 'mae' },
};
