// lstm, gru, repeatVector, timeDistributed: forward, final state and every gradient against
// PyTorch nn.LSTM / nn.GRU (tools/make_recurrent_fixtures.py, recurrent.json: batch 3, steps 7,
// features 5, units 6, returnSequences and goBackwards both ways; the gate mapping is written in
// the script), finite differences of a training loss, wasm vs reference executors, save/load,
// and the refusals of bad options and shapes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import {
  getThreads,
  input,
  layers,
  loadModel,
  model,
  setSeed,
  setThreads,
  tensor,
  type Model,
} from '../../src/index.js';
import { threadsStarted, workerJobCounts } from '../../src/engine/threads.js';
import { GRU } from '../../src/layers/gru.js';
import { initialize } from '../../src/layers/initializers.js';
import { LSTM } from '../../src/layers/lstm.js';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { compareExecutors } from '../helpers/executor_compare.js';
import { fixture } from '../helpers/fixtures.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';
import { checkModelGradients } from '../helpers/model_harness.js';

interface RecurrentCase {
  layer: 'lstm' | 'gru';
  options: { units: number; returnSequences: boolean; goBackwards: boolean; resetAfter?: boolean };
  xShape: [number, number, number];
  x: number[];
  kernel: number[];
  recurrentKernel: number[];
  bias: number[];
  y: number[];
  upstream: number[];
  dx: number[];
  dKernel: number[];
  dRecurrentKernel: number[];
  dBias: number[];
  finalH: number[];
  finalC?: number[];
}
const { cases } = fixture<{ cases: RecurrentCase[] }>('recurrent.json');

function make(c: RecurrentCase): RecurrentLayer {
  const { units, ...o } = c.options;
  const init = {
    kernelInitializer: { values: c.kernel },
    recurrentInitializer: { values: c.recurrentKernel },
    biasInitializer: { values: c.bias },
  };
  // unitForgetBias would overwrite the given forget-gate biases with ones.
  return c.layer === 'lstm'
    ? new LSTM(units, { ...o, ...init, unitForgetBias: false })
    : new GRU(units, { ...o, ...init });
}

for (const c of cases) {
  test(`${c.layer} ${JSON.stringify(c.options)} matches PyTorch: output, final state, all gradients`, () => {
    const layer = make(c);
    const [batch, steps] = c.xShape;
    const r = runLayer(layer, c.xShape.slice(1), batch, Float32Array.from(c.x), Float32Array.from(c.upstream));
    assertClose(r.y, c.y, 1e-5, 2e-6, 'output');
    // The final state is the last output (returnSequences: the last step of each sample).
    const u = c.options.units;
    const last = c.options.returnSequences
      ? Array.from({ length: batch * u }, (_, i) => r.y[(Math.floor(i / u) * steps + steps - 1) * u + (i % u)]!)
      : Array.from(r.y);
    assertClose(last, c.finalH, 1e-5, 2e-6, 'final state h');
    assertClose(r.dx, c.dx, 1e-4, 1e-5, 'd input');
    assertClose(r.paramGrads[0]!, c.dKernel, 1e-4, 1e-5, 'd kernel');
    assertClose(r.paramGrads[1]!, c.dRecurrentKernel, 1e-4, 1e-5, 'd recurrent kernel');
    assertClose(r.paramGrads[2]!, c.dBias, 1e-4, 1e-5, 'd bias');
  });
}

test('lstm final cell state matches PyTorch (the cells buffer at the last processed step)', () => {
  for (const c of cases.filter((k) => k.layer === 'lstm')) {
    const [batch, steps, features] = c.xShape;
    const x = input([steps, features]);
    const layer = make(c);
    const m = model({ inputs: x, outputs: layer.apply(x) });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const plan = m.planForTraining(batch);
    plan.input.view().set(c.x);
    plan.forward(batch);
    const cells = plan
      .buffers()
      .find((b) => b.label === `${layer.name}.cells`)!
      .buf.view();
    const u = c.options.units,
      slot = c.options.goBackwards ? 0 : steps - 1;
    const finalC = Array.from(
      { length: batch * u },
      (_, i) => cells[(Math.floor(i / u) * steps + slot) * u + (i % u)]!,
    );
    assertClose(finalC, c.finalC!, 1e-5, 2e-6, `final cell state ${JSON.stringify(c.options)}`);
  }
});

