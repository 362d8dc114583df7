// Keras layer configs -> Hourglass layer configs (class, options), one explicit case per class;
// every option that would change what the layer computes and that Hourglass lacks is refused by
// name, options that only matter to Keras (initializers, names, dtypes) are let through.
// Also: the variables Keras saves for each layer, in its order, as Hourglass parameter names.

import { HourglassError } from '../../engine/errors.js';
import type { LayerConfig } from '../../model/layer_config.js';
import { Options, type Json } from './options.js';

function kernelOptions(o: Options): Json {
  o.noConstraints('kernel_constraint', 'bias_constraint');
  const out: Json = { activation: o.activation(), useBias: o.bool('use_bias', true) };
  const k = o.regularizer('kernel_regularizer');
  const b = o.regularizer('bias_regularizer');
  const a = o.regularizer('activity_regularizer');
  if (k) out['kernelRegularizer'] = k;
  if (b) out['biasRegularizer'] = b;
  if (a) out['activityRegularizer'] = a;
  return out;
}

function conv(o: Options, rank: 1 | 2, transpose: boolean): Json {
  o.channelsLast();
  o.only('groups', 1);
  if (transpose) o.only('output_padding');
  const padding = o.padding(rank === 1 && !transpose ? ['valid', 'same', 'causal'] : ['valid', 'same']);
  const kernelSize = o.ints('kernel_size', rank);
  const strides = o.ints('strides', rank, 1);
  const dilationRate = o.ints('dilation_rate', rank, 1);
  // Keras sizes a 'valid' transposed convolution in * stride + max(kernel - stride, 0): with a
  // kernel narrower than the stride it pads the output, which Hourglass's layer does not.
  if (transpose && padding === 'valid' && kernelSize.some((k, i) => dilationRate[i]! * (k - 1) + 1 < strides[i]!))
    o.fail(
      `a kernel (${kernelSize.join('x')}) narrower than its strides (${strides.join('x')}) with padding 'valid' is not supported`,
    );
  return { ...kernelOptions(o), kernelSize, strides, dilationRate, padding };
}

function pooling(o: Options, rank: 1 | 2): Json {
  o.channelsLast();
  const poolSize = o.ints('pool_size', rank, 2);
  return { poolSize, strides: o.ints('strides', rank, poolSize), padding: o.padding(['valid', 'same']) };
}

function recurrent(o: Options): Json {
  o.noConstraints('kernel_constraint', 'recurrent_constraint', 'bias_constraint');
  o.only('return_state', false);
  o.only('stateful', false);
  o.only('time_major', false);
  // Dropout inside the recurrence only acts in training; Hourglass's recurrent layers have none.
  o.only('dropout', 0);
  o.only('recurrent_dropout', 0);
  const out: Json = {
    ...kernelOptionsRecurrent(o),
    returnSequences: o.bool('return_sequences', false),
    goBackwards: o.bool('go_backwards', false),
    activation: o.activation('activation', 'tanh'),
    recurrentActivation: o.activation('recurrent_activation', 'sigmoid'),
    useBias: o.bool('use_bias', true),
  };
  return out;
}

function kernelOptionsRecurrent(o: Options): Json {
  const out: Json = {};
  for (const [keras, ours] of [
    ['kernel_regularizer', 'kernelRegularizer'],
    ['recurrent_regularizer', 'recurrentRegularizer'],
    ['bias_regularizer', 'biasRegularizer'],
  ] as const) {
    const r = o.regularizer(keras);
    if (r) out[ours] = r;
  }
  o.only('activity_regularizer');
  return out;
}

/** Keras's ZeroPadding2D/Cropping2D amounts: n, [rows, cols] or [[top, bottom], [left, right]]. */
function amounts2d(o: Options, key: string): unknown {
  const v = o.c[key] ?? 1;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2) {
    if (v.every((x) => typeof x === 'number')) return v;
    if (v.every((x) => Array.isArray(x) && x.length === 2)) return v;
  }
  return o.fail(`option ${key}=${JSON.stringify(v)} is not supported`);
}

/** A layer's Hourglass config; `axis` is BatchNormalization's, which must be the input's last. */
export interface MappedLayer extends LayerConfig {
  axis?: number;
}

/** Where Keras's saved configs and TensorFlow.js's differ in what an absent option means. */
export interface KerasDefaults {
  /** Keras 2 and 3 build GRUs with reset_after true; tfjs's GRU is reset_after false (it refuses true). */
  gruResetAfter: boolean;
}

