// Huber loss: quadratic within delta of the target, linear beyond (Keras/PyTorch default delta 1).
import { HourglassError } from '../engine/errors.js';
import { LossKernel, type Loss } from './loss.js';

export function huber(delta = 1): Loss {
  if (!(delta > 0)) throw new HourglassError(`huber: delta must be positive, got ${delta}`);
  return { name: 'huber', kernel: LossKernel.Huber, delta, config: { name: 'huber', delta } };
}
