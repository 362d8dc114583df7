// The fixed Python at the top of every exported model.py: reading and writing safetensors
// without the `safetensors` package (Debian's python3-torch does not bring it; the format is an
// 8-byte header length, a JSON header and raw little-endian data), and the few Keras behaviours
// PyTorch has no module for, each written out so the file says exactly what it computes. Only
// the helpers a model uses are included.

export const HEADER = `"""An Hourglass model as a PyTorch nn.Module, written by \`hourglass export --format pytorch\`.

The module takes and returns channels-last tensors, as Hourglass (and Keras) do: images
[batch, height, width, channels], sequences [batch, steps, features]. Inside, values are permuted
to PyTorch's channels-first layout where a convolution, pooling or batch norm needs it.
Keras's padding rules are spelled out: 'same' pads ceil-style with the odd cell at the end
(bottom/right), 'causal' pads only the start.

    model = HourglassModel()
    load_weights(model, "weights.safetensors")   # or the safetensors package's load_file
    ...train...
    save_weights(model, "weights.safetensors")   # then: hourglass import <this folder> --into <model dir>
"""

import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F
`;

export const SAFETENSORS = `

def read_safetensors(path):
    """The F32 tensors of a safetensors file, by name."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = memoryview(data)[8 + n :]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=torch.float32)
        out[name] = flat.reshape(info["shape"]).clone()
    return out


def write_safetensors(path, tensors):
    """Writes F32 tensors (name -> tensor) as safetensors."""
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().to(torch.float32).contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    text = json.dumps(header)
    text += " " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for b in chunks:
            f.write(b)


def load_weights(model, path):
    """Loads Hourglass's exported weights (every parameter and buffer must be there)."""
    state = read_safetensors(path)
    own = model.state_dict()
    missing = [k for k in own if k not in state and not k.endswith("num_batches_tracked")]
    extra = [k for k in state if k not in own]
    if missing or extra:
        raise ValueError(f"{path}: missing {missing}, unexpected {extra}")
    model.load_state_dict(state, strict=False)


def save_weights(model, path):
    """Writes the parameters and batch-norm statistics for \`hourglass import\`."""
    module = getattr(model, "module", model)  # unwraps DistributedDataParallel
    state = {k: v for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")}
    write_safetensors(path, state)
`;