// Finite differences of sum(upstream * output) at the layer (input and every weight), with
// activations other than the defaults too (the kernels' scalar paths).
const fdCases: [string, () => RecurrentLayer, number[]?][] = [
  ['lstm', () => new LSTM(5, { returnSequences: true, kernelInitializer: { uniform: { min: -0.5, max: 0.5 } } })],
  ['lstm goBackwards, last step', () => new LSTM(3, { goBackwards: true })],
  ['lstm softplus/tanh activations', () => new LSTM(4, { activation: 'softplus', recurrentActivation: 'tanh' })],
  ['lstm without bias, one step', () => new LSTM(4, { useBias: false, returnSequences: true }), [1, 3]],
  ['gru', () => new GRU(5, { returnSequences: true, biasInitializer: { uniform: { min: -0.5, max: 0.5 } } })],
  ['gru goBackwards, last step', () => new GRU(3, { goBackwards: true })],
  ['gru sigmoid activation', () => new GRU(4, { activation: 'sigmoid', returnSequences: true })],
  ['gru without bias, one step', () => new GRU(4, { useBias: false }), [1, 3]],
  ['gru resetAfter false', () => new GRU(5, { resetAfter: false, returnSequences: true })],
  [
    'gru resetAfter false, softplus, goBackwards',
    () => new GRU(3, { resetAfter: false, activation: 'softplus', goBackwards: true }),
  ],
];
for (const [name, build, shape] of fdCases) {
  test(`${name}: gradients match finite differences`, () => {
    const rng = new Random(3);
    const layer = build();
    const inShape = shape ?? [4, 3],
      batch = 2;
    const out = layer.returnSequences ? inShape[0]! * layer.units : layer.units;
    checkGradients(layer, inShape, batch, randomArray(batch * inShape[0]! * 3, rng), randomArray(batch * out, rng), {
      eps: 1e-2,
      rtol: 2e-2,
      atol: 5e-4,
    });
  });
}

