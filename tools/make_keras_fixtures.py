#!/usr/bin/python3
"""Keras model files for the Keras import tests (run: /usr/bin/python3 tools/make_keras_fixtures.py;
needs numpy and h5py, Debian's python3-h5py; writes test/fixtures/keras/).

Keras and TensorFlow are not installed here, so the files are written the way Keras writes them,
following its saving code:

- .keras (Keras 3, keras/src/saving/saving_lib.py): a zip (stored, not deflated) of metadata.json,
  config.json (serialize_keras_object(model): {"module", "class_name", "config", "registered_name",
  "build_config", "compile_config"}) and model.weights.h5. In the HDF5 file every saveable gets a
  group <path>/vars holding its variables as datasets "0", "1", ... (save_own_variables), the
  root model's is /vars. A Sequential/Functional model's layers are under layers/<name>, where
  <name> is the snake_case of the layer's *class* (naming.to_snake_case), numbered when it repeats
  (dense, dense_1, ...; Sequential leaves its InputLayer out, Functional keeps it). Sub-objects are
  walked by attribute: an RNN's variables are in layers/lstm/cell/vars, TimeDistributed's in
  layers/time_distributed/layer/vars (a SeedGenerator is no saveable: Dropout saves nothing).
  Keras before 3.9 creates <path>/vars for every saveable, empty or not; later versions create a
  group on its first variable only (both are written below).
- legacy .h5 (Keras 2, and Keras 3's model.save('x.h5'); legacy_h5_format.py): the config as the
  JSON attribute model_config (Keras 2 style: class_name/config, batch_input_shape, inbound_nodes
  as [[name, node, tensor, kwargs]]), weights under model_weights/<layer name>/ with the attribute
  weight_names listing the datasets in order (e.g. dense/kernel:0, lstm/lstm_cell/kernel:0).

The expected outputs are computed here with numpy (float64) from the weights stored in the files,
with Keras's semantics written out: Dense kernel [in, out]; Conv2D kernel [kh, kw, in, out],
channels-last, 'same' padding split floor/ceil; Conv2DTranspose kernel [kh, kw, out, in];
BatchNormalization at inference (x - mean) / sqrt(var + eps) * gamma + beta; LSTM gates i, f, c, o
with kernel [in, 4u], recurrent_kernel [u, 4u], one bias; GRU gates z, r, h, reset_after bias
[2, 3u] (row 0 with the input, row 1 with the state), reset_after=False bias [3u]; 'same' pooling
pads max with -inf and averages over the cells inside the input; bilinear upsampling with
half-pixel centres; GELU exact (erf).
"""
import io
import json
import math
import os
import re
import zipfile

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'keras')
rng = np.random.default_rng(7)


# ---------------------------------------------------------------- numpy reference (float64)

def act(x, name, alpha=None):
    if name == 'linear':
        return x
    if name == 'relu':
        return np.maximum(x, 0)
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-x))
    if name == 'tanh':
        return np.tanh(x)
    if name == 'elu':
        a = 1.0 if alpha is None else alpha
        return np.where(x > 0, x, a * (np.exp(x) - 1))
    if name == 'leaky_relu':
        a = 0.2 if alpha is None else alpha
        return np.where(x > 0, x, a * x)
    if name == 'softplus':
        return np.log1p(np.exp(x))
    if name == 'gelu':
        erf = np.vectorize(math.erf)
        return 0.5 * x * (1 + erf(x / math.sqrt(2)))
    raise ValueError(name)


def same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


def conv2d(x, k, b, strides=(1, 1), padding='valid', dilation=(1, 1)):
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    ekh, ekw = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    if padding == 'same':
        oh, pt, pb = same_pads(h, ekh, strides[0])
        ow, pl, pr = same_pads(w, ekw, strides[1])
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    else:
        oh, ow = (h - ekh) // strides[0] + 1, (w - ekw) // strides[1] + 1
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for bb in range(kw):
                    xi = x[:, i * strides[0] + a * dilation[0], j * strides[1] + bb * dilation[1], :]
                    y[:, i, j, :] += xi @ k[a, bb]
    return y + (0 if b is None else b)


def conv2d_transpose(x, k, b, strides, padding):
    """Keras's output size: valid in * s + max(k - s, 0), same in * s; 'same' crops floor(total / 2) first."""
    n, h, w, c = x.shape
    kh, kw, f, _ = k.shape
    sh, sw = strides
    full = np.zeros((n, (h - 1) * sh + kh, (w - 1) * sw + kw, f))
    for i in range(h):
        for j in range(w):
            for a in range(kh):
                for bb in range(kw):
                    full[:, i * sh + a, j * sw + bb, :] += x[:, i, j, :] @ k[a, bb].T
    if padding == 'same':
        oh, ow = h * sh, w * sw
        pt, pl = max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
        full = full[:, pt:pt + oh, pl:pl + ow, :]
    return full + (0 if b is None else b)


def pool2d(x, size, strides, padding, kind):
    n, h, w, c = x.shape
    if padding == 'same':
        oh, pt, pb = same_pads(h, size[0], strides[0])
        ow, pl, pr = same_pads(w, size[1], strides[1])
        fill = -np.inf if kind == 'max' else np.nan
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)
    else:
        oh, ow = (h - size[0]) // strides[0] + 1, (w - size[1]) // strides[1] + 1
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * strides[0]:i * strides[0] + size[0], j * strides[1]:j * strides[1] + size[1], :]
            y[:, i, j, :] = win.max(axis=(1, 2)) if kind == 'max' else np.nanmean(win, axis=(1, 2))
    return y


