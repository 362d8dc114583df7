// Resolving a loss from what users write: a name ('mse', 'bce', ...), a config, or a Loss.
import { HourglassError } from '../engine/errors.js';
import { binaryCrossentropy } from './binary_crossentropy.js';
import { huber } from './huber.js';
import { lossSum, lossSumFromLogits, type Loss } from './loss.js';
import { mae } from './mae.js';
import { mse } from './mse.js';

export type LossName =
  'mse' | 'meanSquaredError' | 'mae' | 'meanAbsoluteError' | 'huber' | 'bce' | 'binaryCrossentropy';
export type LossSpec = LossName | { name: 'huber'; delta?: number } | { name: LossName } | Loss;

export function resolveLoss(spec: LossSpec): Loss {
  if (typeof spec === 'object' && 'kernel' in spec) return spec;
  const name = typeof spec === 'string' ? spec : spec.name;
  switch (name) {
    case 'mse':
    case 'meanSquaredError':
      return mse;
    case 'mae':
    case 'meanAbsoluteError':
      return mae;
    case 'huber':
      return huber(typeof spec === 'object' && 'delta' in spec ? spec.delta : 1);
    case 'bce':
    case 'binaryCrossentropy':
      return binaryCrossentropy;
    default:
      throw new HourglassError(`unknown loss '${String(name)}' (choose from mse, mae, huber, binaryCrossentropy/bce)`);
  }
}

export const losses = { mse, mae, huber, binaryCrossentropy };
export { lossSum, lossSumFromLogits, type Loss };