export const HELPERS: Record<string, string> = {
  avgPool: `

def keras_average_pool(x, kernel, stride, pads):
    """Average pooling over real cells only (Keras ignores 'same' padding cells), with the
    asymmetric pads (before/after per axis, F.pad order) Keras uses."""
    pool = F.avg_pool2d if x.dim() == 4 else F.avg_pool1d
    ones = torch.ones_like(x[:1, :1])
    return pool(F.pad(x, pads), kernel, stride) / pool(F.pad(ones, pads), kernel, stride)
`,
  gaussianNoise: `

class GaussianNoise(nn.Module):
    """Adds N(0, stddev^2) noise in training only (Keras GaussianNoise), then clips if asked."""

    def __init__(self, stddev, clip=None):
        super().__init__()
        self.stddev, self.clip = stddev, clip

    def forward(self, x):
        if not self.training:
            return x
        y = x + self.stddev * torch.randn_like(x)
        return y.clamp(*self.clip) if self.clip else y
`,
  corruption: `

class Corruption(nn.Module):
    """In training only, replaces a share \`rate\` of the values: by 0 (masking noise) or by low or
    high with equal odds (salt and pepper). No rescaling, unlike dropout."""

    def __init__(self, rate, low=0.0, high=None):
        super().__init__()
        self.rate, self.low, self.high = rate, low, high

    def forward(self, x):
        if not self.training:
            return x
        hit = torch.rand_like(x) < self.rate
        if self.high is None:
            return x.masked_fill(hit, self.low)
        salt = self.low + (self.high - self.low) * (torch.rand_like(x) >= 0.5).to(x.dtype)
        return torch.where(hit, salt, x)
`,
  kerasRecurrent: `

RECURRENT_ACTIVATIONS = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "linear": lambda v: v,
    "softplus": F.softplus,
}


class KerasLSTM(nn.Module):
    """Keras's LSTM written out, for activations nn.LSTM does not offer. Parameters in Keras's
    layout: kernel [features, 4 units] and recurrent_kernel [units, 4 units] with gate columns
    i, f, c, o; one bias. Input [batch, steps, features]; zero initial state."""

    def __init__(self, features, units, activation="tanh", recurrent_activation="sigmoid", bias=True,
                 return_sequences=False, go_backwards=False):
        super().__init__()
        self.units, self.return_sequences, self.go_backwards = units, return_sequences, go_backwards
        self.act, self.rec_act = RECURRENT_ACTIVATIONS[activation], RECURRENT_ACTIVATIONS[recurrent_activation]
        self.kernel = nn.Parameter(torch.zeros(features, 4 * units))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, 4 * units))
        self.bias = nn.Parameter(torch.zeros(4 * units)) if bias else None

    def forward(self, x):
        if self.go_backwards:
            x = x.flip(1)  # Keras returns the outputs in this processing order
        proj = x @ self.kernel
        if self.bias is not None:
            proj = proj + self.bias
        h = x.new_zeros(x.shape[0], self.units)
        c = h
        states = []
        for t in range(x.shape[1]):
            i, f, g, o = (proj[:, t] + h @ self.recurrent_kernel).chunk(4, dim=1)
            c = self.rec_act(f) * c + self.rec_act(i) * self.act(g)
            h = self.rec_act(o) * self.act(c)
            states.append(h)
        return torch.stack(states, 1) if self.return_sequences else h


class KerasGRU(nn.Module):
    """Keras's GRU written out, for activations nn.GRU does not offer and for reset_after=False
    (Keras 1 / TF1: the reset gate scales h before its product with the candidate's recurrent
    kernel). Parameters in Keras's layout: kernel [features, 3 units], recurrent_kernel
    [units, 3 units] with gate columns z, r, h; bias [2, 3 units] (input and recurrent rows) with
    reset_after, else [3 units]. h' = z h + (1 - z) candidate; zero initial state."""

    def __init__(self, features, units, activation="tanh", recurrent_activation="sigmoid", bias=True,
                 reset_after=True, return_sequences=False, go_backwards=False):
        super().__init__()
        self.units, self.reset_after = units, reset_after
        self.return_sequences, self.go_backwards = return_sequences, go_backwards
        self.act, self.rec_act = RECURRENT_ACTIVATIONS[activation], RECURRENT_ACTIVATIONS[recurrent_activation]
        self.kernel = nn.Parameter(torch.zeros(features, 3 * units))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, 3 * units))
        self.bias = nn.Parameter(torch.zeros(*((2, 3 * units) if reset_after else (3 * units,)))) if bias else None

    def forward(self, x):
        if self.go_backwards:
            x = x.flip(1)  # Keras returns the outputs in this processing order
        u, U = self.units, self.recurrent_kernel
        proj = x @ self.kernel
        if self.bias is not None:
            proj = proj + (self.bias[0] if self.reset_after else self.bias)
        h = x.new_zeros(x.shape[0], u)
        states = []
        for t in range(x.shape[1]):
            xz, xr, xh = proj[:, t].chunk(3, dim=1)
            if self.reset_after:
                rec = h @ U
                if self.bias is not None:
                    rec = rec + self.bias[1]
                hz, hr, hh = rec.chunk(3, dim=1)
                z, r = self.rec_act(xz + hz), self.rec_act(xr + hr)
                n = self.act(xh + r * hh)
            else:
                z = self.rec_act(xz + h @ U[:, :u])
                r = self.rec_act(xr + h @ U[:, u : 2 * u])
                n = self.act(xh + (r * h) @ U[:, 2 * u :])
            h = z * h + (1 - z) * n
            states.append(h)
        return torch.stack(states, 1) if self.return_sequences else h
`,
  sampling: `

class Sampling(nn.Module):
    """The variational code: mean + exp(log_var / 2) * eps in training, the mean at inference.
    After each forward, \`self.kl\` holds KL(N(mean, exp(log_var)) || N(0, 1)) summed over the code
    and averaged over the batch, times kl_weight: add it to the loss (Hourglass does)."""

    def __init__(self, kl_weight=1.0):
        super().__init__()
        self.kl_weight = kl_weight
        self.kl = torch.zeros(())

    def forward(self, mean, log_var):
        self.kl = self.kl_weight * 0.5 * (log_var.exp() + mean**2 - 1 - log_var).sum() / mean.shape[0]
        if not self.training:
            return mean
        return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
`,
};
