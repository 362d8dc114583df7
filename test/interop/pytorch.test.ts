// The PyTorch round trip: the exported model.py (run by Debian's python3-torch through
// tools/torch_roundtrip.py) gives Hourglass's predict within 1e-5; after a few SGD or Adam steps
// in PyTorch, the weights imported back make Hourglass predict what the trained PyTorch module
// predicts, and equal PyTorch's tensors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { HourglassError } from '../../src/engine/errors.js';
import { exportPytorch, networkOf, PYTORCH_WEIGHTS_FILE } from '../../src/interop/pytorch/export.js';
import { importPytorch } from '../../src/interop/pytorch/import.js';
import { layers } from '../../src/layers/index.js';
import { input } from '../../src/layers/input.js';
import { size, type Layer, type Shape } from '../../src/layers/layer.js';
import { Model } from '../../src/model/model.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/model/safetensors.js';
import { Autoencoder } from '../../src/models/autoencoder.js';
import { autoencoders } from '../../src/models/index.js';
import { assertAllClose, randomValues, randomizeWeights } from '../helpers/onnx_runtime.js';

const PYTHON = '/usr/bin/python3';
const TOOL = new URL('../../tools/torch_roundtrip.py', import.meta.url).pathname;
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

function chain(shape: Shape, ...ls: Layer[]): Model {
  const x = input(shape);
  let t = x;
  for (const l of ls) t = l.apply(t);
  return new Model({ inputs: x, outputs: t });
}

interface Case {
  name: string;
  model: () => Model | Autoencoder;
  optimizer: 'sgd' | 'adam';
}

