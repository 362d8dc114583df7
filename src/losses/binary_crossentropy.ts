// Binary cross-entropy for targets in [0, 1]. With a sigmoid output layer the loss is computed
// from the logits (stable for saturated units); otherwise from clamped probabilities, as Keras.
import type { Loss } from './loss.js';

export const binaryCrossentropy: Loss = {
  name: 'binaryCrossentropy',
  compute: (k, n, y, t, grad, inv) => k.binaryCrossentropy(n, y, t, grad, inv),
  computeFromLogits: (k, n, z, y, t, grad, inv) => k.binaryCrossentropyLogits(n, z, y, t, grad, inv),
  config: { name: 'binaryCrossentropy' },
};
