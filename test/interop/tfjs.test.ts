// TensorFlow.js import: layers-model folders written by tools/make_tfjs_fixtures.ts with
// @tensorflow/tfjs (model.save's file layout; the converter's shards and uint8 quantization)
// predict as tfjs predicted (its values, in expected.json) within 1e-5, and a converter-style Keras 2
// GRU model as PyTorch predicts it; the imported model
// fine-tunes, saves and loads; unsupported layers and options and broken folders are refused by name.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { HourglassError } from '../../src/engine/errors.js';
import { importTfjs } from '../../src/interop/tfjs/import.js';
import { importTfjsFolder } from '../../src/interop/tfjs/node_folder.js';
import { loadModel } from '../../src/model/load.js';
import { saveModel } from '../../src/model/save.js';
import { loadAutoencoder } from '../../src/models/kinds.js';
import { assertAllClose } from '../helpers/onnx_runtime.js';

const FIXTURES = new URL('../fixtures/tfjs/', import.meta.url).pathname;
const NAMES = [
  'dense_ae',
  'conv_ae',
  'lstm_ae',
  'gru_conv1d',
  'lstm_ae_sharded',
  'dense_ae_uint8',
  'gru_conv1d_float16',
];

interface Expected {
  inputShape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
}

const expectedOf = (name: string): Expected =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;

for (const name of NAMES)
  test(`tfjs import: ${name} predicts as TensorFlow.js`, () => {
    const { model, weights } = importTfjsFolder(path.join(FIXTURES, name));
    assert.ok(weights > 0);
    const e = expectedOf(name);
    const y = model.predict({ data: Float32Array.from(e.input), shape: e.inputShape }, { verbose: false });
    assert.deepEqual(y.shape, e.outputShape);
    assertAllClose(y.data, e.output, 1e-5, `${name} vs tfjs`);
  });

// The converter's layout for a Keras 2 model (tools/make_tfjs_converter_fixture.py): wrapped
// model_config, class Functional, cell-scoped weight names, GRU reset_after true (which tfjs cannot
// run), two shards; its values come from PyTorch's nn.GRU.
test('tfjs import: a converter-style Keras 2 GRU model predicts as PyTorch', () => {
  const { model, source } = importTfjsFolder(path.join(FIXTURES, 'converter_gru'));
  assert.match(source, /keras v2/);
  const e = expectedOf('converter_gru');
  const y = model.predict({ data: Float32Array.from(e.input), shape: e.inputShape }, { verbose: false });
  assert.deepEqual(y.shape, e.outputShape);
  assertAllClose(y.data, e.output, 1e-5, 'converter_gru vs PyTorch');
});

// The same model in Keras 3's config format (inbound nodes as {args: [keras tensors]}, batch_shape,
// one endpoint written flat) reads the same.
test('tfjs import: Keras 3 topology format predicts the same', () => {
  const { json, shards } = fixtureFiles('converter_gru');
  const topo = json['modelTopology'] as { model_config: { config: Record<string, unknown> } };
  const c = topo.model_config.config;
  const layers = c['layers'] as { config: Record<string, unknown>; inbound_nodes: unknown[][][][] }[];
  for (const l of layers) {
    if ('batch_input_shape' in l.config) {
      l.config['batch_shape'] = l.config['batch_input_shape'];
      delete l.config['batch_input_shape'];
    }
    (l as { inbound_nodes: unknown }).inbound_nodes = l.inbound_nodes.map((n) => ({
      args: n.map(([name, node, tensor]) => ({
        class_name: '__keras_tensor__',
        config: { shape: [null], dtype: 'float32', keras_history: [name, node, tensor] },
      })),
      kwargs: { training: false },
    }));
  }
  c['input_layers'] = (c['input_layers'] as unknown[])[0];
  json['modelTopology'] = topo.model_config;
  const { model } = importTfjs({ modelJson: json, shards });
  const e = expectedOf('converter_gru');
  const y = model.predict({ data: Float32Array.from(e.input), shape: e.inputShape }, { verbose: false });
  assertAllClose(y.data, e.output, 1e-5, 'Keras 3 format vs PyTorch');
});