const cases: Case[] = [
  {
    name: 'dense_preset',
    optimizer: 'sgd',
    model: () => {
      const ae = autoencoders.dense({ hidden: [7], latent: 3 });
      ae.build([9], 'sigmoid');
      return ae;
    },
  },
  {
    name: 'variational_preset',
    optimizer: 'adam',
    model: () => {
      const ae = autoencoders.variational({ hidden: [6], latent: 2 });
      ae.build([7], 'linear');
      return ae;
    },
  },
  {
    name: 'conv_denoising_preset',
    optimizer: 'adam',
    model: () => {
      const ae = autoencoders.denoising({
        base: 'conv',
        filters: [3, 2],
        kernelSize: 3,
        noise: { type: 'gaussian', stddev: 0.1 },
      });
      ae.build([8, 6, 1], 'sigmoid');
      return ae;
    },
  },
  {
    name: 'images',
    optimizer: 'adam',
    model: () =>
      chain(
        [9, 7, 2],
        layers.conv2d(3, { kernelSize: 3, strides: 2, padding: 'same', activation: { name: 'leakyRelu', alpha: 0.1 } }),
        layers.batchNormalization({ momentum: 0.9 }),
        layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }),
        layers.conv2dTranspose(2, { kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
        layers.conv2dTranspose(2, { kernelSize: 1, strides: 2, padding: 'same', activation: 'gelu' }),
        layers.zeroPadding2d([
          [1, 0],
          [2, 1],
        ]),
        layers.cropping2d([
          [0, 3],
          [1, 2],
        ]),
        layers.conv2d(2, { kernelSize: [2, 3], dilationRate: 2, activation: 'softplus' }),
        layers.flatten(),
        layers.dense(12, { activation: 'tanh' }),
        layers.dropout(0.2),
        layers.reshape([2, 3, 2]),
        layers.upSampling2d({ size: 2 }),
        layers.conv2dTranspose(2, { kernelSize: [3, 2], strides: [2, 1], padding: 'valid' }),
        layers.saltAndPepper(0.1),
      ),
  },
  {
    name: 'sequences',
    optimizer: 'sgd',
    model: () =>
      chain(
        [11, 2],
        layers.conv1d(3, { kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'relu' }),
        layers.conv1d(4, { kernelSize: 3, strides: 2, padding: 'same' }),
        layers.batchNormalization(),
        layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
        layers.upSampling1d({ size: 3 }),
        layers.conv1dTranspose(3, { kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
        layers.conv1dTranspose(2, { kernelSize: 2, strides: 3, padding: 'valid' }),
        layers.zeroPadding1d([1, 2]),
        layers.cropping1d([2, 1]),
        layers.maskingNoise(0.1),
        layers.dense(2),
      ),
  },
  {
    name: 'pooled_code',
    optimizer: 'adam',
    model: () =>
      chain(
        [5, 7, 3],
        layers.conv2d(4, { kernelSize: 2 }),
        layers.globalAveragePooling2d(),
        layers.dense(3),
        layers.klSparsity(),
      ),
  },
  {
    name: 'recurrent',
    optimizer: 'adam',
    model: () =>
      chain(
        [6, 3],
        layers.lstm(5, { returnSequences: true, goBackwards: true }),
        layers.lstm(4, { returnSequences: true, activation: 'relu', useBias: false }),
        layers.gru(4, { returnSequences: true, resetAfter: false, goBackwards: true }),
        layers.gru(3, { returnSequences: true }),
        layers.gru(3, { returnSequences: true, useBias: false, goBackwards: true }),
        layers.gru(3, { activation: 'softplus', recurrentActivation: 'tanh', goBackwards: true }),
        layers.repeatVector(4),
        layers.lstm(2, { returnSequences: true, goBackwards: true, activation: 'linear' }),
        layers.timeDistributed(layers.dense(2, { activation: 'sigmoid' })),
      ),
  },
  {
    name: 'lstm_sequence_preset',
    optimizer: 'sgd',
    model: () => {
      const ae = autoencoders.sequence({ window: 6, features: 2, arch: 'lstm', units: 4 });
      ae.build([6, 2], 'linear');
      return ae;
    },
  },
  {
    name: 'gru_sequence_preset',
    optimizer: 'adam',
    model: () => {
      const ae = autoencoders.sequence({ window: 5, features: 3, arch: 'gru', units: 4 });
      ae.build([5, 3], 'linear');
      return ae;
    },
  },
];

/** Whether the state_dict entry belongs to an lstm layer (by the attribute export gave it). */
function lstmAttr(model: Model, name: string): boolean {
  const attr = name.split('.')[0]!;
  return model.layers.some((l) => l.className === 'LSTM' && l.name.replace(/[^A-Za-z0-9_]/g, '_') === attr);
}

test(
  'pytorch round trip: model.py predicts as Hourglass, trained weights come back',
  { skip: hasTorch ? false : 'no torch in /usr/bin/python3' },
  () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-torch-'));
    const built = cases.map((c, i) => {
      const source = c.model();
      const model = networkOf(source);
      randomizeWeights(model, 20 + i);
      const folder = path.join(tmp, c.name);
      fs.mkdirSync(folder);
      for (const [name, bytes] of Object.entries(exportPytorch(source).files))
        fs.writeFileSync(path.join(folder, name), bytes);
      const batch = 5;
      const x = randomValues(batch * size(model.input.shape), 100 + i, 0, 1);
      const y = randomValues(batch * size(model.output.shape), 200 + i, 0, 1);
      fs.writeFileSync(
        path.join(folder, 'input.safetensors'),
        encodeSafetensors([
          { name: 'x', shape: [batch, ...model.input.shape], data: x },
          { name: 'y', shape: [batch, ...model.output.shape], data: y },
        ]),
      );
      fs.writeFileSync(
        path.join(folder, 'train.json'),
        JSON.stringify({ optimizer: c.optimizer, lr: c.optimizer === 'sgd' ? 0.05 : 0.01, steps: 5 }),
      );
      return { c, source, model, folder, x, batch };
    });
    const r = spawnSync(PYTHON, [TOOL, ...built.map((b) => b.folder)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const { c, source, model, folder, x, batch } of built) {
      const outputs = decodeSafetensors(fs.readFileSync(path.join(folder, 'outputs.safetensors')), 'outputs').tensors;
      const xs = { data: x, shape: [batch, ...model.input.shape] };
      assertAllClose(
        outputs.get('before')!.data,
        model.predict(xs, { verbose: false }).data,
        1e-5,
        `${c.name}: PyTorch vs Hourglass`,
      );
      if (source instanceof Autoencoder) {
        // encode(x) of the module is the autoencoder's code.
        assertAllClose(
          outputs.get('codes')!.data,
          source.encode(xs).data,
          1e-5,
          `${c.name}: PyTorch encode vs Hourglass`,
        );
      } else assert.equal(outputs.get('codes'), undefined);
      const trained = fs.readFileSync(path.join(folder, 'trained.safetensors'));
      const result = importPytorch(model, trained, `${c.name}/trained.safetensors`);
      assert.ok(result.maxChange > 1e-4, `${c.name}: training changed the weights by ${result.maxChange}`);
      assertAllClose(
        model.predict(xs, { verbose: false }).data,
        outputs.get('after')!.data,
        1e-5,
        `${c.name}: imported vs trained PyTorch`,
      );
      // Exported again, the imported weights are PyTorch's tensors value for value, except an
      // nn.LSTM's two biases, which Hourglass keeps as their sum (exported as bias_ih, bias_hh = 0).
      const again = decodeSafetensors(exportPytorch(model).files[PYTORCH_WEIGHTS_FILE]!, 'again').tensors;
      const got = decodeSafetensors(trained, 'trained').tensors;
      const summed = (name: string) => /\.bias_(ih|hh)_l0$/.test(name) && lstmAttr(model, name);
      for (const [name, t] of got) {
        if (!summed(name)) {
          assert.deepEqual(again.get(name)!.data, t.data, `${c.name}: ${name}`);
          continue;
        }
        if (name.endsWith('hh_l0')) continue;
        const hh = got.get(name.replace('bias_ih', 'bias_hh'))!.data;
        assert.deepEqual(
          again.get(name)!.data,
          t.data.map((v, i) => v + hh[i]!),
          `${c.name}: ${name} + bias_hh`,
        );
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  },
);

test('pytorch import refuses missing, misshapen and foreign tensors, leaving the model as it was', () => {
  const model = chain([4], layers.dense(3, { name: 'a' }), layers.dense(2, { name: 'b' }));
  const files = exportPytorch(model).files;
  const good = decodeSafetensors(files[PYTORCH_WEIGHTS_FILE]!, 'w').tensors;
  const without = [...good.values()].filter((t) => t.name !== 'b.bias');
  assert.throws(
    () => importPytorch(model, encodeSafetensors(without)),
    (e: Error) => e instanceof HourglassError && /'b.bias'/.test(e.message),
  );
  const before = Float32Array.from(model.layers[1]!.params[0]!.value.view());
  const bad = [...good.values()].map((t) =>
    t.name === 'b.weight' ? { ...t, shape: [3, 2] } : { ...t, data: t.data.map(() => 9) },
  );
  assert.throws(
    () => importPytorch(model, encodeSafetensors(bad)),
    /'b.weight' has shape \[3, 2\], layer 'b' needs \[2, 3\]/,
  );
  assert.deepEqual(model.layers[1]!.params[0]!.value.view(), before);
  const extra = [...good.values(), { name: 'c.weight', shape: [1], data: new Float32Array(1) }];
  assert.throws(() => importPytorch(model, encodeSafetensors(extra)), /'c.weight'.*belong to no layer/);
});
