// Training with a target mask (missing values): the loss and its gradient leave masked cells out.
// Reference: the observed cells' squared error computed from predict(), differentiated numerically.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { input, layers, model } from '../../src/index.js';
import { assertClose, randomArray } from '../helpers/engine.js';

test("a masked training step has the gradient of the observed cells' loss only", () => {
  const x = input([5]);
  const m = model({
    inputs: x,
    outputs: layers.dense(5, { activation: 'sigmoid' }).apply(layers.dense(3, { activation: 'tanh' }).apply(x)),
  });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const rng = new Random(8);
  const xs = randomArray(20, rng),
    ts = randomArray(20, rng);
  const mask = Float32Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const plan = m.planForTraining(4, { masked: true });
  plan.input.view().set(xs);
  plan.target!.view().set(ts);
  plan.mask!.view().set(mask);
  const loss = plan.trainStep(4);
  const analytic = m.trainableParams().map((p) => p.grad.view().slice());
  const observedLoss = (): number => {
    const y = m.predict({ data: xs, shape: [4, 5] }).data;
    let s = 0;
    for (let i = 0; i < 20; i++) if (mask[i]) s += (Number(y[i]) - Number(ts[i])) ** 2;
    return s / 20;
  };
  assert.ok(Math.abs(loss - observedLoss()) < 1e-6, `loss ${loss} vs ${observedLoss()}`);
  const eps = 1e-3;
  m.trainableParams().forEach((p, k) => {
    const num = new Float32Array(p.value.length);
    for (let i = 0; i < num.length; i++) {
      const orig = p.value.view()[i]!;
      p.value.view()[i] = orig + eps;
      const fp = observedLoss();
      p.value.view()[i] = orig - eps;
      const fm = observedLoss();
      p.value.view()[i] = orig;
      num[i] = (fp - fm) / (2 * eps);
    }
    assertClose(analytic[k]!, num, 3e-2, 5e-4, `d ${p.name}`);
  });
});

test('fit refuses a mask of the wrong shape or with values other than 0 and 1', async () => {
  const x = input([2]);
  const m = model({ inputs: x, outputs: layers.dense(2).apply(x) });
  m.compile({ loss: 'mse' });
  const data = [
    [1, 2],
    [3, 4],
  ];
  await assert.rejects(
    m.fit(data, data, { mask: [[1, 1]], verbose: false }),
    /mask has shape \[1, 2\], the targets \[2, 2\]/,
  );
  await assert.rejects(
    m.fit(data, data, {
      mask: [
        [1, 0.5],
        [1, 1],
      ],
      verbose: false,
    }),
    /mask values must be 0/,
  );
});

test('validation with a mask scores the held-out rows on their observed cells only', async () => {
  const x = input([4]);
  const m = model({ inputs: x, outputs: layers.dense(4).apply(layers.dense(2, { activation: 'tanh' }).apply(x)) });
  m.compile({ optimizer: 'adam', loss: 'mse', seed: 2 });
  const rng = new Random(4);
  const data = randomArray(40, rng),
    mask = Float32Array.from({ length: 40 }, (_, i) => (i % 5 === 2 ? 0 : 1));
  const h = await m.fit(
    { data, shape: [10, 4] },
    { data, shape: [10, 4] },
    { epochs: 2, batchSize: 4, validationSplit: 0.2, mask: { data: mask, shape: [10, 4] }, verbose: false },
  );
  // The last two rows were held out: their observed squared errors over all their values.
  const y = m.predict({ data: data.subarray(32), shape: [2, 4] }).data;
  let s = 0;
  for (let i = 0; i < 8; i++) if (mask[32 + i]) s += (y[i]! - data[32 + i]!) ** 2;
  assert.ok(
    Math.abs(h.history['val_loss']!.at(-1)! - s / 8) < 1e-6,
    `val_loss ${h.history['val_loss']!.at(-1)} vs ${s / 8}`,
  );
});

test('score() with a mask averages over the observed cells of each row', async () => {
  const { autoencoders } = await import('../../src/index.js');
  const ae = autoencoders.dense({ hidden: [], latent: 2 });
  const rng = new Random(6);
  const data = randomArray(60, rng);
  await ae.fit({ data, shape: [10, 6] }, { epochs: 1, verbose: false });
  const mask = Float32Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 0 : 1));
  const scores = ae.score({ data, shape: [10, 6] }, { mask: { data: mask, shape: [10, 6] } });
  const out = ae.reconstruct({ data, shape: [10, 6] }).data;
  for (let r = 0; r < 10; r++) {
    let s = 0,
      n = 0;
    for (let j = r * 6; j < r * 6 + 6; j++)
      if (mask[j]) {
        s += (out[j]! - data[j]!) ** 2;
        n++;
      }
    assert.ok(Math.abs(scores[r]! - s / n) < 1e-6, `row ${r}`);
  }
});