export const KERAS_DEFAULTS: KerasDefaults = { gruResetAfter: true };
export const TFJS_DEFAULTS: KerasDefaults = { gruResetAfter: false };

/** The Hourglass config of one leaf layer (`where`: the file, for messages). */
export function hourglassLayer(
  className: string,
  name: string,
  c: Json,
  where: string,
  defaults: KerasDefaults = KERAS_DEFAULTS,
): MappedLayer {
  const o = new Options(c, `${where}: layer '${name}' (${className})`);
  const make = (hgClass: string, options: Json): MappedLayer => ({ className: hgClass, name, options });
  switch (className) {
    case 'Dense':
      o.only('lora_rank', 0);
      o.only('quantization_config');
      return make('Dense', { units: o.num('units'), ...kernelOptions(o) });
    case 'Activation':
      return make('Activation', { activation: o.activation() });
    case 'ReLU':
      o.only('max_value');
      o.only('threshold', 0);
      return make('Activation', {
        activation: o.num('negative_slope', 0) === 0 ? 'relu' : { name: 'leakyRelu', alpha: o.num('negative_slope') },
      });
    case 'LeakyReLU':
      // Keras 3 names it negative_slope, Keras 2 alpha; both default to 0.3.
      return make('Activation', {
        activation: {
          name: 'leakyRelu',
          alpha: o.has('negative_slope') ? o.num('negative_slope') : o.num('alpha', 0.3),
        },
      });
    case 'ELU':
      return make('Activation', { activation: { name: 'elu', alpha: o.num('alpha', 1) } });
    case 'Dropout':
      o.only('noise_shape');
      return make('Dropout', { rate: o.num('rate') });
    case 'GaussianNoise':
      return make('GaussianNoise', { stddev: o.num('stddev') });
    case 'Conv2D':
      return make('Conv2D', { filters: o.num('filters'), ...conv(o, 2, false) });
    case 'Conv2DTranspose':
      return make('Conv2DTranspose', { filters: o.num('filters'), ...conv(o, 2, true) });
    case 'Conv1D':
      return make('Conv1D', { filters: o.num('filters'), ...conv(o, 1, false) });
    case 'Conv1DTranspose':
      return make('Conv1DTranspose', { filters: o.num('filters'), ...conv(o, 1, true) });
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return make(className, pooling(o, 2));
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      return make(className, pooling(o, 1));
    case 'UpSampling2D': {
      o.channelsLast();
      const interpolation = c['interpolation'] ?? 'nearest';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear')
        o.fail(`option interpolation=${JSON.stringify(interpolation)} is not supported (only "nearest" or "bilinear")`);
      return make('UpSampling2D', { size: o.ints('size', 2, 2), interpolation });
    }
    case 'UpSampling1D':
      return make('UpSampling1D', { size: o.ints('size', 1, 2)[0] });
    case 'BatchNormalization': {
      o.only('renorm', false);
      o.only('synchronized', false);
      o.only('virtual_batch_size');
      o.only('adjustment');
      o.noConstraints('beta_constraint', 'gamma_constraint');
      // Regularizing the scale or the shift changes training; Hourglass's layer has neither.
      o.only('beta_regularizer');
      o.only('gamma_regularizer');
      return {
        ...make('BatchNormalization', {
          momentum: o.num('momentum', 0.99),
          epsilon: o.num('epsilon', 1e-3),
          center: o.bool('center', true),
          scale: o.bool('scale', true),
        }),
        axis: normalizationAxis(o),
      };
    }
    case 'Flatten':
      o.channelsLast();
      return make('Flatten', {});
    case 'Reshape': {
      const t = c['target_shape'];
      if (!Array.isArray(t)) o.fail(`option target_shape should be a list of sizes, got ${JSON.stringify(t)}`);
      return make('Reshape', { targetShape: t });
    }
    case 'ZeroPadding2D':
      o.channelsLast();
      return make('ZeroPadding2D', { amounts: amounts2d(o, 'padding') });
    case 'Cropping2D':
      o.channelsLast();
      return make('Cropping2D', { amounts: amounts2d(o, 'cropping') });
    case 'ZeroPadding1D':
      return make('ZeroPadding1D', { padding: o.ints('padding', 2, 1) });
    case 'Cropping1D':
      return make('Cropping1D', { cropping: o.ints('cropping', 2, 1) });
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling1D':
      o.channelsLast();
      o.only('keepdims', false);
      return make(className, {});
    case 'LSTM':
      return make('LSTM', { units: o.num('units'), ...recurrent(o), unitForgetBias: o.bool('unit_forget_bias', true) });
    case 'GRU':
      return make('GRU', {
        units: o.num('units'),
        ...recurrent(o),
        resetAfter: o.bool('reset_after', defaults.gruResetAfter),
      });
    case 'RepeatVector':
      return make('RepeatVector', { n: o.num('n') });
    case 'TimeDistributed': {
      const inner = c['layer'];
      if (typeof inner !== 'object' || inner === null || typeof (inner as Json)['class_name'] !== 'string')
        o.fail(`option layer should describe the wrapped layer`);
      const spec = inner as Json;
      const innerConfig = (typeof spec['config'] === 'object' && spec['config'] !== null ? spec['config'] : {}) as Json;
      const innerClass = spec['class_name'] as string;
      if (innerClass !== 'Dense') o.fail(`wrapping a ${innerClass} layer is not supported (only Dense)`);
      const innerName = typeof innerConfig['name'] === 'string' ? innerConfig['name'] : `${name}_dense`;
      const {
        className: ic,
        name: iname,
        options,
      } = hourglassLayer(innerClass, innerName, innerConfig, where, defaults);
      return make('TimeDistributed', { layer: { className: ic, name: iname, options } });
    }
    default:
      throw new HourglassError(
        `${where}: layer '${name}' is a ${className}, which Hourglass cannot import (supported: ${SUPPORTED.join(', ')})`,
      );
  }
}

