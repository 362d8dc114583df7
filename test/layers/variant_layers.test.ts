// The layers behind the autoencoder variants: input corruptions, the VAE's sampling layer with its
// KL term, KL sparsity and the contractive penalty. Values against closed forms computed here
// independently (and a numerical Jacobian for the contractive penalty); gradients of the whole
// training loss against finite differences.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { input, layers, model, type Model, type SymbolicTensor } from '../../src/index.js';
import { GaussianNoise } from '../../src/layers/gaussian_noise.js';
import { MaskingNoise, SaltAndPepper } from '../../src/layers/corruption.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';
import { checkModelGradients } from '../helpers/model_harness.js';

test('maskingNoise zeroes about rate of the values without rescaling, in training only', () => {
  const n = 20000;
  const x = new Float32Array(n).fill(0.7);
  const r = runLayer(new MaskingNoise(0.25), [100], n / 100, x, new Float32Array(n).fill(1));
  const zeros = r.y.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / n - 0.25) < 0.02, `masked share ${zeros / n}`);
  assert.ok(
    r.y.every((v) => v === 0 || Math.abs(v - 0.7) < 1e-7),
    'kept values unchanged',
  );
  assertClose(
    r.dx,
    Array.from(r.y, (v) => (v === 0 ? 0 : 1)),
    0,
    0,
    'gradient passes kept values only',
  );
  const inference = runLayer(new MaskingNoise(0.25), [100], n / 100, x, new Float32Array(n), { training: false });
  assertClose(inference.y, x, 0, 0, 'inference output');
  checkGradients(new MaskingNoise(0.3), [6], 4, randomArray(24, new Random(2)), randomArray(24, new Random(3)));
});

test('saltAndPepper sets about rate of the values to low or high, half each', () => {
  const n = 20000;
  const x = new Float32Array(n).fill(0.5);
  const r = runLayer(new SaltAndPepper(0.2, { low: -1, high: 2 }), [100], n / 100, x, new Float32Array(n));
  const low = r.y.filter((v) => v === -1).length / n,
    high = r.y.filter((v) => v === 2).length / n;
  assert.ok(Math.abs(low - 0.1) < 0.015 && Math.abs(high - 0.1) < 0.015, `low ${low}, high ${high}`);
  assert.ok(
    r.y.every((v) => v === -1 || v === 2 || v === 0.5),
    'other values unchanged',
  );
  checkGradients(new SaltAndPepper(0.3), [6], 4, randomArray(24, new Random(4)), randomArray(24, new Random(5)));
});

test('gaussianNoise with clip keeps values in range and passes no gradient where it clipped', () => {
  const n = 20000;
  const x = randomArray(n, new Random(6)).map((v) => (v + 1) / 2);
  const r = runLayer(new GaussianNoise(0.5, { clip: [0, 1] }), [100], n / 100, x, new Float32Array(n).fill(1));
  assert.ok(
    r.y.every((v) => v >= 0 && v <= 1),
    'clipped to [0, 1]',
  );
  const clipped = r.y.filter((v) => v === 0 || v === 1).length;
  assert.ok(clipped > n * 0.2, `a noise of 0.5 clips many values (${clipped})`);
  assertClose(
    r.dx,
    Array.from(r.y, (v) => (v === 0 || v === 1 ? 0 : 1)),
    0,
    0,
    'gradient mask',
  );
  checkGradients(
    new GaussianNoise(0.3, { clip: [-0.5, 0.5] }),
    [5],
    3,
    randomArray(15, new Random(7), 0.4),
    randomArray(15, new Random(8)),
  );
});

/** Replays the same standard-normal draws on every call after reset (fixed eps for finite differences). */
function replayNormals(m: Model): () => void {
  const rng = m.compiled!.random;
  const draws: number[] = [];
  const source = new Random(99);
  let at = 0;
  rng.normal = () => {
    if (at === draws.length) draws.push(source.normal());
    return draws[at++]!;
  };
  return () => {
    at = 0;
  };
}

test('sampling: KL term equals the closed form, and the loss has finite-difference gradients', () => {
  const x = input([4]);
  const h = layers.dense(5, { activation: 'tanh' }).apply(x);
  const mean = layers.dense(3, { name: 'mean' }).apply(h);
  const logVar = layers.dense(3, { name: 'log_var' }).apply(h);
  const z = layers.sampling({ klWeight: 0.7 }).apply([mean, logVar]);
  const y = layers.dense(4).apply(z);
  const m = model({ inputs: x, outputs: y });
  m.compile({ optimizer: 'sgd', loss: 'mse', seed: 3 });
  const rng = new Random(12);
  const xs = randomArray(12, rng),
    ts = randomArray(12, rng);
  checkModelGradients(m, xs, ts, 3, replayNormals(m));

  // Evaluation: the output uses the mean, and the loss adds 0.7 * mean KL per example.
  const sub = (out: SymbolicTensor) => model({ inputs: x, outputs: out }).predict({ data: xs, shape: [3, 4] }).data;
  const mu = sub(mean),
    lv = sub(logVar);
  let kl = 0;
  for (let i = 0; i < mu.length; i++) kl += 0.5 * (Math.exp(lv[i]!) + mu[i]! ** 2 - 1 - lv[i]!);
  const pred = m.predict({ data: xs, shape: [3, 4] }).data;
  let mse = 0;
  for (let i = 0; i < 12; i++) mse += (pred[i]! - ts[i]!) ** 2 / 12;
  const ev = m.evaluate({ data: xs, shape: [3, 4] }, { data: ts, shape: [3, 4] });
  assert.ok(Math.abs(ev['loss']! - (mse + (0.7 * kl) / 3)) < 1e-5, `evaluate ${ev['loss']} vs ${mse + (0.7 * kl) / 3}`);
});