def conv1d(x, k, b, stride=1, padding='valid', dilation=1):
    n, t, c = x.shape
    kk, _, f = k.shape
    span = dilation * (kk - 1) + 1
    if padding == 'causal':
        x = np.pad(x, ((0, 0), (span - 1, 0), (0, 0)))
        out = (t - 1) // stride + 1
    elif padding == 'same':
        out, pl, pr = same_pads(t, span, stride)
        x = np.pad(x, ((0, 0), (pl, pr), (0, 0)))
    else:
        out = (t - span) // stride + 1
    y = np.zeros((n, out, f))
    for i in range(out):
        for a in range(kk):
            y[:, i, :] += x[:, i * stride + a * dilation, :] @ k[a]
    return y + (0 if b is None else b)


def pool1d(x, size, stride, kind):
    n, t, c = x.shape
    out = (t - size) // stride + 1
    y = np.zeros((n, out, c))
    for i in range(out):
        win = x[:, i * stride:i * stride + size, :]
        y[:, i, :] = win.max(axis=1) if kind == 'max' else win.mean(axis=1)
    return y


def upsample_bilinear(x, fh, fw):
    """tf.image.resize 'bilinear' (half-pixel centres, no antialiasing when enlarging), as Keras's UpSampling2D."""
    def axis_weights(n, f):
        src = (np.arange(n * f) + 0.5) / f - 0.5
        lo = np.floor(src)
        frac = src - lo
        return np.clip(lo, 0, n - 1).astype(int), np.clip(lo + 1, 0, n - 1).astype(int), frac
    n, h, w, c = x.shape
    y0, y1, fy = axis_weights(h, fh)
    x0, x1, fx = axis_weights(w, fw)
    rows = x[:, y0] * (1 - fy)[None, :, None, None] + x[:, y1] * fy[None, :, None, None]
    return rows[:, :, x0] * (1 - fx)[None, None, :, None] + rows[:, :, x1] * fx[None, None, :, None]


def batch_norm(x, gamma, beta, mean, var, eps):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def sig(x):
    return 1 / (1 + np.exp(-x))


def lstm(x, kernel, rec, bias, units, return_sequences=False, go_backwards=False):
    n, t, _ = x.shape
    h = np.zeros((n, units))
    c = np.zeros((n, units))
    outs = []
    steps = range(t - 1, -1, -1) if go_backwards else range(t)
    for s in steps:
        z = x[:, s, :] @ kernel + h @ rec + bias
        i, f, cc, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c = sig(f) * c + sig(i) * np.tanh(cc)
        h = sig(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs, axis=1) if return_sequences else h


