#!/usr/bin/python3
"""PyTorch reference values for lstm() and gru() (run: npm run fixtures; writes test/fixtures/recurrent.json).

Hourglass follows Keras: input [batch, steps, features] (batch_first=True here), kernel [f, G*u],
recurrentKernel [u, G*u]. The mapping from PyTorch's parameters, written down once:

- LSTM. PyTorch weight_ih [4u, f] has row blocks i, f, g, o: the same order as Keras's kernel
  columns i, f, c, o. kernel = weight_ih^T, recurrentKernel = weight_hh^T, and Keras's single bias
  is bias_ih + bias_hh (both enter every gate as a sum, so the gradient of each equals dBias).
- GRU. PyTorch rows are r, z, n; Keras columns are z, r, h. Its equations are Keras's with
  reset_after=True (n = tanh(W_in x + b_in + r * (W_hn h + b_hn))), so the weights map by
  reordering the blocks: kernel = weight_ih[z, r, n]^T, recurrentKernel = weight_hh[z, r, n]^T,
  bias [2, 3u] = [bias_ih[z, r, n], bias_hh[z, r, n]].
- GRU with resetAfter false (Keras 1 / TF1, no PyTorch module): written out below in Keras's own
  layout from Keras's equations, z = s(x Wz + h Uz + bz), r = s(x Wr + h Ur + br),
  n = tanh(x Wh + (r h) Uh + bh), h' = z h + (1 - z) n, and differentiated by autograd.
- goBackwards: Keras runs the reversed sequence and returns outputs in processing order, which is
  PyTorch on x flipped along time (the gradient flows back through the flip to x).

The loss is sum(output * upstream) with a random upstream gradient; float64 throughout. Odd sizes
(batch 3, steps 7, features 5, units 6: 6 units exercise the 4-wide kernels and their tail).
"""
import json
import os

import torch

torch.manual_seed(12)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'recurrent.json')
BATCH, STEPS, FEATURES, UNITS = 3, 7, 5, 6


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def gru_blocks(t):
    """PyTorch r, z, n row blocks -> Keras z, r, h."""
    u = UNITS
    return torch.cat([t[u:2 * u], t[0:u], t[2 * u:3 * u]])


def case(kind, return_sequences, go_backwards):
    rnn = (torch.nn.LSTM if kind == 'lstm' else torch.nn.GRU)(FEATURES, UNITS, batch_first=True)
    with torch.no_grad():
        for p in rnn.parameters():
            p.uniform_(-0.6, 0.6)
    x = (torch.randn(BATCH, STEPS, FEATURES)).requires_grad_()
    seq = x.flip(1) if go_backwards else x
    out, state = rnn(seq)
    y = out if return_sequences else out[:, -1, :]
    upstream = torch.randn_like(y)
    (y * upstream).sum().backward()
    w_ih, w_hh, b_ih, b_hh = rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0
    if kind == 'lstm':
        kernel, rec = w_ih.t(), w_hh.t()
        bias, d_bias = b_ih + b_hh, b_ih.grad
        d_kernel, d_rec = w_ih.grad.t(), w_hh.grad.t()
        final = {'finalH': flat(state[0][0]), 'finalC': flat(state[1][0])}
    else:
        kernel, rec = gru_blocks(w_ih).t(), gru_blocks(w_hh).t()
        bias = torch.stack([gru_blocks(b_ih), gru_blocks(b_hh)])
        d_bias = torch.stack([gru_blocks(b_ih.grad), gru_blocks(b_hh.grad)])
        d_kernel, d_rec = gru_blocks(w_ih.grad).t(), gru_blocks(w_hh.grad).t()
        final = {'finalH': flat(state[0])}
    return {
        'layer': kind, 'options': {'units': UNITS, 'returnSequences': return_sequences, 'goBackwards': go_backwards},
        'xShape': [BATCH, STEPS, FEATURES], 'x': flat(x), 'kernel': flat(kernel), 'recurrentKernel': flat(rec),
        'bias': flat(bias), 'y': flat(y), 'upstream': flat(upstream), 'dx': flat(x.grad), 'dKernel': flat(d_kernel),
        'dRecurrentKernel': flat(d_rec), 'dBias': flat(d_bias), **final,
    }


def reset_before_case(return_sequences, go_backwards):
    u = UNITS
    kernel = (torch.rand(FEATURES, 3 * u) * 1.2 - 0.6).requires_grad_()
    rec = (torch.rand(u, 3 * u) * 1.2 - 0.6).requires_grad_()
    bias = (torch.rand(3 * u) * 1.2 - 0.6).requires_grad_()
    x = torch.randn(BATCH, STEPS, FEATURES).requires_grad_()
    seq = x.flip(1) if go_backwards else x
    h = torch.zeros(BATCH, u)
    outs = []
    for t in range(STEPS):
        xp = seq[:, t] @ kernel + bias
        z = torch.sigmoid(xp[:, :u] + h @ rec[:, :u])
        r = torch.sigmoid(xp[:, u:2 * u] + h @ rec[:, u:2 * u])
        n = torch.tanh(xp[:, 2 * u:] + (r * h) @ rec[:, 2 * u:])
        h = z * h + (1 - z) * n
        outs.append(h)
    out = torch.stack(outs, 1)
    y = out if return_sequences else h
    upstream = torch.randn_like(y)
    (y * upstream).sum().backward()
    return {
        'layer': 'gru', 'options': {'units': u, 'returnSequences': return_sequences, 'goBackwards': go_backwards,
                                    'resetAfter': False},
        'xShape': [BATCH, STEPS, FEATURES], 'x': flat(x), 'kernel': flat(kernel), 'recurrentKernel': flat(rec),
        'bias': flat(bias), 'y': flat(y), 'upstream': flat(upstream), 'dx': flat(x.grad), 'dKernel': flat(kernel.grad),
        'dRecurrentKernel': flat(rec.grad), 'dBias': flat(bias.grad), 'finalH': flat(h),
    }


cases = [case(kind, rs, back) for kind in ['lstm', 'gru'] for rs, back in [(False, False), (True, False), (True, True), (False, True)]]
cases += [reset_before_case(rs, back) for rs, back in [(False, False), (True, True)]]
with open(OUT, 'w') as f:
    json.dump({'generator': 'tools/make_recurrent_fixtures.py', 'cases': cases}, f)
print(f'wrote {len(cases)} cases to {OUT}')
