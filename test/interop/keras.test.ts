// Keras import on files laid out as Keras writes them (tools/make_keras_fixtures.py, whose numpy
// forward passes from the stored weights give the expected outputs): every fixture predicts its
// values within 1e-5 and encodes at the expected code layer; imported models fine-tune, save and
// load; unsupported layers and options, and damaged files, are refused in one line naming them.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { HourglassError } from '../../src/engine/errors.js';
import { snakeCase } from '../../src/interop/keras/graph.js';
import { importKeras, importKerasAutoencoder } from '../../src/index.js';
import { saveModel } from '../../src/model/save.js';
import { loadAutoencoder } from '../../src/models/kinds.js';

const DIR = new URL('../fixtures/keras/', import.meta.url).pathname;
const FIXTURES = [
  'dense_ae.keras',
  'conv_ae.keras',
  'sequence_ae.keras',
  'nested_ae.keras',
  'legacy_dense.h5',
  'legacy_sequence.h5',
  'legacy_nested.h5',
];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-keras-'));

interface Expected {
  inputShape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
  codeLayer: string;
  codeReason: string;
  codeShape: number[];
  codes: number[];
}

const bytesOf = (file: string) => new Uint8Array(fs.readFileSync(path.join(DIR, file)));
const expectedOf = (file: string): Expected =>
  JSON.parse(fs.readFileSync(path.join(DIR, file.replace(/\.(keras|h5)$/, '.json')), 'utf8')) as Expected;