def gru(x, kernel, rec, bias, units, return_sequences=False, reset_after=True):
    n, t, _ = x.shape
    h = np.zeros((n, units))
    outs = []
    u = units
    for s in range(t):
        if reset_after:
            mx = x[:, s, :] @ kernel + bias[0]
            mh = h @ rec + bias[1]
            z = sig(mx[:, :u] + mh[:, :u])
            r = sig(mx[:, u:2 * u] + mh[:, u:2 * u])
            hh = np.tanh(mx[:, 2 * u:] + r * mh[:, 2 * u:])
        else:
            mx = x[:, s, :] @ kernel + bias
            z = sig(mx[:, :u] + h @ rec[:, :u])
            r = sig(mx[:, u:2 * u] + h @ rec[:, u:2 * u])
            hh = np.tanh(mx[:, 2 * u:] + (r * h) @ rec[:, 2 * u:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, axis=1) if return_sequences else h


# ---------------------------------------------------------------- Keras's serialized configs

def to_snake_case(name):
    """keras.src.utils.naming.to_snake_case."""
    name = re.sub(r'\W+', '', name)
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    name = re.sub('([a-z])([A-Z])', r'\1_\2', name).lower()
    return name


def policy():
    return {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': None}


def init(cls, config=None):
    return {'module': 'keras.initializers', 'class_name': cls, 'config': config if config is not None else {}, 'registered_name': None}


def base(name):
    return {'name': name, 'trainable': True, 'dtype': policy()}


def kernel_cfg(activation='linear', use_bias=True):
    return {
        'activation': activation,
        'use_bias': use_bias,
        'kernel_initializer': init('GlorotUniform', {'seed': None}),
        'bias_initializer': init('Zeros'),
        'kernel_regularizer': None,
        'bias_regularizer': None,
        'kernel_constraint': None,
        'bias_constraint': None,
    }


def k3_dense(name, units, activation='linear', use_bias=True):
    return 'Dense', {**base(name), 'units': units, **kernel_cfg(activation, use_bias),
                     'lora_rank': None}


def k3_conv2d(name, filters, kernel, strides=(1, 1), padding='valid', activation='linear', dilation=(1, 1)):
    return 'Conv2D', {**base(name), 'filters': filters, 'kernel_size': list(kernel), 'strides': list(strides),
                      'padding': padding, 'data_format': 'channels_last', 'dilation_rate': list(dilation),
                      'groups': 1, **kernel_cfg(activation), 'activity_regularizer': None}


def k3_conv2d_transpose(name, filters, kernel, strides, padding, activation='linear'):
    return 'Conv2DTranspose', {**base(name), 'filters': filters, 'kernel_size': list(kernel),
                               'strides': list(strides), 'padding': padding, 'data_format': 'channels_last',
                               'dilation_rate': [1, 1], **kernel_cfg(activation), 'activity_regularizer': None,
                               'output_padding': None}


def k3_bn(name, epsilon=0.001):
    return 'BatchNormalization', {**base(name), 'axis': -1, 'momentum': 0.99, 'epsilon': epsilon, 'center': True,
                                  'scale': True, 'beta_initializer': init('Zeros'), 'gamma_initializer': init('Ones'),
                                  'moving_mean_initializer': init('Zeros'),
                                  'moving_variance_initializer': init('Ones'), 'beta_regularizer': None,
                                  'gamma_regularizer': None, 'beta_constraint': None, 'gamma_constraint': None,
                                  'synchronized': False}


def k3_rnn_common(units, return_sequences):
    return {'units': units, 'activation': 'tanh', 'recurrent_activation': 'sigmoid', 'use_bias': True,
            'kernel_initializer': init('GlorotUniform', {'seed': None}),
            'recurrent_initializer': init('Orthogonal', {'gain': 1.0, 'seed': None}),
            'bias_initializer': init('Zeros'), 'kernel_regularizer': None, 'recurrent_regularizer': None,
            'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None,
            'recurrent_constraint': None, 'bias_constraint': None, 'dropout': 0.0, 'recurrent_dropout': 0.0,
            'seed': None, 'return_sequences': return_sequences, 'return_state': False, 'go_backwards': False,
            'stateful': False, 'unroll': False, 'zero_output_for_mask': return_sequences}


def layer_entry(cls, config, input_shape, module='keras.layers'):
    e = {'module': module, 'class_name': cls, 'config': config, 'registered_name': None}
    if input_shape is not None:
        e['build_config'] = {'input_shape': [None, *input_shape]}
    return e


def input_entry(name, shape):
    return {'module': 'keras.layers', 'class_name': 'InputLayer',
            'config': {'batch_shape': [None, *shape], 'dtype': 'float32', 'sparse': False, 'ragged': False,
                       'name': name, 'optional': False}, 'registered_name': None}


def keras_tensor(shape, source):
    return {'class_name': '__keras_tensor__',
            'config': {'shape': [None, *shape], 'dtype': 'float32', 'keras_history': [source, 0, 0]}}


def compile_config():
    return {'optimizer': {'module': 'keras.optimizers', 'class_name': 'Adam',
                          'config': {'name': 'adam', 'learning_rate': 0.001, 'weight_decay': None, 'clipnorm': None,
                                     'global_clipnorm': None, 'clipvalue': None, 'use_ema': False,
                                     'ema_momentum': 0.99, 'ema_overwrite_frequency': None,
                                     'loss_scale_factor': None, 'gradient_accumulation_steps': None,
                                     'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-07, 'amsgrad': False},
                          'registered_name': None},
            'loss': 'mse', 'loss_weights': None, 'metrics': None, 'weighted_metrics': None,
            'run_eagerly': False, 'steps_per_execution': 1, 'jit_compile': False}


# ---------------------------------------------------------------- writing the files

def weights_h5(write):
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        write(f)
    return buf.getvalue()


def vars_group(f, path, arrays):
    g = f.create_group(f'{path}/vars' if path else 'vars')
    for i, a in enumerate(arrays):
        g[str(i)] = a
    return g


def write_keras(name, config, h5bytes, version='3.6.0'):
    metadata = {'keras_version': version, 'date_saved': '2026-11-30@12:00:00'}
    # As saving_lib: stored entries, metadata.json first; a fixed time stamp keeps the fixtures byte-stable.
    def entry(n):
        return zipfile.ZipInfo(n, date_time=(2026, 11, 30, 12, 0, 0))
    with zipfile.ZipFile(os.path.join(OUT, name), 'w') as zf:
        with zf.open(entry('metadata.json'), 'w') as f:
            f.write(json.dumps(metadata).encode())
        with zf.open(entry('config.json'), 'w') as f:
            f.write(json.dumps(config).encode())
        zf.writestr(entry('model.weights.h5'), h5bytes)


def write_expected(name, x, y, code_layer, reason, codes):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump({'inputShape': list(x.shape), 'input': x.reshape(-1).tolist(),
                   'outputShape': list(y.shape), 'output': y.reshape(-1).tolist(),
                   'codeLayer': code_layer, 'codeReason': reason,
                   'codeShape': list(codes.shape[1:]), 'codes': codes.reshape(-1).tolist()}, f)
        f.write('\n')


def w(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def f64(a):
    return a.astype(np.float64)


class Sequential3:
    """A Keras 3 Sequential config and its weights file, layer by layer."""

    def __init__(self, name, input_shape):
        self.name = name
        self.input_shape = input_shape
        self.layers = [input_entry('input_layer', input_shape)]
        self.shape = input_shape
        self.used = {}
        self.writers = []

    def group(self, cls):
        n = to_snake_case(cls)
        if n in self.used:
            self.used[n] += 1
            n = f'{n}_{self.used[n]}'
        else:
            self.used[n] = 0
        return f'layers/{n}'

    def add(self, layer, out_shape, arrays=(), sub=None):
        cls, cfg = layer
        path = self.group(cls)
        self.layers.append(layer_entry(cls, cfg, self.shape))
        self.shape = out_shape

        def write(f, empty_groups, path=path, arrays=arrays, sub=sub):
            if empty_groups or (arrays and not sub):
                vars_group(f, path, [] if sub else arrays)
            if sub:
                vars_group(f, f'{path}/{sub}', arrays)
        self.writers.append(write)

    def config(self):
        return {'module': 'keras', 'class_name': 'Sequential',
                'config': {'name': self.name, 'trainable': True, 'dtype': policy(), 'layers': self.layers},
                'registered_name': None, 'build_config': {'input_shape': [None, *self.input_shape]},
                'compile_config': compile_config()}

    def h5(self, optimizer=True, empty_groups=True):
        """empty_groups: Keras before 3.9 makes <path>/vars for every saveable; later versions
        create a group on its first variable only (H5IOStore.make defers it)."""
        def write(f):
            if empty_groups:
                vars_group(f, '', [])
            for wr in self.writers:
                wr(f, empty_groups)
            if optimizer:
                vars_group(f, 'optimizer', [np.array(0, dtype=np.int64), np.array(0.001, dtype=np.float32)])
        return weights_h5(write)


def dense_autoencoder():
    """Keras 3 Sequential, 8 -> 6 (relu) -> BN -> Dropout -> 3 -> LeakyReLU -> 6 (elu) -> 8 (sigmoid)."""
    m = Sequential3('sequential', [8])
    k0, b0 = w(8, 6), w(6)
    m.add(k3_dense('dense', 6, 'relu'), [6], [k0, b0])
    gamma, beta, mean, var = w(6) + 1, w(6), w(6), (np.abs(w(6)) + 0.5).astype(np.float32)
    m.add(k3_bn('batch_normalization'), [6], [gamma, beta, mean, var])
    m.add(('Dropout', {**base('dropout'), 'rate': 0.2, 'seed': None, 'noise_shape': None}), [6])
    k1, b1 = w(6, 3), w(3)
    m.add(k3_dense('dense_1', 3), [3], [k1, b1])
    m.add(('LeakyReLU', {**base('leaky_re_lu'), 'negative_slope': 0.1}), [3])
    k2, b2 = w(3, 6), w(6)
    m.add(k3_dense('dense_2', 6, 'elu'), [6], [k2, b2])
    k3, b3 = w(6, 8), w(8)
    m.add(k3_dense('dense_3', 8, 'sigmoid'), [8], [k3, b3])
    write_keras('dense_ae.keras', m.config(), m.h5())

    x = rng.uniform(0, 1, (5, 8))
    h = act(x @ f64(k0) + b0, 'relu')
    h = batch_norm(h, gamma, beta, mean, var, 0.001)
    code = act(h @ f64(k1) + b1, 'leaky_relu', 0.1)
    y = act(act(code @ f64(k2) + b2, 'elu') @ f64(k3) + b3, 'sigmoid')
    write_expected('dense_ae.json', x, y, 'leaky_re_lu', 'narrowest', code)


def conv_autoencoder():
    """Keras 3 Functional on 8x8x1 images: conv, pooling, BN, a Dense 'latent' code, upsampling, padding, transpose."""
    layers = [dict(input_entry('input_layer', [8, 8, 1]), name='input_layer', inbound_nodes=[])]
    used = {}
    writers = []
    state = {'src': 'input_layer', 'shape': [8, 8, 1]}

    def add(layer, out_shape, arrays=()):
        cls, cfg = layer
        n = to_snake_case(cls)
        if n in used:
            used[n] += 1
            n = f'{n}_{used[n]}'
        else:
            used[n] = 0
        e = layer_entry(cls, cfg, state['shape'])
        e['name'] = cfg['name']
        e['inbound_nodes'] = [{'args': [keras_tensor(state['shape'], state['src'])], 'kwargs': {}}]
        layers.append(e)
        writers.append(lambda f, p=f'layers/{n}', a=arrays: vars_group(f, p, a))
        state['src'], state['shape'] = cfg['name'], out_shape

    c0k, c0b = w(3, 3, 1, 4), w(4)
    add(k3_conv2d('conv2d', 4, (3, 3), padding='same', activation='relu'), [8, 8, 4], [c0k, c0b])
    add(('MaxPooling2D', {**base('max_pooling2d'), 'pool_size': [2, 2], 'padding': 'valid', 'strides': [2, 2],
                          'data_format': 'channels_last'}), [4, 4, 4])
    c1k, c1b = w(2, 2, 4, 3), w(3)
    add(k3_conv2d('conv2d_1', 3, (2, 2), activation='gelu'), [3, 3, 3], [c1k, c1b])
    g, be, mu, var = w(3) + 1, w(3), w(3), (np.abs(w(3)) + 0.5).astype(np.float32)
    add(k3_bn('batch_normalization', 0.01), [3, 3, 3], [g, be, mu, var])
    add(('Flatten', {**base('flatten'), 'data_format': 'channels_last'}), [27])
    lk, lb = w(27, 5, scale=0.3), w(5)
    add(k3_dense('latent', 5, 'tanh'), [5], [lk, lb])
    dk, db = w(5, 18), w(18)
    add(k3_dense('dense', 18, 'relu'), [18], [dk, db])
    add(('Reshape', {**base('reshape'), 'target_shape': [3, 3, 2]}), [3, 3, 2])
    add(('UpSampling2D', {**base('up_sampling2d'), 'size': [2, 2], 'data_format': 'channels_last',
                          'interpolation': 'bilinear'}), [6, 6, 2])
    add(('ZeroPadding2D', {**base('zero_padding2d'), 'padding': [[1, 1], [1, 1]], 'data_format': 'channels_last'}),
        [8, 8, 2])
    tk, tb = w(3, 3, 3, 2), w(3)
    add(k3_conv2d_transpose('conv2d_transpose', 3, (3, 3), (2, 2), 'same', 'relu'), [16, 16, 3], [tk, tb])
    add(('AveragePooling2D', {**base('average_pooling2d'), 'pool_size': [3, 3], 'padding': 'same',
                              'strides': [2, 2], 'data_format': 'channels_last'}), [8, 8, 3])
    add(('Cropping2D', {**base('cropping2d'), 'cropping': [[1, 1], [1, 1]], 'data_format': 'channels_last'}),
        [6, 6, 3])
    add(('MaxPooling2D', {**base('max_pooling2d_1'), 'pool_size': [2, 2], 'padding': 'same', 'strides': [1, 1],
                          'data_format': 'channels_last'}), [6, 6, 3])
    add(('ZeroPadding2D', {**base('zero_padding2d_1'), 'padding': [1, 1], 'data_format': 'channels_last'}),
        [8, 8, 3])
    ok, ob = w(3, 3, 3, 1), w(1)
    add(k3_conv2d('conv2d_2', 1, (3, 3), padding='same', activation='sigmoid'), [8, 8, 1], [ok, ob])
    config = {'module': 'keras', 'class_name': 'Functional',
              'config': {'name': 'conv_autoencoder', 'trainable': True, 'layers': layers,
                         'input_layers': [['input_layer', 0, 0]], 'output_layers': [['conv2d_2', 0, 0]]},
              'registered_name': 'Functional', 'build_config': {'input_shape': None},
              'compile_config': compile_config()}

    def write(f):
        vars_group(f, '', [])
        vars_group(f, 'layers/input_layer', [])
        for wr in writers:
            wr(f)
    write_keras('conv_ae.keras', config, weights_h5(write))

    x = rng.uniform(0, 1, (3, 8, 8, 1))
    h = act(conv2d(x, f64(c0k), c0b, padding='same'), 'relu')
    h = pool2d(h, (2, 2), (2, 2), 'valid', 'max')
    h = act(conv2d(h, f64(c1k), c1b), 'gelu')
    h = batch_norm(h, g, be, mu, var, 0.01)
    code = act(h.reshape(3, -1) @ f64(lk) + lb, 'tanh')
    h = act(code @ f64(dk) + db, 'relu').reshape(3, 3, 3, 2)
    h = upsample_bilinear(h, 2, 2)
    h = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
    h = act(conv2d_transpose(h, f64(tk), tb, (2, 2), 'same'), 'relu')
    h = pool2d(h, (3, 3), (2, 2), 'same', 'avg')
    h = h[:, 1:-1, 1:-1, :]
    h = pool2d(h, (2, 2), (1, 1), 'same', 'max')
    h = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
    y = act(conv2d(h, f64(ok), ob, padding='same'), 'sigmoid')
    write_expected('conv_ae.json', x, y, 'latent', 'name', code)


def sequence_autoencoder():
    """Keras 3 Sequential on [6 steps, 3 features]: Conv1D (causal), pooling, LSTM, RepeatVector, GRU, upsampling, TimeDistributed(Dense)."""
    m = Sequential3('sequential_1', [6, 3])
    ck, cb = w(3, 3, 4), w(4)
    m.add(('Conv1D', {**base('conv1d'), 'filters': 4, 'kernel_size': [3], 'strides': [1], 'padding': 'causal',
                      'data_format': 'channels_last', 'dilation_rate': [1], 'groups': 1,
                      **kernel_cfg('relu'), 'activity_regularizer': None}), [6, 4], [ck, cb])
    m.add(('MaxPooling1D', {**base('max_pooling1d'), 'pool_size': [2], 'padding': 'valid', 'strides': [2],
                            'data_format': 'channels_last'}), [3, 4])
    lk, lr, lb = w(4, 20), w(5, 20), w(20)
    m.add(('LSTM', {**base('lstm'), **k3_rnn_common(5, False), 'unit_forget_bias': True}), [5], [lk, lr, lb],
          sub='cell')
    m.add(('RepeatVector', {**base('repeat_vector'), 'n': 3}), [3, 5])
    gk, gr, gb = w(5, 12), w(4, 12), w(2, 12)
    m.add(('GRU', {**base('gru'), **k3_rnn_common(4, True), 'reset_after': True}), [3, 4], [gk, gr, gb],
          sub='cell')
    m.add(('UpSampling1D', {**base('up_sampling1d'), 'size': 2}), [6, 4])
    tk, tb = w(4, 3), w(3)
    inner = {'module': 'keras.layers', 'class_name': 'Dense', 'config': k3_dense('dense_4', 3)[1],
             'registered_name': None, 'build_config': {'input_shape': [None, 4]}}
    m.add(('TimeDistributed', {**base('time_distributed'), 'layer': inner}), [6, 3], [tk, tb], sub='layer')
    write_keras('sequence_ae.keras', m.config(), m.h5(optimizer=False, empty_groups=False), '3.10.0')

    x = rng.standard_normal((4, 6, 3))
    h = act(conv1d(x, f64(ck), cb, padding='causal'), 'relu')
    h = pool1d(h, 2, 2, 'max')
    code = lstm(h, f64(lk), f64(lr), lb, 5)
    h = np.repeat(code[:, None, :], 3, axis=1)
    h = gru(h, f64(gk), f64(gr), f64(gb), 4, return_sequences=True)
    h = h.repeat(2, axis=1)
    y = h @ f64(tk) + tb
    write_expected('sequence_ae.json', x, y, 'lstm', 'narrowest', code)


def nested_autoencoder():
    """Keras 3 Functional whose layers are two Sequential models, 'encoder' and 'decoder', with a layer name used in both."""
    ek0, eb0, ek1, eb1 = w(10, 6), w(6), w(6, 2), w(2)
    dk0, db0, dk1, db1 = w(2, 6), w(6), w(6, 10), w(10)

    def sub(name, inp, specs):
        layers = [input_entry(f'{name}_input', [inp])]
        shape = [inp]
        for spec, out in specs:
            layers.append(layer_entry(*spec, shape))
            shape = [out]
        return {'name': name, 'trainable': True, 'dtype': policy(), 'layers': layers}

    enc = sub('encoder', 10, [(k3_dense('hidden', 6, 'relu'), 6), (k3_dense('dense', 2), 2)])
    dec = sub('decoder', 2, [(k3_dense('hidden', 6, 'relu'), 6), (k3_dense('dense_1', 10), 10)])
    layers = [
        dict(input_entry('input_layer', [10]), name='input_layer', inbound_nodes=[]),
        {'module': 'keras', 'class_name': 'Sequential', 'config': enc, 'registered_name': None,
         'build_config': {'input_shape': [None, 10]}, 'name': 'encoder',
         'inbound_nodes': [{'args': [keras_tensor([10], 'input_layer')], 'kwargs': {}}]},
        {'module': 'keras', 'class_name': 'Sequential', 'config': dec, 'registered_name': None,
         'build_config': {'input_shape': [None, 2]}, 'name': 'decoder',
         'inbound_nodes': [{'args': [keras_tensor([2], 'encoder')], 'kwargs': {}}]},
    ]
    config = {'module': 'keras', 'class_name': 'Functional',
              'config': {'name': 'autoencoder', 'trainable': True, 'layers': layers,
                         'input_layers': [['input_layer', 0, 0]], 'output_layers': [['decoder', 0, 0]]},
              'registered_name': 'Functional', 'build_config': {'input_shape': None}}

    def write(f):
        vars_group(f, '', [])
        vars_group(f, 'layers/input_layer', [])
        vars_group(f, 'layers/sequential', [])
        vars_group(f, 'layers/sequential/layers/dense', [ek0, eb0])
        vars_group(f, 'layers/sequential/layers/dense_1', [ek1, eb1])
        vars_group(f, 'layers/sequential_1', [])
        vars_group(f, 'layers/sequential_1/layers/dense', [dk0, db0])
        vars_group(f, 'layers/sequential_1/layers/dense_1', [dk1, db1])
    write_keras('nested_ae.keras', config, weights_h5(write))

    x = rng.standard_normal((4, 10))
    code = act(x @ f64(ek0) + eb0, 'relu') @ f64(ek1) + eb1
    y = act(code @ f64(dk0) + db0, 'relu') @ f64(dk1) + db1
    write_expected('nested_ae.json', x, y, 'dense', 'encoder', code)


def unsupported_model():
    """Keras 3 Functional with a MultiHeadAttention layer (self-attention: query and value are the same tensor)."""
    mha = {**base('multi_head_attention'), 'num_heads': 2, 'key_dim': 4, 'value_dim': 4, 'dropout': 0.0,
           'use_bias': True, 'output_shape': None, 'attention_axes': [1],
           'kernel_initializer': init('GlorotUniform', {'seed': None}), 'bias_initializer': init('Zeros'),
           'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
           'kernel_constraint': None, 'bias_constraint': None}
    t = keras_tensor([4, 8], 'input_layer')
    layers = [
        dict(input_entry('input_layer', [4, 8]), name='input_layer', inbound_nodes=[]),
        {**layer_entry('MultiHeadAttention', mha, None), 'name': 'multi_head_attention',
         'build_config': {'shapes_dict': {'query_shape': [None, 4, 8], 'value_shape': [None, 4, 8]}},
         'inbound_nodes': [{'args': [t, t], 'kwargs': {}}]},
    ]
    config = {'module': 'keras', 'class_name': 'Functional',
              'config': {'name': 'attention', 'trainable': True, 'layers': layers,
                         'input_layers': [['input_layer', 0, 0]],
                         'output_layers': [['multi_head_attention', 0, 0]]},
              'registered_name': 'Functional', 'build_config': {'input_shape': None}}

    def write(f):
        vars_group(f, '', [])
        vars_group(f, 'layers/input_layer', [])
        vars_group(f, 'layers/multi_head_attention', [])
        for part in ('query_dense', 'key_dense', 'value_dense'):
            vars_group(f, f'layers/multi_head_attention/{part}', [w(8, 2, 4), w(2, 4)])
        vars_group(f, 'layers/multi_head_attention/output_dense', [w(2, 4, 8), w(8)])
    write_keras('attention.keras', config, weights_h5(write))


# ---------------------------------------------------------------- legacy .h5 (Keras 2)

def k2_init(cls, config=None):
    return {'class_name': cls, 'config': config if config is not None else {}}


def k2_dense(name, units, activation='linear', batch_input_shape=None):
    c = {'name': name, 'trainable': True, 'dtype': 'float32', 'units': units, 'activation': activation,
         'use_bias': True, 'kernel_initializer': k2_init('GlorotUniform', {'seed': None}),
         'bias_initializer': k2_init('Zeros'), 'kernel_regularizer': None, 'bias_regularizer': None,
         'activity_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None}
    if batch_input_shape:
        c = {'name': name, 'trainable': True, 'batch_input_shape': batch_input_shape, **c}
    return {'class_name': 'Dense', 'config': c}


def k2_rnn(cls, name, units, return_sequences, extra):
    return {'class_name': cls, 'config': {
        'name': name, 'trainable': True, 'dtype': 'float32', 'return_sequences': return_sequences,
        'return_state': False, 'go_backwards': False, 'stateful': False, 'unroll': False, 'time_major': False,
        'units': units, 'activation': 'tanh', 'recurrent_activation': 'sigmoid', 'use_bias': True,
        'kernel_initializer': k2_init('GlorotUniform', {'seed': None}),
        'recurrent_initializer': k2_init('Orthogonal', {'gain': 1.0, 'seed': None}),
        'bias_initializer': k2_init('Zeros'), 'kernel_regularizer': None, 'recurrent_regularizer': None,
        'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None,
        'recurrent_constraint': None, 'bias_constraint': None, 'dropout': 0.0, 'recurrent_dropout': 0.0,
        'implementation': 2, **extra}}


def write_legacy(name, model_config, layer_weights, as_bytes):
    """layer_weights: [(layer name, [(weight name, array), ...]), ...] in model.layers order.

    tf.keras stores the JSON attributes as bytes (fixed-length strings), h5py's str gives a
    variable-length string: as_bytes picks which, the two fixtures cover both.
    """
    text = (lambda t: t.encode('utf8')) if as_bytes else (lambda t: t)
    with h5py.File(os.path.join(OUT, name), 'w') as f:
        f.attrs['backend'] = text('tensorflow')
        f.attrs['keras_version'] = text('2.15.0')
        f.attrs['model_config'] = text(json.dumps(model_config))
        f.attrs['training_config'] = json.dumps({'loss': 'mse', 'metrics': None, 'weighted_metrics': None,
                                                 'loss_weights': None, 'optimizer_config': {
                                                     'class_name': 'Adam', 'config': {'learning_rate': 0.001}}})
        g = f.create_group('model_weights')
        g.attrs['layer_names'] = [n.encode('utf8') for n, _ in layer_weights]
        g.attrs['backend'] = b'tensorflow'
        g.attrs['keras_version'] = b'2.15.0'
        for lname, weights in sorted(layer_weights, key=lambda e: e[0]):
            lg = g.create_group(lname)
            # save_attributes_to_hdf5_group: a list of bytes, and for a layer without weights an
            # empty list (which numpy makes an empty float64 array).
            lg.attrs['weight_names'] = [wn.encode('utf8') for wn, _ in weights]
            for wn, a in weights:
                lg.create_dataset(wn, a.shape, dtype=a.dtype)[...] = a


def legacy_dense():
    """Keras 2 Sequential (InputLayer entry, batch_input_shape), BatchNormalization with axis [1], a Dense named 'code'."""
    k0, b0 = w(8, 5), w(5)
    gamma, beta, mean, var = w(5) + 1, w(5), w(5), (np.abs(w(5)) + 0.5).astype(np.float32)
    k1, b1, k2, b2, k3, b3 = w(5, 2), w(2), w(2, 5), w(5), w(5, 8), w(8)
    bn = {'class_name': 'BatchNormalization', 'config': {
        'name': 'batch_normalization', 'trainable': True, 'dtype': 'float32', 'axis': [1], 'momentum': 0.99,
        'epsilon': 0.001, 'center': True, 'scale': True, 'beta_initializer': k2_init('Zeros'),
        'gamma_initializer': k2_init('Ones'), 'moving_mean_initializer': k2_init('Zeros'),
        'moving_variance_initializer': k2_init('Ones'), 'beta_regularizer': None, 'gamma_regularizer': None,
        'beta_constraint': None, 'gamma_constraint': None}}
    config = {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 8], 'dtype': 'float32',
                                                'sparse': False, 'ragged': False, 'name': 'dense_input'}},
        k2_dense('dense', 5, 'relu', [None, 8]), bn, k2_dense('code', 2), k2_dense('dense_1', 5, 'tanh'),
        k2_dense('dense_2', 8)]}}
    write_legacy('legacy_dense.h5', config, [
        ('dense', [('dense/kernel:0', k0), ('dense/bias:0', b0)]),
        ('batch_normalization', [('batch_normalization/gamma:0', gamma), ('batch_normalization/beta:0', beta),
                                 ('batch_normalization/moving_mean:0', mean),
                                 ('batch_normalization/moving_variance:0', var)]),
        ('code', [('code/kernel:0', k1), ('code/bias:0', b1)]),
        ('dense_1', [('dense_1/kernel:0', k2), ('dense_1/bias:0', b2)]),
        ('dense_2', [('dense_2/kernel:0', k3), ('dense_2/bias:0', b3)]),
    ], as_bytes=True)
    x = rng.standard_normal((5, 8))
    h = batch_norm(act(x @ f64(k0) + b0, 'relu'), gamma, beta, mean, var, 0.001)
    code = h @ f64(k1) + b1
    y = act(code @ f64(k2) + b2, 'tanh') @ f64(k3) + b3
    write_expected('legacy_dense.json', x, y, 'code', 'name', code)


