// Binary cross-entropy for targets in [0, 1]. With a sigmoid output layer the loss is computed
// from the logits (stable for saturated units); otherwise from clamped probabilities, as Keras.
import { LossKernel, type Loss } from './loss.js';

export const binaryCrossentropy: Loss = {
  name: 'binaryCrossentropy',
  kernel: LossKernel.Bce,
  logitsKernel: LossKernel.BceLogits,
  config: { name: 'binaryCrossentropy' },
};
