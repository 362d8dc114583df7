#!/usr/bin/python3
"""PyTorch in the benchmark (Debian's python3-torch): the same layers, initial weights, Adam
and binary cross-entropy (fused with the sigmoid, as PyTorch users write it), same batches;
the sequence workloads (conv1d, lstm) with MSE on sine windows. Args: workload-json threads weights-file mnist-dir [system-name]. Prints one JSON line like the
Node systems, with the OpenBLAS kernel set (openblas_get_corename) and oneDNN ISA that ran: the
runner chooses them through the environment (OPENBLAS_CORETYPE, ONEDNN_MAX_CPU_ISA) only."""
import ctypes
import json
import math
import os
import resource
import sys
import time

import torch

w = json.loads(sys.argv[1])
threads = int(sys.argv[2])
torch.set_num_threads(threads)
n_in = w.get('inputSize', 784)
sizes = [n_in] + w['encoder'] + list(reversed(w['encoder'][:-1])) + [n_in]
raw = torch.frombuffer(bytearray(open(sys.argv[3], 'rb').read()), dtype=torch.float32)
layers, o = [], 0


class ConvAE(torch.nn.Module):
    """Hourglass's conv preset: conv(same)+relu+maxpool(2, TF 'same') blocks, conv+relu+upsample
    back, crop to 28x28, a sigmoid-free output conv (BCE-with-logits). Weights in Keras layout."""

    def __init__(self, filters, raw):
        super().__init__()
        chans, c = [], 1
        for f in filters + list(reversed(filters)) + [1]:
            chans.append((c, f)); c = f
        self.convs = torch.nn.ModuleList()
        o = 0
        for ci, co in chans:
            conv = torch.nn.Conv2d(ci, co, 3, padding=1)
            n = 9 * ci * co
            with torch.no_grad():
                conv.weight.copy_(raw[o:o + n].reshape(3, 3, ci, co).permute(3, 2, 0, 1)); o += n
                conv.bias.copy_(raw[o:o + co]); o += co
            self.convs.append(conv)
        self.n = len(filters)

    def forward(self, x):
        for i in range(self.n):
            x = torch.relu(self.convs[i](x))
            h = x.shape[2]
            pad = max((-(-h // 2) - 1) * 2 + 2 - h, 0)
            x = torch.nn.functional.max_pool2d(torch.nn.functional.pad(x, (0, pad, 0, pad), value=float('-inf')), 2)
        for i in range(self.n):
            x = torch.relu(self.convs[self.n + i](x))
            x = torch.nn.functional.interpolate(x, scale_factor=2, mode='nearest')
        crop = (x.shape[2] - 28) // 2
        x = x[:, :, crop:crop + 28, crop:crop + 28]
        return self.convs[-1](x)


def tf_same_pad(size, stride):
    """TensorFlow's 'same' padding of a 3x3 window (before, after): the extra cell goes after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + 3 - size, 0)
    return total // 2, total - total // 2


class StridedConvAE(torch.nn.Module):
    """Hourglass's strided preset: stride-2 convs (TF 'same') with ELU, a linear 3x3 code conv, a
    3x3 conv, then 3x3 stride-2 transposed convs (TF 'same': the full output less its last row and
    column), each cropped to the size its encoder block saw; the last has no sigmoid
    (BCE-with-logits). Weights in Keras layout; both conv kinds permute (3, 2, 0, 1)."""

    def __init__(self, filters, code, raw):
        super().__init__()
        self.sizes = [28]
        for _ in filters:
            self.sizes.append(-(-self.sizes[-1] // 2))
        specs, c = [], 1
        for f in filters:
            specs.append((torch.nn.Conv2d(c, f, 3, stride=2), (c, f))); c = f
        specs.append((torch.nn.Conv2d(c, code, 3, padding=1), (c, code)))
        specs.append((torch.nn.Conv2d(code, c, 3, padding=1), (code, c)))
        rev = list(reversed(filters))
        for i in range(len(rev)):
            co = 1 if i == len(rev) - 1 else rev[i + 1]
            specs.append((torch.nn.ConvTranspose2d(c, co, 3, stride=2), (co, c))); c = co
        o = 0
        for layer, (a, b) in specs:
            n = 9 * a * b
            with torch.no_grad():
                layer.weight.copy_(raw[o:o + n].reshape(3, 3, a, b).permute(3, 2, 0, 1)); o += n
                layer.bias.copy_(raw[o:o + layer.bias.numel()]); o += layer.bias.numel()
        self.layers = torch.nn.ModuleList([layer for layer, _ in specs])
        self.n = len(filters)

    def forward(self, x):
        f = torch.nn.functional
        for i in range(self.n):
            p0, p1 = tf_same_pad(x.shape[2], 2)
            q0, q1 = tf_same_pad(x.shape[3], 2)
            x = f.elu(self.layers[i](f.pad(x, (q0, q1, p0, p1))))
        x = self.layers[self.n](x)
        x = f.elu(self.layers[self.n + 1](x))
        for i in range(self.n):
            h = 2 * x.shape[2]
            x = self.layers[self.n + 2 + i](x)[:, :, :h, :h]
            target = self.sizes[self.n - 1 - i]
            x = x[:, :, :target, :target]
            if i < self.n - 1:
                x = f.elu(x)
        return x


def keras_same(size, stride, k):
    """Keras/TensorFlow 'same' padding of a window of k (before, after): the extra cell goes after."""
    total = max((-(-size // stride) - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


class Conv1DAE(torch.nn.Module):
    """Keras's time-series Conv1D autoencoder (bench/sequence_workloads.ts, dropout off): conv1d k7
    s2 with 'same' made explicit (pad before/after as TensorFlow), transposed convs cropped from the
    full output to Keras's length (steps * stride, the same before-offset). Keras kernels are
    [k, in, out] (conv) and [k, out, in] (transposed): both permute (2, 1, 0) to PyTorch's layout."""
    LAYERS = [(32, 2, False), (16, 2, False), (16, 2, True), (32, 2, True), (1, 1, True)]

    def __init__(self, raw):
        super().__init__()
        self.layers, c, o = torch.nn.ModuleList(), 1, 0
        for f, stride, transposed in self.LAYERS:
            layer = (torch.nn.ConvTranspose1d if transposed else torch.nn.Conv1d)(c, f, 7, stride=stride)
            n = 7 * c * f
            with torch.no_grad():
                shape = (7, f, c) if transposed else (7, c, f)
                layer.weight.copy_(raw[o:o + n].reshape(shape).permute(2, 1, 0)); o += n
                layer.bias.copy_(raw[o:o + f]); o += f
            self.layers.append(layer)
            c = f

    def forward(self, x):
        fn = torch.nn.functional
        x = x.transpose(1, 2)  # [batch, steps, 1] -> [batch, 1, steps]
        for i, (layer, (_, stride, transposed)) in enumerate(zip(self.layers, self.LAYERS)):
            steps = x.shape[2]
            if transposed:
                before, _ = keras_same(steps * stride, stride, 7)
                x = layer(x)[:, :, before:before + steps * stride]
            else:
                x = layer(fn.pad(x, keras_same(steps, stride, 7)))
            if i < len(self.LAYERS) - 1:
                x = torch.relu(x)
        return x.transpose(1, 2)


class LstmAE(torch.nn.Module):
    """LSTM 64 -> repeat -> LSTM 64 (sequences) -> Linear 1 per step. Keras's gates i, f, c, o are
    PyTorch's row blocks i, f, g, o: weight_ih = kernel^T, weight_hh = recurrentKernel^T, bias_ih =
    Keras's one bias, bias_hh = 0 (tools/make_recurrent_fixtures.py)."""

    def __init__(self, raw, window, units=64):
        super().__init__()
        self.window, o = window, 0
        self.enc = torch.nn.LSTM(1, units, batch_first=True)
        self.dec = torch.nn.LSTM(units, units, batch_first=True)
        self.out = torch.nn.Linear(units, 1)

        def take(n):
            nonlocal o
            o += n
            return raw[o - n:o]
        with torch.no_grad():
            for rnn, f in ((self.enc, 1), (self.dec, units)):
                rnn.weight_ih_l0.copy_(take(f * 4 * units).reshape(f, 4 * units).t())
                rnn.weight_hh_l0.copy_(take(units * 4 * units).reshape(units, 4 * units).t())
                rnn.bias_ih_l0.copy_(take(4 * units))
                rnn.bias_hh_l0.zero_()
            self.out.weight.copy_(take(units).reshape(units, 1).t())
            self.out.bias.copy_(take(1))

    def forward(self, x):
        _, (h, _) = self.enc(x)
        seq, _ = self.dec(h[-1].unsqueeze(1).expand(-1, self.window, -1))
        return self.out(seq)


def sine_windows(n, window):
    """bench/sequence_workloads.ts's sineWindows: two sines (periods 48, 97), windows 3 steps apart."""
    return torch.tensor([[0.8 * math.sin(2 * math.pi * (3 * i + t) / 48) + 0.2 * math.sin(2 * math.pi * (3 * i + t) / 97)
                          for t in range(window)] for i in range(n)], dtype=torch.float32).reshape(n, window, 1)


for i in range(0 if w['kind'] in ('conv', 'sequence') else len(sizes) - 1):
    lin = torch.nn.Linear(sizes[i], sizes[i + 1])
    n = sizes[i] * sizes[i + 1]
    with torch.no_grad():
        lin.weight.copy_(raw[o:o + n].reshape(sizes[i], sizes[i + 1]).t()); o += n
        lin.bias.copy_(raw[o:o + sizes[i + 1]]); o += sizes[i + 1]
    layers.append(lin)
    if i < len(sizes) - 2:
        layers.append(torch.nn.ReLU())
if w['kind'] == 'sequence':
    net = LstmAE(raw, w['window']) if w['arch'] == 'lstm' else Conv1DAE(raw)
elif w['kind'] == 'conv':
    net = StridedConvAE(w['encoder'], w['codeChannels'], raw) if w.get('layout') == 'strided' else ConvAE(w['encoder'], raw)
else:
    net = torch.nn.Sequential(*layers)

img = open(os.path.join(sys.argv[4], 'train-images-idx3-ubyte'), 'rb').read()
pixels = torch.frombuffer(bytearray(img[16:]), dtype=torch.uint8).float() / 255


def tabular_rows(n, cols, factors=4):
    """bench/tabular_data.ts's tabularRows: four sine factors mixed into every column plus a small
    independent term, in float64, each column standardized (population std), then float32."""
    i = torch.arange(n, dtype=torch.float64).reshape(n, 1)
    j = torch.arange(cols, dtype=torch.float64).reshape(1, cols)
    v = 0.1 * torch.sin(1.3 * i + 2.1 * j)
    for r in range(factors):
        v = v + torch.sin(0.37 * (i + 1) * (r + 1) + 0.11 * r) * torch.cos(0.7 * (j + 1) * (r + 1))
    std = v.std(dim=0, unbiased=False)
    std[std == 0] = 1
    return ((v - v.mean(dim=0)) / std).float().contiguous()


def rows(n):
    if w.get('data') == 'tabular':
        return tabular_rows(n, n_in)
    idx = torch.arange(n * 784) % pixels.numel()
    return pixels[idx].reshape(n, 784).contiguous()


def measure(block, samples):
    rates = []
    for b in range(w['blocks'] + 1):
        t0 = time.perf_counter()
        block()
        s = time.perf_counter() - t0
        if b > 0:
            rates.append(samples / s)
    rates.sort()
    return rates[len(rates) // 2]


if w['kind'] in ('train', 'conv', 'sequence'):
    n = w['batch'] * w['steps']
    if w['kind'] == 'sequence':
        data = sine_windows(n, w['window'])
    else:
        data = rows(n) if w['kind'] == 'train' else rows(n).reshape(n, 1, 28, 28)
    batches = [data[s * w['batch']:(s + 1) * w['batch']] for s in range(w['steps'])]
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    lossf = torch.nn.MSELoss() if w['kind'] == 'sequence' or w.get('loss') == 'mse' else torch.nn.BCEWithLogitsLoss()
    last = [0.0]

    def block():
        total = 0.0
        for b in batches:
            opt.zero_grad()
            loss = lossf(net(b), b)
            loss.backward()
            opt.step()
            total += loss.item()
        last[0] = total / len(batches)
    rate = measure(block, n)
    final = last[0]
else:
    x = rows(w['rows'])
    out = [0.0]

    # wholeCall: one forward over every row, as a no_grad user writes it; else batches in a loop.
    step = w['rows'] if w.get('wholeCall') else w['batch']

    def block():
        with torch.no_grad():
            for s in range(0, w['rows'], step):
                y = torch.sigmoid(net(x[s:s + step]))
            out[0] = float(y[0, 0])
    rate = measure(block, w['rows'])
    final = out[0]

# oneDNN's effective ISA (dnnl_cpu_isa_t of oneDNN 2.x; convolutions run there, not in OpenBLAS).
DNNL_ISA = {0x1: 'sse41', 0x3: 'avx', 0x7: 'avx2', 0x407: 'avx2_vnni', 0x27: 'avx512_core', 0x67: 'avx512_core_vnni',
            0xe7: 'avx512_core_bf16', 0x3e7: 'avx512_core_amx'}


def mapped(pred):
    """Shared objects this process has mapped (after torch ran its GEMMs), filtered by name."""
    with open('/proc/self/maps') as f:
        paths = {line.split()[-1] for line in f if '/' in line}
    return sorted(p for p in paths if p.startswith('/') and pred(os.path.basename(p)))


def openblas_core():
    """The OpenBLAS core that ran: openblas_get_corename() of the libopenblas torch loaded
    (directly, through numpy, or as Debian's libblas.so.3 alternative); None if not OpenBLAS."""
    libs = mapped(lambda n: 'openblas' in n) + mapped(lambda n: 'blas' in n and 'openblas' not in n)
    for p in libs:
        try:
            fn = ctypes.CDLL(p).openblas_get_corename
        except (OSError, AttributeError):
            continue
        fn.restype = ctypes.c_char_p
        return fn().decode(), p
    return None, libs[0] if libs else None


def onednn_isa():
    for p in mapped(lambda n: 'dnnl' in n or 'mkldnn' in n):
        try:
            fn = ctypes.CDLL(p).dnnl_get_effective_cpu_isa
        except (OSError, AttributeError):
            continue
        fn.restype = ctypes.c_int
        v = fn()
        return DNNL_ISA.get(v, hex(v))
    return None


core, blas_lib = openblas_core()
isa = onednn_isa() if torch.backends.mkldnn.is_available() else None
blas = f'OpenBLAS {core}' if core else f'BLAS {os.path.basename(blas_lib) if blas_lib else "unknown"} (not OpenBLAS)'
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
system = sys.argv[5] if len(sys.argv) > 5 else 'pytorch'
print(json.dumps({'system': system, 'samples_per_s': rate, 'final_loss': final, 'peak_rss_mb': peak,
                  'note': f'torch {torch.__version__}, {blas}' + (f', oneDNN {isa}' if isa and (w['kind'] == 'conv' or w.get('arch') == 'conv1d') else ''),
                  'blas_core': core, 'blas_library': blas_lib, 'onednn_isa': isa}))