const inputOf = (e: Expected) => ({ data: Float32Array.from(e.input), shape: e.inputShape });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** The HourglassError a call throws, checked to be one line. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof HourglassError, `expected an HourglassError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `not one line: ${e.message}`);
    return e.message;
  }
  assert.fail('expected a refusal');
}

async function hourglass(...args: string[]): Promise<number> {
  process.exitCode = 0;
  await main(['node', 'hourglass', ...args, '--json']);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

interface EditableConfig {
  config: { layers: { class_name: string; config: Record<string, unknown> & { layer: { class_name: string } } }[] };
}

/** A copy of a .keras archive whose config.json went through `edit`. */
function editedKeras(file: string, edit: (config: EditableConfig & Record<string, unknown>) => void): Uint8Array {
  const entries = unzipSync(bytesOf(file));
  const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as EditableConfig &
    Record<string, unknown>;
  edit(config);
  return zipSync({ ...entries, 'config.json': new TextEncoder().encode(JSON.stringify(config)) }, { level: 0 });
}

for (const file of FIXTURES) {
  test(`${file}: predicts the numpy values and encodes at the expected code layer`, () => {
    const e = expectedOf(file);
    const r = importKeras(bytesOf(file), { where: file });
    try {
      const y = r.model.predict(inputOf(e));
      assert.deepEqual(y.shape, e.outputShape);
      const d = maxDiff(y.data, e.output);
      assert.ok(d < 1e-5, `${file}: predictions differ by ${d}`);
      assert.deepEqual(r.code, { layer: e.codeLayer, reason: e.codeReason, shape: e.codeShape });
      // As a saved folder: an autoencoder whose encode is the Keras model's code.
      const dir = path.join(tmp, file);
      saveModel(r.model, dir, r.extra);
      const ae = loadAutoencoder(dir);
      const codes = ae.encode(inputOf(e));
      assert.ok(maxDiff(codes.data, e.codes) < 1e-5, `${file}: codes differ by ${maxDiff(codes.data, e.codes)}`);
      assert.ok(maxDiff(ae.reconstruct(inputOf(e)).data, e.output) < 1e-5);
      // The decoder takes the code back to the output.
      assert.ok(maxDiff(ae.decode(codes).data, e.output) < 1e-5);
      ae.dispose();
    } finally {
      r.model.dispose();
    }
  });
}

test('an imported autoencoder fine-tunes, saves and loads', async () => {
  const e = expectedOf('legacy_dense.h5');
  const r = importKeras(bytesOf('legacy_dense.h5'), { where: 'legacy_dense.h5' });
  const dir = path.join(tmp, 'tuned');
  saveModel(r.model, dir, r.extra);
  r.model.dispose();
  const ae = loadAutoencoder(dir);
  const x = inputOf(e);
  const history = await ae.fit(x, { epochs: 8, batchSize: 5, learningRate: 0.01, verbose: false, seed: 3 });
  const losses = history.history['loss']!;
  assert.ok(losses.at(-1)! < losses[0]!, `loss did not fall: ${losses.join(', ')}`);
  const tuned = ae.reconstruct(x).data;
  assert.ok(maxDiff(tuned, e.output) > 1e-3, 'fine-tuning left the weights as imported');
  ae.save(dir);
  const back = loadAutoencoder(dir);
  assert.equal(maxDiff(back.reconstruct(x).data, tuned), 0);
  assert.equal(back.trainingHistory.runs.length, 1);
  ae.dispose();
  back.dispose();
});

test('importKerasAutoencoder gives the Autoencoder; a model that is none is refused', () => {
  const e = expectedOf('sequence_ae.keras');
  const ae = importKerasAutoencoder(bytesOf('sequence_ae.keras'), { where: 'sequence_ae.keras' });
  assert.equal(ae.kind, 'sequence');
  assert.ok(maxDiff(ae.encode(inputOf(e)).data, e.codes) < 1e-5);
  assert.ok(maxDiff(ae.score(inputOf(e)), rowMse(e)) < 1e-5);
  ae.dispose();
  const cut = editedKeras('dense_ae.keras', (c) => c.config.layers.splice(-1));
  assert.match(
    refusal(() => importKerasAutoencoder(cut, { where: 'cut.keras' })),
    /cut\.keras: not an autoencoder \(input \[8\], output \[6\]\)/,
  );
});

/** Per-row mean squared difference between the input and the expected output (the anomaly score). */
function rowMse(e: Expected): number[] {
  const rows = e.inputShape[0]!;
  const n = e.input.length / rows;
  return Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let i = r * n; i < (r + 1) * n; i++) s += (e.input[i]! - e.output[i]!) ** 2;
    return s / n;
  });
}

test('config variants Keras writes: no InputLayer (shape from build_config or batch_input_shape), regularizers', () => {
  const e = expectedOf('dense_ae.keras');
  const variants: ((c: EditableConfig & Record<string, unknown>) => void)[] = [
    (c) => c.config.layers.splice(0, 1),
    (c) => {
      c.config.layers.splice(0, 1);
      delete c['build_config'];
      c.config.layers[0]!.config['batch_input_shape'] = [null, 8];
    },
    (c) => {
      c.config.layers[1]!.config['kernel_regularizer'] = {
        module: 'keras.regularizers',
        class_name: 'L2',
        config: { l2: 0.01 },
        registered_name: null,
      };
    },
  ];
  for (const edit of variants) {
    const r = importKeras(editedKeras('dense_ae.keras', edit), { where: 'variant.keras' });
    assert.ok(maxDiff(r.model.predict(inputOf(e)).data, e.output) < 1e-5);
    r.model.dispose();
  }
  const r = importKeras(editedKeras('dense_ae.keras', variants[2]!), { where: 'variant.keras' });
  const dense = r.model.layers.find((l) => l.name === 'dense')!;
  assert.deepEqual((dense.getOptions() as { kernelRegularizer?: unknown }).kernelRegularizer, { l1: 0, l2: 0.01 });
  r.model.dispose();
});

test('a layer class Hourglass lacks is refused with its name (MultiHeadAttention)', () => {
  const msg = refusal(() => importKeras(bytesOf('attention.keras'), { where: 'attention.keras' }));
  assert.match(
    msg,
    /^attention\.keras: layer 'multi_head_attention' is a MultiHeadAttention, which Hourglass cannot import/,
  );
});

test('options Hourglass lacks are refused, naming the layer and the option', () => {
  const cases: [string, (c: EditableConfig) => void, RegExp][] = [
    [
      'dense_ae.keras',
      (c) => (c.config.layers[1]!.config.kernel_constraint = { class_name: 'NonNeg', config: {} }),
      /layer 'dense' \(Dense\): option kernel_constraint=/,
    ],
    [
      'dense_ae.keras',
      (c) => (c.config.layers[1]!.config.activation = 'softmax'),
      /layer 'dense' \(Dense\): activation: activation "softmax" is not supported/,
    ],
    [
      'dense_ae.keras',
      (c) => (c.config.layers[3]!.config.noise_shape = [null, 1]),
      /layer 'dropout' \(Dropout\): option noise_shape=/,
    ],
    [
      'dense_ae.keras',
      (c) => (c.config.layers[2]!.config.axis = 0),
      /layer 'batch_normalization' \(BatchNormalization\) normalizes axis 0/,
    ],
    [
      'conv_ae.keras',
      (c) => (c.config.layers[1]!.config.data_format = 'channels_first'),
      /layer 'conv2d' \(Conv2D\): option data_format="channels_first"/,
    ],
    ['conv_ae.keras', (c) => (c.config.layers[1]!.config.groups = 2), /layer 'conv2d' \(Conv2D\): option groups=2/],
    [
      'conv_ae.keras',
      (c) => (c.config.layers[11]!.config.output_padding = [1, 1]),
      /layer 'conv2d_transpose' \(Conv2DTranspose\): option output_padding=/,
    ],
    [
      'sequence_ae.keras',
      (c) => (c.config.layers[3]!.config.return_state = true),
      /layer 'lstm' \(LSTM\): option return_state=true/,
    ],
    [
      'sequence_ae.keras',
      (c) => (c.config.layers[3]!.config.recurrent_dropout = 0.2),
      /layer 'lstm' \(LSTM\): option recurrent_dropout=0.2/,
    ],
    [
      'sequence_ae.keras',
      (c) => (c.config.layers[1]!.config.padding = 'full'),
      /layer 'conv1d' \(Conv1D\): option padding="full"/,
    ],
    [
      'sequence_ae.keras',
      (c) => (c.config.layers[7]!.config.layer.class_name = 'Conv1D'),
      /layer 'time_distributed' \(TimeDistributed\): wrapping a Conv1D layer/,
    ],
    [
      'sequence_ae.keras',
      (c) => (c.config.layers[0]!.config.batch_shape = [null, null, 3]),
      /sizes left open \(None\)/,
    ],
  ];
  for (const [file, edit, want] of cases)
    assert.match(
      refusal(() => importKeras(editedKeras(file, edit), { where: file })),
      want,
    );
});

test('damaged and truncated files give one-line errors', () => {
  const keras = bytesOf('dense_ae.keras');
  const h5 = bytesOf('legacy_dense.h5');
  const weights = unzipSync(keras)['model.weights.h5']!;
  const flipped = keras.slice();
  flipped[Math.floor(keras.length * 0.6)]! ^= 0xff;
  const cases: [Uint8Array, RegExp][] = [
    [keras.subarray(0, keras.length >> 1), /x: the zip is truncated or damaged/],
    [flipped, /x: (model\.weights\.h5 in the zip is damaged|the zip is)/],
    // A weights file cut short but zipped intact: the HDF5 reader's failure, in one line.
    [
      zipSync({ ...unzipSync(keras), 'model.weights.h5': weights.subarray(0, weights.length >> 1) }),
      /x\/model\.weights\.h5: the HDF5 file is truncated \(\d+ of its \d+ bytes\)/,
    ],
    [
      zipSync({ ...unzipSync(keras), 'model.weights.h5': weights.subarray(0, 100) }),
      /x\/model\.weights\.h5: the HDF5 file is truncated/,
    ],
    [zipSync({ 'metadata.json': new Uint8Array(2) }), /x: not a Keras 3 archive, it has no config\.json/],
    [
      zipSync({ 'config.json': unzipSync(keras)['config.json']!, 'model.weights.json': new Uint8Array(2) }),
      /x: its weights are sharded \(model\.weights\.json\)/,
    ],
    [
      zipSync({ ...unzipSync(keras), 'config.json': new TextEncoder().encode('{"class_name": ') }),
      /x\/config\.json: not valid JSON/,
    ],
    [h5.subarray(0, h5.length >> 1), /^x: the HDF5 file is truncated/],
    // Cut inside the superblock: what jsfive says, as one line.
    [h5.subarray(0, 40), /^x: cannot read the file, the HDF5 file is damaged or truncated \(/],
    [new TextEncoder().encode('hello, this is no model'), /x: not a Keras model/],
  ];
  for (const [bytes, want] of cases)
    assert.match(
      refusal(() => importKeras(bytes, { where: 'x' })),
      want,
    );
});

test("Keras's group names for layers (naming.to_snake_case), as Python computes them", () => {
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'snake_case.json'), 'utf8')) as Record<string, string>;
  for (const [cls, snake] of Object.entries(expected)) assert.equal(snakeCase(cls), snake, cls);
});

test('hourglass import model.keras --out DIR, then encode with the folder', async () => {
  const e = expectedOf('conv_ae.keras');
  const out = path.join(tmp, 'cli-conv');
  assert.equal(await hourglass('import', path.join(DIR, 'conv_ae.keras'), '--out', out), 0);
  const npy = path.join(tmp, 'conv.npy');
  fs.writeFileSync(npy, npyBytes(e.input, e.inputShape));
  const codes = path.join(tmp, 'codes.json');
  assert.equal(await hourglass('encode', out, npy, '--out', codes), 0);
  const written = JSON.parse(fs.readFileSync(codes, 'utf8')) as { codes: number[][] };
  assert.ok(maxDiff(written.codes.flat(), e.codes) < 1e-5);
  // --code-layer moves the split; an unknown name and a missing --out are refused.
  const other = path.join(tmp, 'cli-conv-flatten');
  assert.equal(
    await hourglass('import', path.join(DIR, 'conv_ae.keras'), '--out', other, '--code-layer', 'flatten'),
    0,
  );
  assert.deepEqual(loadAutoencoder(other).codeShape, [27]);
  assert.equal(
    await hourglass('import', path.join(DIR, 'conv_ae.keras'), '--out', path.join(tmp, 'n'), '--code-layer', 'nope'),
    1,
  );
  assert.equal(await hourglass('import', path.join(DIR, 'conv_ae.keras')), 1);
  assert.equal(
    await hourglass('import', path.join(DIR, 'conv_ae.keras'), '--out', out),
    1,
    'overwrote without --overwrite',
  );
  assert.equal(fs.existsSync(path.join(tmp, 'n')), false);
});

/** A float32 .npy file (format 1.0) of the values in the shape. */
function npyBytes(values: number[], shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  const data = new Uint8Array(Float32Array.from(values).buffer);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}
