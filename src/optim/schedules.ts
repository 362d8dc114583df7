// Learning-rate schedules: functions of the step count (Keras semantics), serializable as configs.

import { HourglassError } from '../engine/errors.js';

export type ScheduleConfig =
  | {
      kind: 'exponentialDecay';
      initialLearningRate: number;
      decaySteps: number;
      decayRate: number;
      staircase?: boolean;
    }
  | { kind: 'cosineDecay'; initialLearningRate: number; decaySteps: number; alpha?: number }
  | { kind: 'piecewiseConstant'; boundaries: number[]; values: number[] };

export interface Schedule {
  config: ScheduleConfig;
  at(step: number): number;
}

export function schedule(config: ScheduleConfig): Schedule {
  switch (config.kind) {
    case 'exponentialDecay': {
      const { initialLearningRate: lr0, decaySteps, decayRate, staircase = false } = config;
      if (!(decaySteps > 0)) throw new HourglassError('exponentialDecay: decaySteps must be positive');
      return { config, at: (s) => lr0 * Math.pow(decayRate, staircase ? Math.floor(s / decaySteps) : s / decaySteps) };
    }
    case 'cosineDecay': {
      const { initialLearningRate: lr0, decaySteps, alpha = 0 } = config;
      if (!(decaySteps > 0)) throw new HourglassError('cosineDecay: decaySteps must be positive');
      return {
        config,
        at: (s) => {
          const p = Math.min(s, decaySteps) / decaySteps;
          return lr0 * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * p)) + alpha);
        },
      };
    }
    case 'piecewiseConstant': {
      const { boundaries, values } = config;
      if (values.length !== boundaries.length + 1)
        throw new HourglassError('piecewiseConstant: values needs one more entry than boundaries');
      return {
        config,
        at: (s) => {
          let i = 0;
          while (i < boundaries.length && s > boundaries[i]!) i++;
          return values[i]!;
        },
      };
    }
    default:
      throw new HourglassError(`unknown learning-rate schedule ${JSON.stringify(config)}`);
  }
}

export const schedules = {
  exponentialDecay: (o: Omit<Extract<ScheduleConfig, { kind: 'exponentialDecay' }>, 'kind'>) =>
    schedule({ kind: 'exponentialDecay', ...o }),
  cosineDecay: (o: Omit<Extract<ScheduleConfig, { kind: 'cosineDecay' }>, 'kind'>) =>
    schedule({ kind: 'cosineDecay', ...o }),
  piecewiseConstant: (o: Omit<Extract<ScheduleConfig, { kind: 'piecewiseConstant' }>, 'kind'>) =>
    schedule({ kind: 'piecewiseConstant', ...o }),
};