test('sampling draws z with the mean and variance the encoder gives, and passes the mean at inference', () => {
  const n = 4000;
  const x = input([2]);
  const meanLayer = layers.dense(2),
    logVarLayer = layers.dense(2);
  const z = layers.sampling().apply([meanLayer.apply(x), logVarLayer.apply(x)]);
  const m = model({ inputs: x, outputs: z });
  // mean = x, log variance = log(0.25): z ~ N(x, 0.5^2).
  meanLayer.params[0]!.value.view().set([1, 0, 0, 1]);
  meanLayer.params[1]!.value.view().fill(0);
  logVarLayer.params[0]!.value.view().fill(0);
  logVarLayer.params[1]!.value.view().fill(Math.log(0.25));
  const xs = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xs[2 * i] = 1;
    xs[2 * i + 1] = -2;
  }
  assertClose(m.predict({ data: xs, shape: [n, 2] }).data, xs, 0, 0, 'inference passes the mean through');
  m.compile({ loss: 'mse', seed: 5 });
  const plan = m.planForTraining(n);
  plan.input.view().set(xs);
  plan.forward(n);
  const out = plan.output.view();
  for (const [col, mu] of [
    [0, 1],
    [1, -2],
  ] as const) {
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = out[2 * i + col]!;
      s += v;
      s2 += v * v;
    }
    const mm = s / n,
      sd = Math.sqrt(s2 / n - mm * mm);
    assert.ok(Math.abs(mm - mu) < 0.03 && Math.abs(sd - 0.5) < 0.03, `column ${col}: mean ${mm}, sd ${sd}`);
  }
});

test('klSparsity adds weight * sum KL(target || mean activation) with finite-difference gradients', () => {
  const x = input([5]);
  const code = layers.dense(4, { activation: 'sigmoid' }).apply(x);
  const sparse = layers.klSparsity({ target: 0.1, weight: 0.5 }).apply(code);
  const m = model({ inputs: x, outputs: layers.dense(5).apply(sparse) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const rng = new Random(21);
  const xs = randomArray(20, rng),
    ts = randomArray(20, rng);
  checkModelGradients(m, xs, ts, 4);
  const h = model({ inputs: x, outputs: code }).predict({ data: xs, shape: [4, 5] }).data;
  let kl = 0;
  for (let j = 0; j < 4; j++) {
    let mj = 0;
    for (let b = 0; b < 4; b++) mj += h[b * 4 + j]! / 4;
    kl += 0.1 * Math.log(0.1 / mj) + 0.9 * Math.log(0.9 / (1 - mj));
  }
  const pred = m.predict({ data: xs, shape: [4, 5] }).data;
  let mse = 0;
  for (let i = 0; i < 20; i++) mse += (pred[i]! - ts[i]!) ** 2 / 20;
  const ev = m.evaluate({ data: xs, shape: [4, 5] }, { data: ts, shape: [4, 5] });
  assert.ok(Math.abs(ev['loss']! - (mse + 0.5 * kl)) < 1e-5, `evaluate ${ev['loss']} vs ${mse + 0.5 * kl}`);
});

for (const activation of ['sigmoid', 'tanh'] as const) {
  test(`contractive penalty (${activation}) equals weight * mean ||dh/dx||^2 from a numerical Jacobian; gradients check`, () => {
    const x = input([6]);
    const code = layers.dense(3, { activation, contractive: 0.3 }).apply(x);
    const m = model({ inputs: x, outputs: layers.dense(6).apply(layers.dense(4, { activation: 'tanh' }).apply(code)) });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const rng = new Random(31);
    const xs = randomArray(12, rng),
      ts = randomArray(12, rng);
    checkModelGradients(m, xs, ts, 2);
    // Jacobian of the code layer by central differences, in float64 over float32 predictions.
    const enc = model({ inputs: x, outputs: code });
    const eps = 1e-2;
    let frob = 0;
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 6; i++) {
        const plus = xs.slice(b * 6, b * 6 + 6),
          minus = plus.slice();
        plus[i]! += eps;
        minus[i]! -= eps;
        const hp = enc.predict({ data: plus, shape: [1, 6] }).data,
          hm = enc.predict({ data: minus, shape: [1, 6] }).data;
        for (let j = 0; j < 3; j++) frob += ((hp[j]! - hm[j]!) / (2 * eps)) ** 2;
      }
    }
    const expected = (0.3 * frob) / 2;
    const pred = m.predict({ data: xs, shape: [2, 6] }).data;
    let mse = 0;
    for (let i = 0; i < 12; i++) mse += (pred[i]! - ts[i]!) ** 2 / 12;
    const penalty = m.evaluate({ data: xs, shape: [2, 6] }, { data: ts, shape: [2, 6] })['loss']! - mse;
    assert.ok(Math.abs(penalty - expected) < 2e-3 * expected + 1e-6, `penalty ${penalty} vs numerical ${expected}`);
  });
}

test('contractive penalty refuses activations whose Jacobian it cannot form', () => {
  assert.throws(
    () => layers.dense(3, { activation: 'gelu', contractive: 0.1 }),
    /contractive penalty supports sigmoid, tanh, linear, relu/,
  );
});
