#!/usr/bin/python3
"""Generates the PyTorch reference values in test/fixtures/ (run: npm run fixtures).

Needs Debian's python3-torch (apt-get install -y python3-torch). Seeded, so reruns give the
same files. Layouts follow Hourglass (channels-last, dense kernels [in, out]); PyTorch's
[out, in] weights are transposed here. Everything is float32, as in Hourglass.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261129)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
os.makedirs(OUT, exist_ok=True)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write(name, data):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump({'generator': 'tools/make_fixtures.py', 'torch': torch.__version__, **data}, f)
        f.write('\n')


ACTS = {
    'linear': lambda z: z,
    'relu': F.relu,
    'leakyRelu': lambda z: F.leaky_relu(z, 0.2),
    'elu': lambda z: F.elu(z, 1.0),
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'softplus': F.softplus,
    'gelu': F.gelu,
}


def dense_cases():
    cases = []
    for name, fn in ACTS.items():
        x = torch.randn(5, 7, requires_grad=True)
        w = (torch.randn(7, 3) * 0.7).requires_grad_()  # Hourglass layout [in, out]
        b = (torch.randn(3) * 0.3).requires_grad_()
        y = fn(x @ w + b)
        g = torch.randn_like(y)
        (y * g).sum().backward()
        cases.append({'activation': name, 'x': flat(x), 'xShape': [5, 7], 'kernel': flat(w), 'bias': flat(b),
                      'upstream': flat(g), 'y': flat(y), 'dx': flat(x.grad), 'dKernel': flat(w.grad), 'dBias': flat(b.grad)})
    return cases


def batchnorm_case():
    x = (torch.randn(6, 4) * 2 + 1).requires_grad_()
    gamma = (torch.rand(4) + 0.5).requires_grad_()
    beta = torch.randn(4).requires_grad_()
    eps, momentum = 1e-3, 0.99
    mean = x.mean(0)
    var = x.var(0, unbiased=False)
    y = (x - mean) / torch.sqrt(var + eps) * gamma + beta
    # Cross-check the hand formula with PyTorch's own layer (training mode).
    ref = F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
    assert torch.allclose(y, ref, atol=1e-5)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    moving_mean0 = torch.randn(4) * 0.1
    moving_var0 = torch.rand(4) + 0.5
    xi = torch.randn(3, 4)
    y_inf = F.batch_norm(xi, moving_mean0, moving_var0, gamma.detach(), beta.detach(), training=False, eps=eps)
    return {'x': flat(x), 'shape': [6, 4], 'gamma': flat(gamma), 'beta': flat(beta), 'epsilon': eps, 'momentum': momentum,
            'upstream': flat(g), 'y': flat(y), 'dx': flat(x.grad), 'dGamma': flat(gamma.grad), 'dBeta': flat(beta.grad),
            'movingMean0': flat(moving_mean0), 'movingVar0': flat(moving_var0),
            # Keras semantics: moving = moving*momentum + batch*(1-momentum), biased batch variance.
            'movingMean1': flat(moving_mean0 * momentum + mean.detach() * (1 - momentum)),
            'movingVar1': flat(moving_var0 * momentum + var.detach() * (1 - momentum)),
            'xInference': flat(xi), 'yInference': flat(y_inf)}


def loss_cases():
    cases = []
    y = torch.randn(4, 6, requires_grad=True)
    t = torch.randn(4, 6)
    for name, fn, extra in [('mse', F.mse_loss, {}), ('mae', F.l1_loss, {}),
                            ('huber', lambda a, b: F.huber_loss(a, b, delta=1.0), {'delta': 1.0}),
                            ('huber', lambda a, b: F.huber_loss(a, b, delta=0.5), {'delta': 0.5})]:
        y.grad = None
        loss = fn(y, t)
        loss.backward()
        cases.append({'loss': name, **extra, 'y': flat(y), 't': flat(t), 'value': float(loss), 'grad': flat(y.grad)})
    p = torch.sigmoid(torch.randn(4, 6) * 2).requires_grad_()
    tb = torch.rand(4, 6)
    loss = F.binary_cross_entropy(p, tb)
    loss.backward()
    cases.append({'loss': 'binaryCrossentropy', 'y': flat(p), 't': flat(tb), 'value': float(loss), 'grad': flat(p.grad)})
    z = (torch.randn(4, 6) * 8).requires_grad_()  # includes saturated logits
    loss = F.binary_cross_entropy_with_logits(z, tb)
    loss.backward()
    cases.append({'loss': 'binaryCrossentropyLogits', 'z': flat(z), 'y': flat(torch.sigmoid(z)), 't': flat(tb),
                  'value': float(loss), 'grad': flat(z.grad)})
    return cases


def optimizer_cases():
    """Trajectories on f(w) = 0.5 * sum(c * (w - target)^2), gradient c * (w - target)."""
    c = torch.rand(12) * 2 + 0.1
    target = torch.randn(12)
    w0 = torch.randn(12)
    configs = [
        ('sgd', {'learningRate': 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
        ('sgd', {'learningRate': 0.05, 'momentum': 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        ('sgd', {'learningRate': 0.05, 'momentum': 0.9, 'nesterov': True}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
        ('adam', {'learningRate': 0.05, 'epsilon': 1e-7}, lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-7)),
        ('adam', {'learningRate': 0.05, 'beta1': 0.5, 'beta2': 0.9, 'epsilon': 1e-7}, lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.5, 0.9), eps=1e-7)),
        ('adamw', {'learningRate': 0.05, 'epsilon': 1e-7, 'weightDecay': 0.1}, lambda p: torch.optim.AdamW(p, lr=0.05, eps=1e-7, weight_decay=0.1)),
        ('rmsprop', {'learningRate': 0.01, 'rho': 0.9, 'epsilon': 1e-7}, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7)),
        ('rmsprop', {'learningRate': 0.01, 'rho': 0.9, 'epsilon': 1e-7, 'momentum': 0.5}, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7, momentum=0.5)),
        ('sgd', {'learningRate': 0.1, 'globalClipNorm': 0.5}, None),
    ]
    cases = []
    for name, options, make in configs:
        w = w0.clone().requires_grad_()
        opt = torch.optim.SGD([w], lr=0.1) if make is None else make([w])
        traj = []
        for _ in range(8):
            opt.zero_grad()
            (0.5 * (c * (w - target) ** 2).sum()).backward()
            if 'globalClipNorm' in options:
                torch.nn.utils.clip_grad_norm_([w], options['globalClipNorm'])
            opt.step()
            traj.append(flat(w))
        cases.append({'optimizer': name, 'options': options, 'trajectory': traj})
    return {'c': flat(c), 'target': flat(target), 'w0': flat(w0), 'cases': cases}


def schedule_cases():
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    cosine = []
    for _ in range(12):
        cosine.append(opt.param_groups[0]['lr'])
        opt.step(); sched.step()
    opt = torch.optim.SGD([w], lr=0.1)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    expo = []
    for _ in range(6):
        expo.append(opt.param_groups[0]['lr'])
        opt.step(); sched.step()
    return {'cosine': {'initial': 0.1, 'steps': 10, 'etaMin': 0.01, 'lrs': cosine}, 'exponential': {'initial': 0.1, 'gamma': 0.9, 'lrs': expo}}


def regularizer_case():
    w = torch.randn(6, 3, requires_grad=True)
    l1, l2 = 0.01, 0.02
    pen = l1 * w.abs().sum() + l2 * (w ** 2).sum()
    pen.backward()
    return {'w': flat(w), 'l1': l1, 'l2': l2, 'value': float(pen), 'grad': flat(w.grad)}


def model_case(loss_name):
    """The seed autoencoder 20-10-20 (relu, sigmoid) trained 5 Adam steps on fixed data."""
    x = torch.rand(16, 20)
    w1 = torch.randn(20, 10) * 0.3
    b1 = torch.randn(10) * 0.1
    w2 = torch.randn(10, 20) * 0.3
    b2 = torch.randn(20) * 0.1
    params = [p.clone().requires_grad_() for p in (w1, b1, w2, b2)]
    opt = torch.optim.Adam(params, lr=0.01, eps=1e-7)
    losses = []
    for _ in range(5):
        opt.zero_grad()
        h = F.relu(x @ params[0] + params[1])
        z = h @ params[2] + params[3]
        loss = F.binary_cross_entropy_with_logits(z, x) if loss_name == 'binaryCrossentropy' else F.mse_loss(torch.sigmoid(z), x)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return {'loss': loss_name, 'x': flat(x), 'initial': [flat(w1), flat(b1), flat(w2), flat(b2)],
            'losses': losses, 'final': [flat(p) for p in params]}


write('dense.json', {'cases': dense_cases()})
write('batch_normalization.json', batchnorm_case())
write('losses.json', {'cases': loss_cases()})
write('optimizers.json', optimizer_cases())
write('schedules.json', schedule_cases())
write('regularizers.json', regularizer_case())
write('seed_model.json', {'cases': [model_case('mse'), model_case('binaryCrossentropy')]})
print('fixtures written to', os.path.normpath(OUT))
