#!/usr/bin/python3
"""A TensorFlow.js layers-model folder in the shape tensorflowjs_converter writes for a Keras 2 model
(run: /usr/bin/python3 tools/make_tfjs_converter_fixture.py; writes test/fixtures/tfjs/converter_gru/).

tfjs itself cannot make this one: its GRU refuses reset_after=True, which is Keras 2's default and
what the converter carries over. The values come from PyTorch instead, whose nn.GRU is Keras's GRU
with reset_after=True (the mapping of tools/make_recurrent_fixtures.py: Keras's z, r, h column
blocks are PyTorch's r, z, n row blocks reordered; bias [2, 3u] = [bias_ih, bias_hh]).

What it follows of the converter's output: modelTopology wraps the model in
{keras_version, backend, model_config}, the model is class "Functional" with Keras 2 inbound_nodes
[[["input_1", 0, 0, {}]]], weight names carry the cell scope ("gru/gru_cell/kernel"), and the
weights go in one group whose shards are named group1-shardNofM.bin (here cut into 2).
Model: input [6, 3] -> GRU(4, return_sequences) -> GRU(3, go_backwards) -> Dense(2).
"""
import json
import os
import struct

import torch

torch.manual_seed(7)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'tfjs', 'converter_gru')
BATCH, STEPS, FEATURES = 4, 6, 3


def keras_blocks(t, u):
    """PyTorch r, z, n row blocks -> Keras z, r, h."""
    return torch.cat([t[u:2 * u], t[0:u], t[2 * u:3 * u]])


def gru_weights(rnn, u):
    kernel = keras_blocks(rnn.weight_ih_l0, u).t()
    rec = keras_blocks(rnn.weight_hh_l0, u).t()
    bias = torch.stack([keras_blocks(rnn.bias_ih_l0, u), keras_blocks(rnn.bias_hh_l0, u)])
    return [kernel, rec, bias]


def gru_config(name, units, **kw):
    c = {'name': name, 'trainable': True, 'dtype': 'float32', 'return_sequences': False, 'return_state': False,
         'go_backwards': False, 'stateful': False, 'unroll': False, 'time_major': False, 'units': units,
         'activation': 'tanh', 'recurrent_activation': 'sigmoid', 'use_bias': True,
         'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
         'recurrent_initializer': {'class_name': 'Orthogonal', 'config': {'gain': 1.0, 'seed': None}},
         'bias_initializer': {'class_name': 'Zeros', 'config': {}}, 'kernel_regularizer': None,
         'recurrent_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
         'kernel_constraint': None, 'recurrent_constraint': None, 'bias_constraint': None, 'dropout': 0.0,
         'recurrent_dropout': 0.0, 'implementation': 2, 'reset_after': True}
    c.update(kw)
    return c


def node(src):
    return [[[src, 0, 0, {}]]]


def main():
    g1 = torch.nn.GRU(FEATURES, 4, batch_first=True)
    g2 = torch.nn.GRU(4, 3, batch_first=True)
    dense = torch.nn.Linear(3, 2)
    with torch.no_grad():
        for p in [*g1.parameters(), *g2.parameters(), *dense.parameters()]:
            p.uniform_(-0.6, 0.6)
        x = torch.rand(BATCH, STEPS, FEATURES) * 2 - 1
        h1, _ = g1(x)
        h2, _ = g2(h1.flip(1))  # go_backwards
        y = dense(h2[:, -1])

    layers = [
        {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, STEPS, FEATURES], 'dtype': 'float32',
                                                'sparse': False, 'ragged': False, 'name': 'input_1'},
         'name': 'input_1', 'inbound_nodes': []},
        {'class_name': 'GRU', 'config': gru_config('gru', 4, return_sequences=True), 'name': 'gru',
         'inbound_nodes': node('input_1')},
        {'class_name': 'GRU', 'config': gru_config('gru_1', 3, go_backwards=True), 'name': 'gru_1',
         'inbound_nodes': node('gru')},
        {'class_name': 'Dense', 'config': {'name': 'dense', 'trainable': True, 'dtype': 'float32', 'units': 2,
                                           'activation': 'linear', 'use_bias': True,
                                           'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
                                           'bias_initializer': {'class_name': 'Zeros', 'config': {}},
                                           'kernel_regularizer': None, 'bias_regularizer': None,
                                           'activity_regularizer': None, 'kernel_constraint': None,
                                           'bias_constraint': None},
         'name': 'dense', 'inbound_nodes': node('gru_1')},
    ]
    topology = {'class_name': 'Functional', 'config': {'name': 'model', 'layers': layers,
                                                       'input_layers': [['input_1', 0, 0]],
                                                       'output_layers': [['dense', 0, 0]]}}
    named = [('gru/gru_cell/kernel', 'gru/gru_cell/recurrent_kernel', 'gru/gru_cell/bias'),
             ('gru_1/gru_cell/kernel', 'gru_1/gru_cell/recurrent_kernel', 'gru_1/gru_cell/bias')]
    tensors = list(zip(named[0], gru_weights(g1, 4))) + list(zip(named[1], gru_weights(g2, 3)))
    tensors += [('dense/kernel', dense.weight.t()), ('dense/bias', dense.bias)]
    specs, data = [], b''
    for name, t in tensors:
        t = t.detach().contiguous().to(torch.float32)
        specs.append({'name': name, 'shape': list(t.shape), 'dtype': 'float32'})
        data += struct.pack(f'<{t.numel()}f', *t.reshape(-1).tolist())
    cut = len(data) // 2 + 1
    model_json = {
        'format': 'layers-model', 'generatedBy': 'keras v2.15.0', 'convertedBy': 'TensorFlow.js Converter v4.22.0',
        'modelTopology': {'keras_version': '2.15.0', 'backend': 'tensorflow', 'model_config': topology},
        'weightsManifest': [{'paths': ['group1-shard1of2.bin', 'group1-shard2of2.bin'], 'weights': specs}],
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'model.json'), 'w') as f:
        json.dump(model_json, f)
    with open(os.path.join(OUT, 'group1-shard1of2.bin'), 'wb') as f:
        f.write(data[:cut])
    with open(os.path.join(OUT, 'group1-shard2of2.bin'), 'wb') as f:
        f.write(data[cut:])
    expected = {'inputShape': list(x.shape), 'input': x.reshape(-1).tolist(), 'outputShape': list(y.shape),
                'output': y.reshape(-1).tolist()}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f)
    print(f'{OUT}: {len(specs)} weights, {len(data)} bytes in 2 shards')


main()