test('lstm starts its forget-gate bias at one (unitForgetBias, as Keras), zeros elsewhere', () => {
  const l = new LSTM(3);
  l.apply(input([4, 2]));
  assert.deepEqual(Array.from(l.bias!.value.view()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const off = new LSTM(3, { unitForgetBias: false });
  off.apply(input([4, 2]));
  assert.ok(off.bias!.value.view().every((v) => v === 0));
  assert.deepEqual(l.recurrentKernel.shape, [3, 12]);
  const g = new GRU(3);
  g.apply(input([4, 2]));
  assert.deepEqual(
    [g.kernel.shape, g.recurrentKernel.shape, g.bias!.shape],
    [
      [2, 9],
      [3, 9],
      [2, 9],
    ],
  );
});

test('repeatVector and timeDistributed(dense): shapes, values and finite differences', () => {
  const rng = new Random(8);
  const rep = layers.repeatVector(4);
  const x = randomArray(2 * 3, rng);
  const r = runLayer(rep, [3], 2, x, randomArray(2 * 4 * 3, rng));
  for (let b = 0; b < 2; b++)
    for (let t = 0; t < 4; t++)
      for (let f = 0; f < 3; f++) assert.equal(r.y[(b * 4 + t) * 3 + f], x[b * 3 + f], 'repeated value');
  checkGradients(layers.repeatVector(4), [3], 2, x, randomArray(2 * 4 * 3, rng));
  const td = layers.timeDistributed(layers.dense(2, { activation: 'tanh' }));
  const xs = randomArray(2 * 5 * 3, rng);
  const y = runLayer(td, [5, 3], 2, xs, randomArray(2 * 5 * 2, rng)).y;
  // Each step is the dense layer on that step's features alone.
  const [w, bias] = td.params.map((p) => p.value.view());
  for (let row = 0; row < 10; row++)
    for (let k = 0; k < 2; k++) {
      let z = bias![k]!;
      for (let f = 0; f < 3; f++) z += xs[row * 3 + f]! * w![f * 2 + k]!;
      assert.ok(Math.abs(y[row * 2 + k]! - Math.tanh(z)) < 1e-5, `step ${row} unit ${k}`);
    }
  checkGradients(td, [5, 3], 2, xs, randomArray(2 * 5 * 2, rng));
});

/** input(steps, f) -> encoder -> repeatVector -> decoder (returnSequences) -> timeDistributed(dense(f)). */
type Kind = 'lstm' | 'gru' | 'gruResetBefore';
function encoderDecoder(steps: number, features: number, kinds: [Kind, Kind], units = 5): Model {
  const rnn = (kind: Kind, options: { returnSequences?: boolean; goBackwards?: boolean }) =>
    kind === 'lstm' ? layers.lstm(units, options) : layers.gru(units, { ...options, resetAfter: kind === 'gru' });
  const x = input([steps, features]);
  const code = rnn(kinds[0], { goBackwards: true }).apply(x);
  const seq = rnn(kinds[1], { returnSequences: true }).apply(layers.repeatVector(steps).apply(code));
  return model({ inputs: x, outputs: layers.timeDistributed(layers.dense(features)).apply(seq) });
}

test('finite differences of the training loss of an lstm -> repeatVector -> gru -> timeDistributed model', () => {
  setSeed(5);
  const m = encoderDecoder(4, 2, ['lstm', 'gru'], 3);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const rng = new Random(4);
  const x = randomArray(3 * 8, rng);
  // The decoder after repeatVector projects its input once per sample (not once per step).
  assert.ok(
    m
      .planForTraining(3)
      .buffers()
      .some((b) => b.label.endsWith('.stepProjection')),
  );
  const loss = checkModelGradients(m, x, x, 3);
  assert.ok(loss > 0 && Number.isFinite(loss));
});

test('fast and reference executors agree on small LSTM and GRU encoder-decoders', () => {
  for (const kinds of [
    ['lstm', 'lstm'],
    ['gru', 'lstm'],
    ['lstm', 'gruResetBefore'],
  ] as const) {
    setSeed(6);
    const m = encoderDecoder(9, 3, [kinds[0], kinds[1]], 7);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const rng = new Random(2);
    const x = randomArray(5 * 27, rng);
    const report = compareExecutors(m, x, x, 5);
    assert.ok(report.operations > 4 * 9, `${report.operations} operations compared`);
  }
});

test('recurrent training is bit-identical on one and two threads (per-step GEMMs split by rows)', async () => {
  const data = tensor(randomArray(64 * 12 * 2, new Random(5)), [64, 12, 2]);
  const train = async (threads: number) => {
    setThreads(threads);
    // Workers start asynchronously (slowly on a loaded machine): wait until they are up.
    for (let i = 0; i < 200 && !threadsStarted(); i++) await new Promise((r) => setTimeout(r, 50));
    setSeed(9);
    const m = encoderDecoder(12, 2, ['lstm', 'gru'], 32);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const jobs = workerJobCounts()[0] ?? 0;
    const h = await m.fit(data, data, { epochs: 2, batchSize: 32, verbose: false, shuffle: false });
    return { loss: h.history['loss']!, jobs: (workerJobCounts()[0] ?? 0) - jobs, weights: m.getWeights() };
  };
  const threads = getThreads();
  try {
    const one = await train(1);
    const two = await train(2);
    assert.ok(two.jobs > 0, 'the worker computed shares of the GEMMs');
    assert.deepEqual(two.loss, one.loss);
    assert.deepEqual(
      two.weights.map((w) => Array.from(w)),
      one.weights.map((w) => Array.from(w)),
    );
  } finally {
    setThreads(threads);
  }
});

test('a model with lstm, gru, repeatVector and timeDistributed round-trips through save/load', async () => {
  setSeed(7);
  const m = encoderDecoder(6, 2, ['gruResetBefore', 'lstm']);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const data = tensor(randomArray(10 * 12, new Random(3)), [10, 6, 2]);
  await m.fit(data, data, { epochs: 1, batchSize: 4, verbose: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-recurrent-'));
  m.save(dir);
  const { model: back } = loadModel(dir);
  assert.deepEqual(Array.from(back.predict(data).data), Array.from(m.predict(data).data));
  assert.deepEqual(
    back.layers.map((l) => l.className),
    m.layers.map((l) => l.className),
  );
  fs.rmSync(dir, { recursive: true });
});

test('an lstm -> repeatVector -> lstm -> timeDistributed(dense) autoencoder learns sine windows', async () => {
  // Small windows keep the test quick; tools/lstm_sine_autoencoder.ts runs the window-128 model.
  setSeed(1);
  const window = 24,
    samples = 128;
  const rng = new Random(3);
  const data = new Float32Array(samples * window);
  for (let s = 0; s < samples; s++) {
    const phase = 2 * Math.PI * rng.uniform();
    for (let t = 0; t < window; t++) data[s * window + t] = Math.sin(2 * Math.PI * 0.08 * t + phase);
  }
  const x = tensor(data, [samples, window, 1]);
  const inp = input([window, 1]);
  const code = layers.lstm(16).apply(inp);
  const seq = layers.lstm(16, { returnSequences: true }).apply(layers.repeatVector(window).apply(code));
  const ae = model({ inputs: inp, outputs: layers.timeDistributed(layers.dense(1)).apply(seq) });
  ae.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse' });
  const h = await ae.fit(x, x, { epochs: 40, batchSize: 32, verbose: false });
  const loss = h.history['loss']!;
  // Predicting the mean leaves the variance, 0.5: the loss must fall far below that.
  assert.ok(loss[0]! > 0.3 && loss[loss.length - 1]! < 0.05, `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
});

test('orthogonal initializer: orthonormal rows (wide) or columns (tall), same seed same weights', () => {
  for (const [rows, cols] of [
    [6, 24],
    [24, 6],
    [5, 5],
  ] as const) {
    const draw = (seed: number) => {
      const out = new Float32Array(rows * cols);
      initialize('orthogonal', [rows, cols], out, new Random(seed), 'test');
      return out;
    };
    const w = draw(3);
    assert.deepEqual(Array.from(draw(3)), Array.from(w));
    assert.notDeepEqual(Array.from(draw(4)), Array.from(w));
    // The Gram matrix of the shorter side is the identity.
    const wide = rows <= cols,
      n = wide ? rows : cols,
      len = wide ? cols : rows;
    const at = (i: number, k: number) => (wide ? w[i * cols + k]! : w[k * cols + i]!);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < len; k++) dot += at(i, k) * at(j, k);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `[${rows}, ${cols}] gram[${i}][${j}] = ${dot}`);
      }
  }
  const gained = new Float32Array(16);
  initialize({ orthogonal: { gain: 2 } }, [4, 4], gained, new Random(1), 'test');
  let sq = 0;
  for (let k = 0; k < 4; k++) sq += gained[k]! ** 2;
  assert.ok(Math.abs(sq - 4) < 1e-5, 'gain scales the rows');
});

test('bad options and shapes are refused with a clear HourglassError', () => {
  const refuses = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof HourglassError && pattern.test(e.message));
  refuses(() => layers.lstm(0), /units must be a positive integer/);
  refuses(() => layers.gru(2.5), /units must be a positive integer/);
  refuses(() => layers.gru(4, { resetAfter: 'no' as never }), /resetAfter' must be true or false/);
  refuses(() => layers.lstm(4, { unitForgetBias: 1 as never }), /unitForgetBias' must be true or false/);
  refuses(() => layers.lstm(4, { activation: 'gelu' }), /activation 'gelu' is not supported/);
  refuses(() => layers.lstm(4, { recurrentActivation: 'nope' as never }), /unknown activation/);
  refuses(() => layers.lstm(4, { returnSequences: 'yes' as never }), /returnSequences' must be true or false/);
  refuses(() => layers.lstm(4).apply(input([10])), /needs input of shape \[batch, steps, features\]/);
  refuses(() => layers.gru(4).apply(input([3, 4, 5])), /needs input of shape \[batch, steps, features\]/);
  refuses(() => layers.repeatVector(0), /n must be a positive integer/);
  refuses(() => layers.repeatVector(3).apply(input([3, 4])), /needs input of shape \[batch, features\]/);
  refuses(() => layers.timeDistributed(layers.lstm(3)), /timeDistributed supports a dense layer/);
  refuses(() => layers.timeDistributed(layers.dense(3)).apply(input([4])), /needs input of shape \[batch, steps/);
});
