#!/usr/bin/python3
"""PyTorch reference values for the convolutional layers (run: npm run fixtures).

Hourglass is channels-last ([batch, height, width, channels]); PyTorch is channels-first, so
inputs are permuted here and weights converted to Keras layouts: conv kernels [kh, kw, in, out],
transposed-conv kernels [kh, kw, out, in]. 'same' padding follows TensorFlow (extra padding at the
bottom/right), applied with F.pad so strides and even kernels are covered. Odd sizes throughout.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(4)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'conv.json')


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def same_pad(size, k, s, d):
    out = math.ceil(size / s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def record(name, x_nchw, fn, params, options, **extra):
    """Runs fn on x (and params), backpropagates a random upstream gradient, stores NHWC values."""
    x = x_nchw.clone().requires_grad_()
    y = fn(x, *params)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    case = {'layer': name, 'options': options, 'x': flat(nhwc(x)), 'xShape': list(nhwc(x).shape),
            'y': flat(nhwc(y)), 'yShape': list(nhwc(y).shape), 'upstream': flat(nhwc(g)), 'dx': flat(nhwc(x.grad))}
    case.update(extra)
    return case


cases = []

# conv2d: odd 7x5 inputs, stride 2 with same padding and an even kernel, dilation, valid.
for (kh, kw), stride, dil, padding, cin, cout, act in [((3, 3), 1, 1, 'valid', 2, 3, 'relu'), ((4, 2), 2, 1, 'same', 3, 2, 'linear'),
                                                      ((3, 3), 1, 2, 'same', 2, 2, 'sigmoid'), ((2, 3), (2, 1), 1, 'valid', 1, 4, 'tanh')]:
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    w = (torch.randn(cout, cin, kh, kw) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, 7, 5)
    acts = {'relu': F.relu, 'linear': lambda z: z, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}

    def conv(xx, ww, bb):
        if padding == 'same':
            t, bo = same_pad(7, kh, sh, dil)
            l, r = same_pad(5, kw, sw, dil)
            xx = F.pad(xx, (l, r, t, bo))
        return acts[act](F.conv2d(xx, ww, bb, stride=(sh, sw), dilation=dil))
    c = record('conv2d', x, conv, [w, b], {'filters': cout, 'kernelSize': [kh, kw], 'strides': [sh, sw], 'dilationRate': dil,
                                         'padding': padding, 'activation': act})
    c.update({'kernel': flat(w.permute(2, 3, 1, 0)), 'bias': flat(b), 'dKernel': flat(w.grad.permute(2, 3, 1, 0)), 'dBias': flat(b.grad)})
    cases.append(c)

# conv2dTranspose: the adjoint geometry; 'same' output = input * stride, cropped as TF does.
for (kh, kw), s, padding, cin, cout in [((3, 3), 2, 'same', 2, 3), ((4, 3), 2, 'valid', 3, 2), ((2, 2), 1, 'same', 2, 2)]:
    w = (torch.randn(cin, cout, kh, kw) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, 3, 4)

    def deconv(xx, ww, bb):
        full = F.conv_transpose2d(xx, ww, None, stride=s)
        H, W = xx.shape[2], xx.shape[3]
        if padding == 'valid':
            y = full
        else:
            oh, ow = H * s, W * s
            th = max((H - 1) * s + kh - oh, 0) // 2
            tw = max((W - 1) * s + kw - ow, 0) // 2
            y = torch.zeros(full.shape[0], full.shape[1], oh, ow)
            hh, ww_ = min(oh, full.shape[2] - th), min(ow, full.shape[3] - tw)
            y = y.clone()
            y[:, :, :hh, :ww_] = full[:, :, th:th + hh, tw:tw + ww_]
        return y + bb.view(1, -1, 1, 1)
    c = record('conv2dTranspose', x, deconv, [w, b], {'filters': cout, 'kernelSize': [kh, kw], 'strides': s, 'padding': padding})
    c.update({'kernel': flat(w.permute(2, 3, 1, 0)), 'bias': flat(b), 'dKernel': flat(w.grad.permute(2, 3, 1, 0)), 'dBias': flat(b.grad)})
    cases.append(c)

# pooling on 7x5 with odd sizes; 'same' for max pooling pads with -inf (never wins).
x = torch.randn(2, 3, 7, 5)
cases.append(record('maxPooling2d', x, lambda xx: F.max_pool2d(xx, 2), [], {'poolSize': 2}))
t, bo = same_pad(7, 3, 2, 1); l, r = same_pad(5, 3, 2, 1)
cases.append(record('maxPooling2d', x, lambda xx: F.max_pool2d(F.pad(xx, (l, r, t, bo), value=-1e30), 3, 2), [], {'poolSize': 3, 'strides': 2, 'padding': 'same'}))
cases.append(record('averagePooling2d', x, lambda xx: F.avg_pool2d(xx, 2), [], {'poolSize': 2}))


def avg_same(xx):
    # Keras averages over the cells inside the image only: sum / count of real cells.
    padded = F.pad(xx, (l, r, t, bo))
    ones = F.pad(torch.ones_like(xx), (l, r, t, bo))
    return F.avg_pool2d(padded, 3, 2, divisor_override=1) / F.avg_pool2d(ones, 3, 2, divisor_override=1)
cases.append(record('averagePooling2d', x, avg_same, [], {'poolSize': 3, 'strides': 2, 'padding': 'same'}))
cases.append(record('upSampling2d', x, lambda xx: F.interpolate(xx, scale_factor=(2, 3), mode='nearest'), [], {'size': [2, 3]}))
cases.append(record('upSampling2d', x, lambda xx: F.interpolate(xx, scale_factor=2, mode='bilinear', align_corners=False), [],
                    {'size': 2, 'interpolation': 'bilinear'}))
cases.append(record('zeroPadding2d', x, lambda xx: F.pad(xx, (2, 0, 1, 3)), [], {'padding': [[1, 3], [2, 0]]}))
cases.append(record('cropping2d', x, lambda xx: xx[:, :, 1:5, 0:4], [], {'cropping': [[1, 2], [0, 1]]}))
cases.append(record('globalAveragePooling2d', x, lambda xx: xx.mean(dim=(2, 3)).view(2, 3, 1, 1), [], {}))

# Six channels: the kernels run four channels in SIMD lanes and the other two in scalar code.
x6 = torch.randn(2, 6, 7, 5)
cases.append(record('averagePooling2d', x6, avg_same, [], {'poolSize': 3, 'strides': 2, 'padding': 'same'}))
cases.append(record('upSampling2d', x6, lambda xx: F.interpolate(xx, scale_factor=(2, 3), mode='bilinear', align_corners=False), [],
                    {'size': [2, 3], 'interpolation': 'bilinear'}))
cases.append(record('globalAveragePooling2d', x6, lambda xx: xx.mean(dim=(2, 3)).view(2, 6, 1, 1), [], {}))
cases.append(record('zeroPadding2d', x6, lambda xx: F.pad(xx, (2, 0, 1, 3)), [], {'padding': [[1, 3], [2, 0]]}))

# One filter (the first three: Hourglass runs these with direct kernels instead of im2col + GEMM),
# then more channels in and several filters on the im2col + GEMM path, with strides and even kernels.
for (kh, kw), stride, padding, cin, cout, act in [((3, 3), 1, 'same', 6, 1, 'sigmoid'), ((4, 2), 2, 'same', 5, 1, 'linear'),
                                                  ((3, 3), (2, 1), 'valid', 6, 1, 'tanh'), ((3, 3), 2, 'same', 6, 3, 'relu'),
                                                  ((2, 4), (1, 2), 'valid', 5, 6, 'tanh')]:
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    w = (torch.randn(cout, cin, kh, kw) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, 7, 5)
    acts = {'linear': lambda z: z, 'relu': F.relu, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}

    def conv_same_or_valid(xx, ww, bb, kh=kh, kw=kw, sh=sh, sw=sw, padding=padding, act=act):
        if padding == 'same':
            t, bo = same_pad(7, kh, sh, 1)
            l, r = same_pad(5, kw, sw, 1)
            xx = F.pad(xx, (l, r, t, bo))
        return acts[act](F.conv2d(xx, ww, bb, stride=(sh, sw)))
    c = record('conv2d', x, conv_same_or_valid, [w, b], {'filters': cout, 'kernelSize': [kh, kw], 'strides': [sh, sw],
                                                       'dilationRate': 1, 'padding': padding, 'activation': act})
    c.update({'kernel': flat(w.permute(2, 3, 1, 0)), 'bias': flat(b), 'dKernel': flat(w.grad.permute(2, 3, 1, 0)), 'dBias': flat(b.grad)})
    cases.append(c)

# Stride 1 with filters a multiple of 4 (at most 16): Hourglass's direct small-channel kernels
# (src/kernels/conv_direct.ts); input channels a multiple of 4 take the direct input gradient, 3 the
# GEMM + col2im one. Wide enough (7x11) for the kernels' blocks of four pixels between the borders.
# Then one filter with channels a multiple of 4: convSingle's blocked paths, the flipped-kernel dX.
for (kh, kw), padding, cin, cout, act in [((3, 3), 'same', 4, 8, 'relu'), ((3, 3), 'same', 8, 16, 'sigmoid'),
                                          ((2, 3), 'valid', 3, 4, 'linear'), ((3, 2), 'same', 1, 12, 'tanh'),
                                          ((3, 3), 'same', 8, 1, 'sigmoid'), ((3, 2), 'valid', 4, 1, 'linear')]:
    w = (torch.randn(cout, cin, kh, kw) * 0.5).requires_grad_()
    b = (torch.randn(cout) * 0.2).requires_grad_()
    x = torch.randn(2, cin, 7, 11)
    acts = {'linear': lambda z: z, 'relu': F.relu, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}

    def conv_direct(xx, ww, bb, kh=kh, kw=kw, padding=padding, act=act):
        if padding == 'same':
            t, bo = same_pad(7, kh, 1, 1)
            l, r = same_pad(11, kw, 1, 1)
            xx = F.pad(xx, (l, r, t, bo))
        return acts[act](F.conv2d(xx, ww, bb))
    c = record('conv2d', x, conv_direct, [w, b], {'filters': cout, 'kernelSize': [kh, kw], 'strides': [1, 1],
                                                'dilationRate': 1, 'padding': padding, 'activation': act})
    c.update({'kernel': flat(w.permute(2, 3, 1, 0)), 'bias': flat(b), 'dKernel': flat(w.grad.permute(2, 3, 1, 0)), 'dBias': flat(b.grad)})
    cases.append(c)

with open(OUT, 'w') as f:
    json.dump({'generator': 'tools/make_conv_fixtures.py', 'torch': torch.__version__, 'cases': cases}, f)
    f.write('\n')
print(len(cases), 'conv cases written to', os.path.normpath(OUT))
