// Mean squared error: mean((y - t)^2).
import { LossKernel, type Loss } from './loss.js';

export const mse: Loss = { name: 'mse', kernel: LossKernel.Mse, config: { name: 'mse' } };
