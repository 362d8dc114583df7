// Mean squared error: mean((y - t)^2).
import type { Loss } from './loss.js';

export const mse: Loss = {
  name: 'mse',
  compute: (k, n, y, t, grad, inv) => k.mse(n, y, t, grad, inv),
  config: { name: 'mse' },
};
