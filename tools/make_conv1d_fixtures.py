#!/usr/bin/python3
"""PyTorch reference values for the 1-D layers over sequences (run: npm run fixtures).

Hourglass is channels-last ([batch, steps, features]); PyTorch is channels-first ([batch,
features, steps]), so inputs are permuted here. Weight layouts, Keras (Hourglass) vs PyTorch:
  Conv1D           Keras kernel [kernel, in, out]      PyTorch nn.Conv1d weight          [out, in, kernel]
  Conv1DTranspose  Keras kernel [kernel, out, in]      PyTorch nn.ConvTranspose1d weight [in, out, kernel]
so both convert with weight.permute(2, 1, 0) (out/in are the transposed layer's own output/input).
'same' padding follows TensorFlow (the extra cell on the right) and 'causal' pads
dilation * (kernel - 1) on the left, both applied with F.pad so strides and even kernels are
covered. Transposed convolutions compute PyTorch's full output (padding 0) and crop/zero-extend it
to Keras's length: steps * stride ('same', cropped from floor(total / 2)) or
steps * stride + max(span - stride, 0) ('valid'). Odd sizes throughout: 13 steps, 3 features, 5 filters.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(12)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'conv1d.json')
ACTS = {'linear': lambda z: z, 'relu': F.relu, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def nlc(t):
    return t.permute(0, 2, 1)


def keras_kernel(w):
    return w.permute(2, 1, 0)


def same_pad(size, k, s, d):
    out = math.ceil(size / s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def record(name, x_ncl, fn, params, options, **extra):
    """Runs fn on x (and params), backpropagates a random upstream gradient, stores [batch, steps, features] values."""
    x = x_ncl.clone().requires_grad_()
    y = fn(x, *params)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    case = {'layer': name, 'options': options, 'x': flat(nlc(x)), 'xShape': list(nlc(x).shape),
            'y': flat(nlc(y)), 'yShape': list(nlc(y).shape), 'upstream': flat(nlc(g)), 'dx': flat(nlc(x.grad))}
    case.update(extra)
    return case


def with_weights(case, w, b):
    case.update({'kernel': flat(keras_kernel(w)), 'bias': flat(b), 'dKernel': flat(keras_kernel(w.grad)),
                 'dBias': flat(b.grad)})
    return case


cases = []
STEPS = 13

# conv1d (nn.Conv1d semantics): valid, same with even kernels and strides, dilation, causal with
# dilation and with stride; one filter (Hourglass's direct kernels) and one filter dilated (im2col).
for k, s, d, padding, cin, cout, act in [(3, 1, 1, 'valid', 3, 5, 'relu'), (4, 2, 1, 'same', 3, 5, 'linear'),
                                         (3, 1, 2, 'same', 3, 5, 'sigmoid'), (3, 1, 2, 'causal', 3, 5, 'tanh'),
                                         (5, 3, 1, 'causal', 3, 5, 'linear'), (2, 2, 1, 'valid', 3, 5, 'tanh'),
                                         (3, 1, 3, 'valid', 3, 5, 'linear'), (3, 1, 1, 'same', 6, 5, 'tanh'),
                                         (3, 1, 1, 'same', 3, 1, 'sigmoid'), (3, 2, 1, 'causal', 3, 1, 'linear'),
                                         (2, 1, 3, 'valid', 3, 1, 'tanh')]:
    w = (torch.randn(cout, cin, k) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, STEPS)

    def conv(xx, ww, bb, k=k, s=s, d=d, padding=padding, act=act):
        if padding == 'same':
            xx = F.pad(xx, same_pad(STEPS, k, s, d))
        elif padding == 'causal':
            xx = F.pad(xx, (d * (k - 1), 0))
        return ACTS[act](F.conv1d(xx, ww, bb, stride=s, dilation=d))
    cases.append(with_weights(record('conv1d', x, conv, [w, b], {'filters': cout, 'kernelSize': k, 'strides': s,
                                                                 'dilationRate': d, 'padding': padding, 'activation': act}), w, b))

# conv1dTranspose (nn.ConvTranspose1d semantics, Keras's output length): strides 1 and 2, same and
# valid, the autoencoder's k7/s2, a kernel shorter than the stride (zero tail), dilation, one filter.
for steps, k, s, d, padding, cin, cout, act in [(7, 3, 1, 1, 'same', 3, 5, 'linear'), (7, 3, 1, 1, 'valid', 3, 5, 'tanh'),
                                                (7, 7, 2, 1, 'same', 3, 5, 'relu'), (6, 4, 2, 1, 'valid', 3, 5, 'linear'),
                                                (7, 1, 2, 1, 'valid', 3, 5, 'sigmoid'), (7, 2, 3, 1, 'same', 3, 5, 'linear'),
                                                (6, 3, 2, 2, 'same', 3, 5, 'tanh'), (7, 3, 1, 2, 'valid', 3, 5, 'linear'),
                                                (7, 7, 1, 1, 'same', 6, 1, 'linear'), (6, 4, 2, 1, 'same', 3, 1, 'sigmoid')]:
    w = (torch.randn(cin, cout, k) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, steps)

    def deconv(xx, ww, bb, steps=steps, k=k, s=s, d=d, padding=padding, act=act):
        full = F.conv_transpose1d(xx, ww, None, stride=s, dilation=d)
        span = d * (k - 1) + 1
        out = steps * s + (max(span - s, 0) if padding == 'valid' else 0)
        start = max((steps - 1) * s + span - out, 0) // 2
        kept = full[:, :, start:start + out]
        y = F.pad(kept, (0, out - kept.shape[2]))
        return ACTS[act](y + bb.view(1, -1, 1))
    cases.append(with_weights(record('conv1dTranspose', x, deconv, [w, b], {'filters': cout, 'kernelSize': k, 'strides': s,
                                                                           'dilationRate': d, 'padding': padding,
                                                                           'activation': act}), w, b))


def avg_same(xx, p, s):
    # Keras averages over the cells inside the sequence only: sum / count of real cells.
    pad = same_pad(xx.shape[2], p, s, 1)
    total = F.avg_pool1d(F.pad(xx, pad), p, s) * p
    count = F.avg_pool1d(F.pad(torch.ones_like(xx), pad), p, s) * p
    return total / count


# Pooling, upsampling, padding on 13 steps; 6 features: four in SIMD lanes, two in scalar code.
for feats in [3, 6]:
    x = torch.randn(2, feats, STEPS)
    cases.append(record('maxPooling1d', x, lambda xx: F.max_pool1d(xx, 2), [], {'poolSize': 2}))
    cases.append(record('maxPooling1d', x, lambda xx: F.max_pool1d(xx, 3, 1), [], {'poolSize': 3, 'strides': 1}))
    cases.append(record('maxPooling1d', x, lambda xx: F.max_pool1d(F.pad(xx, same_pad(STEPS, 3, 2, 1), value=-1e30), 3, 2), [],
                        {'poolSize': 3, 'strides': 2, 'padding': 'same'}))
    cases.append(record('averagePooling1d', x, lambda xx: F.avg_pool1d(xx, 2), [], {'poolSize': 2}))
    cases.append(record('averagePooling1d', x, lambda xx: avg_same(xx, 3, 2), [], {'poolSize': 3, 'strides': 2, 'padding': 'same'}))
    cases.append(record('averagePooling1d', x, lambda xx: avg_same(xx, 4, 1), [], {'poolSize': 4, 'strides': 1, 'padding': 'same'}))
    cases.append(record('upSampling1d', x, lambda xx: xx.repeat_interleave(3, dim=2), [], {'size': 3}))
    cases.append(record('zeroPadding1d', x, lambda xx: F.pad(xx, (2, 1)), [], {'padding': [2, 1]}))
    cases.append(record('cropping1d', x, lambda xx: xx[:, :, 1:STEPS - 3], [], {'cropping': [1, 3]}))
    pooled = record('globalAveragePooling1d', x, lambda xx: xx.mean(dim=2, keepdim=True), [], {})
    pooled['yShape'] = [2, feats]  # Keras drops the steps axis (keepdims false)
    cases.append(pooled)

# Stride 1 with 4 to 16 filters, or one filter over channels a multiple of 4: Hourglass's direct
# small-channel kernels (src/kernels/conv_direct.ts, conv_single.ts), causal and same padding.
for k, padding, cin, cout, act in [(3, 'causal', 4, 8, 'relu'), (5, 'same', 3, 16, 'tanh'), (3, 'same', 8, 1, 'sigmoid')]:
    w = (torch.randn(cout, cin, k) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, STEPS)

    def conv_direct(xx, ww, bb, k=k, padding=padding, act=act):
        xx = F.pad(xx, same_pad(STEPS, k, 1, 1) if padding == 'same' else (k - 1, 0))
        return ACTS[act](F.conv1d(xx, ww, bb))
    cases.append(with_weights(record('conv1d', x, conv_direct, [w, b], {'filters': cout, 'kernelSize': k, 'strides': 1,
                                                                        'dilationRate': 1, 'padding': padding, 'activation': act}), w, b))

with open(OUT, 'w') as f:
    json.dump({'generator': 'tools/make_conv1d_fixtures.py', 'torch': torch.__version__, 'cases': cases}, f)
    f.write('\n')
print(len(cases), 'conv1d cases written to', os.path.normpath(OUT))