def legacy_sequence():
    """Keras 2 Functional: LSTM, RepeatVector, GRU (reset_after=False), TimeDistributed(Dense); Keras 2 inbound nodes."""
    lk, lr, lb = w(2, 16), w(4, 16), w(16)
    gk, gr, gb = w(4, 9), w(3, 9), w(9)
    tk, tb = w(3, 2), w(2)

    def entry(layer, inbound):
        return {**layer, 'name': layer['config']['name'],
                'inbound_nodes': [[[inbound, 0, 0, {}]]] if inbound else []}
    layers = [
        entry({'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 5, 2], 'dtype': 'float32',
                                                      'sparse': False, 'ragged': False, 'name': 'input_1'}}, None),
        entry(k2_rnn('LSTM', 'lstm', 4, False, {'unit_forget_bias': True}), 'input_1'),
        entry({'class_name': 'RepeatVector', 'config': {'name': 'repeat_vector', 'trainable': True,
                                                        'dtype': 'float32', 'n': 5}}, 'lstm'),
        entry(k2_rnn('GRU', 'gru', 3, True, {'reset_after': False}), 'repeat_vector'),
        entry({'class_name': 'TimeDistributed', 'config': {'name': 'time_distributed', 'trainable': True,
                                                           'dtype': 'float32', 'layer': k2_dense('dense', 2)}},
              'gru'),
    ]
    config = {'class_name': 'Functional', 'config': {'name': 'model', 'layers': layers,
                                                     'input_layers': [['input_1', 0, 0]],
                                                     'output_layers': [['time_distributed', 0, 0]]}}
    write_legacy('legacy_sequence.h5', config, [
        ('input_1', []),
        ('lstm', [('lstm/lstm_cell/kernel:0', lk), ('lstm/lstm_cell/recurrent_kernel:0', lr),
                  ('lstm/lstm_cell/bias:0', lb)]),
        ('repeat_vector', []),
        ('gru', [('gru/gru_cell/kernel:0', gk), ('gru/gru_cell/recurrent_kernel:0', gr),
                 ('gru/gru_cell/bias:0', gb)]),
        ('time_distributed', [('time_distributed/kernel:0', tk), ('time_distributed/bias:0', tb)]),
    ], as_bytes=False)
    x = rng.standard_normal((3, 5, 2))
    code = lstm(x, f64(lk), f64(lr), lb, 4)
    h = gru(np.repeat(code[:, None, :], 5, axis=1), f64(gk), f64(gr), f64(gb), 3, True, reset_after=False)
    y = h @ f64(tk) + tb
    write_expected('legacy_sequence.json', x, y, 'lstm', 'narrowest', code)