test('tfjs import: the imported model fine-tunes, saves and loads', async () => {
  const { model } = importTfjsFolder(path.join(FIXTURES, 'lstm_ae'));
  const e = expectedOf('lstm_ae');
  const x = { data: Float32Array.from(e.input), shape: e.inputShape };
  model.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse' });
  const before = model.evaluate(x, x)['loss']!;
  await model.fit(x, x, { epochs: 5, batchSize: 4, verbose: false });
  const after = model.evaluate(x, x)['loss']!;
  assert.ok(after < before, `training lowers the loss (${before} -> ${after})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-tfjs-'));
  saveModel(model, dir);
  const again = loadModel(dir).model;
  assertAllClose(again.predict(x, { verbose: false }).data, model.predict(x, { verbose: false }).data, 0, 'reloaded');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('hourglass import <tfjs folder> --out DIR saves a model every job can load', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-tfjs-cli-')), 'model');
  process.exitCode = 0;
  await main(['node', 'hourglass', 'import', path.join(FIXTURES, 'conv_ae'), '--out', out, '--json']);
  assert.equal(Number(process.exitCode ?? 0), 0);
  const ae = loadAutoencoder(out);
  const e = expectedOf('conv_ae');
  const x = { data: Float32Array.from(e.input), shape: e.inputShape };
  assertAllClose(ae.reconstruct(x).data, e.output, 1e-5, 'loaded CLI import');
  // The bottleneck is the code: encode() gives the narrowest layer's output.
  assert.equal(ae.encode(x).shape.length, 2);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

function fixtureFiles(name: string): { json: Record<string, unknown>; shards: Record<string, Uint8Array> } {
  const dir = path.join(FIXTURES, name);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  const shards: Record<string, Uint8Array> = {};
  for (const f of fs.readdirSync(dir))
    if (f.endsWith('.bin')) shards[f] = new Uint8Array(fs.readFileSync(path.join(dir, f)));
  return { json, shards };
}

const refused = (f: () => unknown, pattern: RegExp) =>
  assert.throws(f, (e: Error) => e instanceof HourglassError && pattern.test(e.message), String(pattern));

test('tfjs import refuses unsupported layers and options by name, and broken folders', () => {
  const edit = (mutate: (layers: Record<string, unknown>[], json: Record<string, unknown>) => void) => {
    const { json, shards } = fixtureFiles('lstm_ae');
    const topo = json['modelTopology'] as { config: { layers: Record<string, unknown>[] } };
    mutate(topo.config.layers, json);
    return () => importTfjs({ modelJson: json, shards });
  };
  refused(
    edit((ls) => (ls[1]!['class_name'] = 'LayerNormalization')),
    /model\.json: layer 'repeat_vector_RepeatVector\d+' is a LayerNormalization, which Hourglass cannot import/,
  );
  refused(
    edit((ls) => ((ls[0]!['config'] as Record<string, unknown>)['recurrent_activation'] = 'hard_sigmoid')),
    /recurrent_activation: activation "hard_sigmoid" is not supported/,
  );
  refused(
    edit((ls) => ((ls[0]!['config'] as Record<string, unknown>)['return_state'] = true)),
    /option return_state=true is not supported/,
  );
  refused(
    edit((ls) => ((ls[2]!['config'] as Record<string, unknown>)['recurrent_dropout'] = 0.2)),
    /option recurrent_dropout=0.2 is not supported/,
  );
  refused(
    edit((ls) => ((ls[0]!['config'] as Record<string, unknown>)['batch_input_shape'] = [null, null, 3])),
    /free axis besides the batch/,
  );
  refused(
    edit((_, json) => {
      const g = (json['weightsManifest'] as { weights: { shape: number[] }[] }[])[0]!;
      g.weights[0]!.shape = [20, 3];
    }),
    /weight 'lstm_LSTM\d+\/kernel' has shape \[20, 3\], layer 'lstm_LSTM\d+' needs \[3, 20\]/,
  );
  refused(
    edit((_, json) => {
      const g = (json['weightsManifest'] as { weights: { name: string }[] }[])[0]!;
      g.weights[0]!.name = 'elsewhere/kernel';
    }),
    /weight 'elsewhere\/kernel' belongs to no parameter/,
  );
  refused(
    edit((_, json) => ((json['weightsManifest'] as { paths: string[] }[])[0]!.paths = ['../outside.bin'])),
    /is not a file next to model.json/,
  );
  const { json } = fixtureFiles('lstm_ae_sharded');
  refused(() => importTfjs({ modelJson: json, shards: {} }), /weight shard 'group1-shard1of2.bin' is missing/);
  refused(
    () => importTfjs({ modelJson: { format: 'graph-model', modelTopology: { node: [] } }, shards: {} }),
    /graph model/,
  );
  refused(() => importTfjs({ modelJson: '{"weightsManifest": []}', shards: {} }), /no modelTopology/);
});
