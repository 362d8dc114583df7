// Mean absolute error: mean(|y - t|); subgradient 0 at equality, as PyTorch.
import { LossKernel, type Loss } from './loss.js';

export const mae: Loss = { name: 'mae', kernel: LossKernel.Mae, config: { name: 'mae' } };
