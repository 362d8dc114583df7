// Training with a target mask (missing values): the loss and its gradient leave masked cells out.
// Reference: the observed cells' squared error computed from predict(), differentiated numerically.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { input, layers, model } from '../../src/index.js';
import { assertClose, randomArray } from '../helpers/engine.js';

test('a masked training step has the gradient of the observed cells\' loss only', () => {
  const x = input([5]);
  const m = model({ inputs: x, outputs: layers.dense(5, { activation: 'sigmoid' }).apply(layers.dense(3, { activation: 'tanh' }).apply(x)) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const rng = new Random(8);
  const xs = randomArray(20, rng), ts = randomArray(20, rng);
  const mask = Float32Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const plan = m.planForTraining(4, { masked: true });
  plan.input.view().set(xs); plan.target!.view().set(ts); plan.mask!.view().set(mask);
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
      p.value.view()[i] = orig + eps; const fp = observedLoss();
      p.value.view()[i] = orig - eps; const fm = observedLoss();
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
  const data = [[1, 2], [3, 4]];
  await assert.rejects(m.fit(data, data, { mask: [[1, 1]], verbose: false }), /mask has shape \[1, 2\], the targets \[2, 2\]/);
  await assert.rejects(m.fit(data, data, { mask: [[1, 0.5], [1, 1]], verbose: false }), /mask values must be 0/);
});