/** BatchNormalization's axis as Keras counts it (batch = 0): -1, or (Keras 2 and tfjs write it after
 * build) [rank]; checked against the input once shapes are known. */
export function kerasNormalizationAxis(c: Json, where: string): number {
  return normalizationAxis(new Options(c, where));
}

function normalizationAxis(o: Options): number {
  const axis = o.c['axis'] ?? -1;
  const a: unknown = Array.isArray(axis) && axis.length === 1 ? (axis as unknown[])[0] : axis;
  if (!Number.isInteger(a)) o.fail(`option axis=${JSON.stringify(axis)} is not supported (only the last axis)`);
  return a as number;
}

export const SUPPORTED = [
  'InputLayer',
  'Dense',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Dropout',
  'GaussianNoise',
  'Conv2D',
  'Conv2DTranspose',
  'Conv1D',
  'Conv1DTranspose',
  'MaxPooling2D',
  'AveragePooling2D',
  'MaxPooling1D',
  'AveragePooling1D',
  'UpSampling2D',
  'UpSampling1D',
  'BatchNormalization',
  'Flatten',
  'Reshape',
  'ZeroPadding2D',
  'Cropping2D',
  'ZeroPadding1D',
  'Cropping1D',
  'GlobalAveragePooling2D',
  'GlobalAveragePooling1D',
  'LSTM',
  'GRU',
  'RepeatVector',
  'TimeDistributed',
  'Sequential',
  'Functional',
];

export interface KerasVariable {
  /** The Hourglass parameter it fills. */
  param: string;
  /** In Keras's own lists (a legacy nested model saves all trainable weights, then the others). */
  trainable: boolean;
}

/** The variables Keras saves for a layer, in its order. */
export function kerasVariables(className: string, c: Json): KerasVariable[] {
  const frozen = c['trainable'] === false;
  const v = (param: string, trainable = true): KerasVariable => ({ param, trainable: trainable && !frozen });
  const bias = c['use_bias'] === false ? [] : [v('bias')];
  switch (className) {
    case 'Dense':
    case 'Conv2D':
    case 'Conv2DTranspose':
    case 'Conv1D':
    case 'Conv1DTranspose':
      return [v('kernel'), ...bias];
    case 'LSTM':
    case 'GRU':
      return [v('kernel'), v('recurrentKernel'), ...bias];
    case 'BatchNormalization':
      return [
        ...(c['scale'] === false ? [] : [v('gamma')]),
        ...(c['center'] === false ? [] : [v('beta')]),
        v('moving_mean', false),
        v('moving_variance', false),
      ];
    case 'TimeDistributed': {
      const inner = c['layer'] as Json;
      const innerConfig = (inner['config'] ?? {}) as Json;
      return kerasVariables(String(inner['class_name']), {
        ...innerConfig,
        trainable: frozen ? false : innerConfig['trainable'],
      });
    }
    default:
      return [];
  }
}