def legacy_nested():
    """Keras 2 Functional made of an 'encoder' Functional model and a 'decoder' Sequential model.

    A nested model is one entry of model_weights: its group lists the weights of all its layers,
    every trainable weight first and then the others (Keras 2's model.weights order), so the
    BatchNormalization's moving statistics come after the last Dense's bias.
    """
    ek0, eb0 = w(6, 4), w(4)
    gamma, beta, mean, var = w(4) + 1, w(4), w(4), (np.abs(w(4)) + 0.5).astype(np.float32)
    ek1, eb1 = w(4, 2), w(2)
    dk0, db0, dk1, db1 = w(2, 4), w(4), w(4, 6), w(6)

    def entry(layer, inbound, node=0):
        return {**layer, 'name': layer['config']['name'],
                'inbound_nodes': [[[inbound, node, 0, {}]]] if inbound else []}
    bn = {'class_name': 'BatchNormalization', 'config': {
        'name': 'batch_normalization', 'trainable': True, 'dtype': 'float32', 'axis': [1], 'momentum': 0.99,
        'epsilon': 0.001, 'center': True, 'scale': True, 'beta_initializer': k2_init('Zeros'),
        'gamma_initializer': k2_init('Ones'), 'moving_mean_initializer': k2_init('Zeros'),
        'moving_variance_initializer': k2_init('Ones'), 'beta_regularizer': None, 'gamma_regularizer': None,
        'beta_constraint': None, 'gamma_constraint': None}}
    encoder = {'class_name': 'Functional', 'config': {'name': 'encoder', 'layers': [
        entry({'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 6], 'dtype': 'float32',
                                                      'sparse': False, 'ragged': False, 'name': 'input_1'}}, None),
        entry(k2_dense('dense', 4, 'relu'), 'input_1'),
        entry(bn, 'dense'),
        entry(k2_dense('dense_1', 2), 'batch_normalization'),
    ], 'input_layers': [['input_1', 0, 0]], 'output_layers': [['dense_1', 0, 0]]}}
    decoder = {'class_name': 'Sequential', 'config': {'name': 'decoder', 'layers': [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 2], 'dtype': 'float32',
                                                'sparse': False, 'ragged': False, 'name': 'dense_2_input'}},
        k2_dense('dense_2', 4, 'tanh', [None, 2]), k2_dense('dense_3', 6)]}}
    config = {'class_name': 'Functional', 'config': {'name': 'autoencoder', 'layers': [
        entry({'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 6], 'dtype': 'float32',
                                                      'sparse': False, 'ragged': False, 'name': 'input_2'}}, None),
        entry(encoder, 'input_2', 0),
        entry(decoder, 'encoder', 1),
    ], 'input_layers': [['input_2', 0, 0]], 'output_layers': [['decoder', 1, 0]]}}
    write_legacy('legacy_nested.h5', config, [
        ('input_2', []),
        ('encoder', [('dense/kernel:0', ek0), ('dense/bias:0', eb0), ('batch_normalization/gamma:0', gamma),
                     ('batch_normalization/beta:0', beta), ('dense_1/kernel:0', ek1), ('dense_1/bias:0', eb1),
                     ('batch_normalization/moving_mean:0', mean),
                     ('batch_normalization/moving_variance:0', var)]),
        ('decoder', [('dense_2/kernel:0', dk0), ('dense_2/bias:0', db0), ('dense_3/kernel:0', dk1),
                     ('dense_3/bias:0', db1)]),
    ], as_bytes=True)
    x = rng.standard_normal((4, 6))
    h = batch_norm(act(x @ f64(ek0) + eb0, 'relu'), gamma, beta, mean, var, 0.001)
    code = h @ f64(ek1) + eb1
    y = act(code @ f64(dk0) + db0, 'tanh') @ f64(dk1) + db1
    write_expected('legacy_nested.json', x, y, 'dense_1', 'encoder', code)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    dense_autoencoder()
    conv_autoencoder()
    sequence_autoencoder()
    nested_autoencoder()
    unsupported_model()
    legacy_dense()
    legacy_sequence()
    legacy_nested()
    classes = ['Dense', 'Conv2D', 'Conv2DTranspose', 'Conv1DTranspose', 'LeakyReLU', 'MaxPooling2D', 'AveragePooling1D',
               'BatchNormalization', 'LSTM', 'GRU', 'UpSampling2D', 'ZeroPadding2D', 'Cropping1D', 'TimeDistributed',
               'GlobalAveragePooling2D', 'RepeatVector', 'InputLayer', 'ReLU', 'ELU', 'Sequential', 'Functional']
    with open(os.path.join(OUT, 'snake_case.json'), 'w') as f:
        json.dump({c: to_snake_case(c) for c in classes}, f, indent=1)
        f.write('\n')
    print('wrote', sorted(os.listdir(OUT)))
