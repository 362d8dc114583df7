// Keras layer configs (as a TensorFlow.js layers model's modelTopology holds them: class_name and a
// snake_case config) -> Hourglass layers, one explicit case per class. Options that change what a
// layer computes or how it trains are mapped or refused by name; initializers are dropped (the
// weights come with the model).

import { HourglassError } from '../../engine/errors.js';
import type { ActivationSpec } from '../../layers/activations.js';
import {
  layers,
  type Conv1DOptions,
  type Conv1DTransposeOptions,
  type Conv2DOptions,
  type Conv2DTransposeOptions,
} from '../../layers/index.js';
import type { Layer } from '../../layers/layer.js';
import type { Regularizer } from '../../layers/regularizers.js';

export interface KerasLayerConfig {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown;
}

type Config = Record<string, unknown>;

/** What the conversion of one layer needs: where (for messages) and the config. */
class Reader {
  constructor(
    readonly c: Config,
    readonly where: string,
  ) {}

  has(key: string): boolean {
    return this.c[key] !== undefined && this.c[key] !== null;
  }

  num(key: string, fallback?: number): number {
    const v = this.c[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new HourglassError(`${this.where}: option '${key}' is missing`);
    }
    if (typeof v !== 'number')
      throw new HourglassError(`${this.where}: option '${key}' should be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.c[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean')
      throw new HourglassError(`${this.where}: option '${key}' should be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  str(key: string, fallback: string): string {
    const v = this.c[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string')
      throw new HourglassError(`${this.where}: option '${key}' should be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** An int or a list of ints (Keras writes kernel_size 3 or [3, 3]). */
  ints(key: string, n: number, fallback?: number[]): number[] {
    const v = this.c[key];
    if (v === undefined || v === null) {
      if (fallback) return fallback;
      throw new HourglassError(`${this.where}: option '${key}' is missing`);
    }
    const list = typeof v === 'number' ? new Array<number>(n).fill(v) : v;
    if (!Array.isArray(list) || list.length !== n || !list.every((x) => Number.isInteger(x)))
      throw new HourglassError(
        `${this.where}: option '${key}' should be ${n} integer${n > 1 ? 's' : ''}, got ${JSON.stringify(v)}`,
      );
    return list as number[];
  }

  /** Refuses an option that is set to anything but its neutral value. */
  refuse(key: string, neutral: unknown[] = [null, undefined], why = 'is not supported'): void {
    const v = this.c[key];
    if (!neutral.some((n) => JSON.stringify(n) === JSON.stringify(v)))
      throw new HourglassError(`${this.where}: option '${key}' = ${JSON.stringify(v)} ${why}`);
  }

  channelsLast(): void {
    this.refuse('data_format', [null, undefined, 'channels_last'], 'is not supported (Hourglass is channels-last)');
  }
}

const KERAS_ACTIVATIONS: Record<string, ActivationSpec> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  softplus: 'softplus',
  gelu: 'gelu',
  leaky_relu: 'leakyRelu',
};

function activation(r: Reader, key = 'activation', fallback = 'linear'): ActivationSpec {
  const v = r.c[key];
  const name =
    v === undefined || v === null ? fallback : typeof v === 'string' ? v : (v as { class_name?: string }).class_name;
  const a = typeof name === 'string' ? KERAS_ACTIVATIONS[name] : undefined;
  if (!a)
    throw new HourglassError(
      `${r.where}: ${key} '${String(name)}' is not supported (choose from ${Object.keys(KERAS_ACTIVATIONS).join(', ')})`,
    );
  return a;
}

function regularizer(r: Reader, key: string): Regularizer | undefined {
  const v = r.c[key] as { class_name?: string; config?: Config } | null | undefined;
  if (!v) return undefined;
  const kind = v.class_name,
    c = v.config ?? {};
  if (kind === 'L1L2' || kind === 'L1' || kind === 'L2' || kind === 'l1_l2') {
    const l1 = typeof c['l1'] === 'number' ? c['l1'] : 0,
      l2 = typeof c['l2'] === 'number' ? c['l2'] : 0;
    return l1 > 0 || l2 > 0 ? { l1, l2 } : undefined;
  }
  throw new HourglassError(`${r.where}: ${key} '${String(kind)}' is not supported (L1, L2 or L1L2)`);
}

/** Options every weighted layer shares: activation, bias, regularizers; constraints are refused. */
function kernelOptions(r: Reader) {
  for (const k of ['kernel_constraint', 'bias_constraint', 'recurrent_constraint']) r.refuse(k);
  const reg = (k: string, key: string) => {
    const v = regularizer(r, k);
    return v ? { [key]: v } : {};
  };
  return {
    activation: activation(r),
    useBias: r.bool('use_bias', true),
    ...reg('kernel_regularizer', 'kernelRegularizer'),
    ...reg('bias_regularizer', 'biasRegularizer'),
    ...reg('activity_regularizer', 'activityRegularizer'),
  };
}

function convOptions(r: Reader, rank: 1 | 2, paddings: string[]) {
  r.channelsLast();
  r.refuse('groups', [null, undefined, 1]);
  const padding = r.str('padding', 'valid');
  if (!paddings.includes(padding))
    throw new HourglassError(`${r.where}: padding '${padding}' is not supported (${paddings.join(', ')})`);
  const pick = (v: number[]) => (rank === 1 ? v[0]! : (v as [number, number]));
  return {
    ...kernelOptions(r),
    kernelSize: pick(r.ints('kernel_size', rank)),
    strides: pick(r.ints('strides', rank, new Array<number>(rank).fill(1))),
    dilationRate: pick(r.ints('dilation_rate', rank, new Array<number>(rank).fill(1))),
    padding,
  };
}

function poolOptions(r: Reader, rank: 1 | 2) {
  r.channelsLast();
  const pool = r.ints('pool_size', rank, new Array<number>(rank).fill(2));
  const strides = r.has('strides') ? r.ints('strides', rank) : pool;
  const padding = r.str('padding', 'valid');
  if (padding !== 'valid' && padding !== 'same')
    throw new HourglassError(`${r.where}: padding '${padding}' is not supported`);
  return rank === 1
    ? { poolSize: pool[0]!, strides: strides[0]!, padding }
    : { poolSize: pool as [number, number], strides: strides as [number, number], padding };
}

function recurrentOptions(r: Reader) {
  for (const k of ['return_state', 'stateful']) r.refuse(k, [null, undefined, false]);
  for (const k of ['dropout', 'recurrent_dropout'])
    r.refuse(k, [null, undefined, 0], 'is not supported (recurrent layers have no dropout in Hourglass)');
  const o = kernelOptions(r);
  const rec = regularizer(r, 'recurrent_regularizer');
  return {
    ...o,
    activation: activation(r, 'activation', 'tanh'),
    recurrentActivation: activation(r, 'recurrent_activation', 'sigmoid'),
    returnSequences: r.bool('return_sequences', false),
    goBackwards: r.bool('go_backwards', false),
    ...(rec ? { recurrentRegularizer: rec } : {}),
  };
}

/** Padding/cropping amounts: n, [a, b] or [[top, bottom], [left, right]] as Keras writes them. */
function amounts2d(r: Reader, key: string): number | [number, number] | [[number, number], [number, number]] {
  const v = r.c[key];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2) return v as [number, number] | [[number, number], [number, number]];
  throw new HourglassError(
    `${r.where}: option '${key}' should be n, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(v)}`,
  );
}

function amounts1d(r: Reader, key: string, fallback: number): number | [number, number] {
  const v = r.c[key] ?? fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return v as [number, number];
  throw new HourglassError(`${r.where}: option '${key}' should be n or [start, end], got ${JSON.stringify(v)}`);
}

/** A batch norm's axis as Keras counts it (-1 or the index of the last axis, batch = 0). */
export function batchNormAxis(r: Reader | Config, where = ''): number {
  const c = r instanceof Reader ? r.c : r;
  const w = r instanceof Reader ? r.where : where;
  const v = c['axis'];
  const a: unknown = Array.isArray(v) && v.length === 1 ? (v as unknown[])[0] : (v ?? -1);
  if (!Number.isInteger(a))
    throw new HourglassError(`${w}: option 'axis' = ${JSON.stringify(v)} is not supported (one axis)`);
  return a as number;
}

/** The supported classes (what an unsupported layer's message lists). */
export const SUPPORTED_KERAS_CLASSES = [
  'InputLayer',
  'Dense',
  'Activation',
  'LeakyReLU',
  'ELU',
  'ReLU',
  'Dropout',
  'GaussianNoise',
  'BatchNormalization',
  'Conv2D',
  'Conv2DTranspose',
  'Conv1D',
  'Conv1DTranspose',
  'MaxPooling2D',
  'AveragePooling2D',
  'MaxPooling1D',
  'AveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalAveragePooling1D',
  'UpSampling2D',
  'UpSampling1D',
  'Flatten',
  'Reshape',
  'ZeroPadding2D',
  'Cropping2D',
  'ZeroPadding1D',
  'Cropping1D',
  'LSTM',
  'GRU',
  'RepeatVector',
  'TimeDistributed',
];

/** The Hourglass layer for one Keras layer config (InputLayer is handled by the model builder). */
export function kerasLayer(k: KerasLayerConfig, name: string, where: string): Layer {
  const r = new Reader(k.config ?? {}, where);
  const opts = { name };
  switch (k.class_name) {
    case 'Dense':
      return layers.dense(r.num('units'), { ...kernelOptions(r), ...opts });
    case 'Activation':
      return layers.activation(activation(r), opts);
    case 'LeakyReLU': {
      // tfjs and Keras 2 call the slope alpha (default 0.3), Keras 3 negative_slope.
      const alpha = r.has('negative_slope') ? r.num('negative_slope') : r.num('alpha', 0.3);
      return layers.activation({ name: 'leakyRelu', alpha }, opts);
    }
    case 'ELU':
      return layers.activation({ name: 'elu', alpha: r.num('alpha', 1) }, opts);
    case 'ReLU':
      r.refuse('max_value');
      r.refuse('threshold', [null, undefined, 0]);
      r.refuse('negative_slope', [null, undefined, 0]);
      return layers.activation('relu', opts);
    case 'Dropout':
      r.refuse('noise_shape');
      return layers.dropout(r.num('rate'), opts);
    case 'GaussianNoise':
      return layers.gaussianNoise(r.num('stddev'), opts);
    case 'BatchNormalization': {
      // The axis itself is checked against the input's rank by the model builder (batchNormAxis).
      batchNormAxis(r);
      for (const key of ['beta_constraint', 'gamma_constraint', 'beta_regularizer', 'gamma_regularizer']) r.refuse(key);
      r.refuse('renorm', [null, undefined, false]);
      return layers.batchNormalization({
        momentum: r.num('momentum', 0.99),
        epsilon: r.num('epsilon', 1e-3),
        center: r.bool('center', true),
        scale: r.bool('scale', true),
        ...opts,
      });
    }
    case 'Conv2D':
      return layers.conv2d(r.num('filters'), { ...(convOptions(r, 2, ['valid', 'same']) as Conv2DOptions), ...opts });
    case 'Conv2DTranspose':
      r.refuse('output_padding');
      return layers.conv2dTranspose(r.num('filters'), {
        ...(convOptions(r, 2, ['valid', 'same']) as Conv2DTransposeOptions),
        ...opts,
      });
    case 'Conv1D':
      return layers.conv1d(r.num('filters'), {
        ...(convOptions(r, 1, ['valid', 'same', 'causal']) as Conv1DOptions),
        ...opts,
      });
    case 'Conv1DTranspose':
      r.refuse('output_padding');
      return layers.conv1dTranspose(r.num('filters'), {
        ...(convOptions(r, 1, ['valid', 'same']) as Conv1DTransposeOptions),
        ...opts,
      });
    case 'MaxPooling2D':
      return layers.maxPooling2d({ ...(poolOptions(r, 2) as object), ...opts });
    case 'AveragePooling2D':
      return layers.averagePooling2d({ ...(poolOptions(r, 2) as object), ...opts });
    case 'MaxPooling1D':
      return layers.maxPooling1d({ ...(poolOptions(r, 1) as object), ...opts });
    case 'AveragePooling1D':
      return layers.averagePooling1d({ ...(poolOptions(r, 1) as object), ...opts });
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling1D':
      r.channelsLast();
      r.refuse('keepdims', [null, undefined, false]);
      return k.class_name === 'GlobalAveragePooling2D'
        ? layers.globalAveragePooling2d(opts)
        : layers.globalAveragePooling1d(opts);
    case 'UpSampling2D': {
      r.channelsLast();
      const interpolation = r.str('interpolation', 'nearest');
      if (interpolation !== 'nearest' && interpolation !== 'bilinear')
        throw new HourglassError(`${where}: interpolation '${interpolation}' is not supported (nearest, bilinear)`);
      return layers.upSampling2d({ size: r.ints('size', 2, [2, 2]) as [number, number], interpolation, ...opts });
    }
    case 'UpSampling1D':
      return layers.upSampling1d({ size: r.num('size', 2), ...opts });
    case 'Flatten':
      r.channelsLast();
      return layers.flatten(opts);
    case 'Reshape': {
      const target = r.c['target_shape'];
      if (!Array.isArray(target)) throw new HourglassError(`${where}: option 'target_shape' is missing`);
      return layers.reshape(target as number[], opts);
    }
    case 'ZeroPadding2D':
      r.channelsLast();
      return layers.zeroPadding2d(amounts2d(r, 'padding'), opts);
    case 'Cropping2D':
      r.channelsLast();
      return layers.cropping2d(amounts2d(r, 'cropping'), opts);
    case 'ZeroPadding1D':
      return layers.zeroPadding1d({ padding: amounts1d(r, 'padding', 1), ...opts });
    case 'Cropping1D':
      return layers.cropping1d({ cropping: amounts1d(r, 'cropping', 1), ...opts });
    case 'LSTM':
      return layers.lstm(r.num('units'), {
        ...recurrentOptions(r),
        unitForgetBias: r.bool('unit_forget_bias', true),
        ...opts,
      });
    case 'GRU':
      // tfjs's GRU is reset_after false (it refuses true); Keras 2 and 3 default to true.
      return layers.gru(r.num('units'), { ...recurrentOptions(r), resetAfter: r.bool('reset_after', false), ...opts });
    case 'RepeatVector':
      return layers.repeatVector(r.num('n'), opts);
    case 'TimeDistributed': {
      const inner = r.c['layer'] as KerasLayerConfig | undefined;
      if (!inner || inner.class_name !== 'Dense')
        throw new HourglassError(
          `${where}: TimeDistributed of ${inner?.class_name ?? 'nothing'} is not supported (only Dense)`,
        );
      const innerName = typeof inner.config?.['name'] === 'string' ? inner.config['name'] : `${name}_dense`;
      return layers.timeDistributed(kerasLayer(inner, innerName, `${where} (its Dense)`), opts);
    }
    default:
      throw new HourglassError(
        `${where}: layer class '${k.class_name}' is not supported (supported: ${SUPPORTED_KERAS_CLASSES.join(', ')})`,
      );
  }
}
