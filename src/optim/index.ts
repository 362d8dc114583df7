// Resolving an optimizer from a name ('adam'), a saved config, or an instance.

import { HourglassError } from '../engine/errors.js';
import { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam.js';
import { baseOptionsFromConfig, Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

export type OptimizerName = 'adam' | 'adamw' | 'sgd' | 'rmsprop';

export function resolveOptimizer(spec: OptimizerName | Optimizer | OptimizerConfig): Optimizer {
  if (spec instanceof Optimizer) return spec;
  const config: OptimizerConfig = typeof spec === 'string' ? { name: spec, learningRate: NaN } : spec;
  const base = Number.isNaN(config.learningRate) ? {} : baseOptionsFromConfig(config);
  const num = (key: string): number | undefined => (typeof config[key] === 'number' ? config[key] : undefined);
  switch (config.name) {
    case 'adam':
      return new Adam({ ...base, beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') });
    case 'adamw':
      return new AdamW({
        ...base,
        beta1: num('beta1'),
        beta2: num('beta2'),
        epsilon: num('epsilon'),
        weightDecay: num('weightDecay'),
      });
    case 'sgd':
      return new SGD({ ...base, momentum: num('momentum'), nesterov: config['nesterov'] === true });
    case 'rmsprop':
      return new RMSprop({ ...base, rho: num('rho'), epsilon: num('epsilon'), momentum: num('momentum') });
    default:
      throw new HourglassError(`unknown optimizer '${config.name}' (choose from adam, adamw, sgd, rmsprop)`);
  }
}

export const optimizers = {
  adam: (o: AdamOptions = {}) => new Adam(o),
  adamw: (o: AdamWOptions = {}) => new AdamW(o),
  sgd: (o: SGDOptions = {}) => new SGD(o),
  rmsprop: (o: RMSpropOptions = {}) => new RMSprop(o),
};

export { Adam, AdamW, Optimizer, RMSprop, SGD };
export type { AdamOptions, AdamWOptions, OptimizerConfig, RMSpropOptions, SGDOptions };
