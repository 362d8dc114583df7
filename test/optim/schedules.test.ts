// Learning-rate schedules against PyTorch's CosineAnnealingLR and ExponentialLR
// (tools/make_fixtures.py, schedules.json), and through an optimizer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedules } from '../../src/optim/schedules.js';
import { SGD } from '../../src/optim/sgd.js';
import { assertClose } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

const f = fixture<{
  cosine: { initial: number; steps: number; etaMin: number; lrs: number[] };
  exponential: { initial: number; gamma: number; lrs: number[] };
}>('schedules.json');

test('cosineDecay matches CosineAnnealingLR (alpha = etaMin / initial)', () => {
  const s = schedules.cosineDecay({
    initialLearningRate: f.cosine.initial,
    decaySteps: f.cosine.steps,
    alpha: f.cosine.etaMin / f.cosine.initial,
  });
  // PyTorch's closed form keeps oscillating past T_max; Keras holds the floor. Compare up to T_max.
  const ours = f.cosine.lrs.slice(0, f.cosine.steps + 1).map((_, i) => s.at(i));
  assertClose(ours, f.cosine.lrs.slice(0, f.cosine.steps + 1), 1e-6, 1e-9, 'cosine');
});

test('exponentialDecay (staircase, decaySteps 1) matches ExponentialLR', () => {
  const s = schedules.exponentialDecay({
    initialLearningRate: f.exponential.initial,
    decaySteps: 1,
    decayRate: f.exponential.gamma,
    staircase: true,
  });
  assertClose(
    f.exponential.lrs.map((_, i) => s.at(i)),
    f.exponential.lrs,
    1e-6,
    1e-9,
    'exponential',
  );
});

test('an optimizer reads its scheduled learning rate per step', () => {
  const opt = new SGD({ learningRate: schedules.piecewiseConstant({ boundaries: [2], values: [0.1, 0.01] }) });
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    seen.push(opt.learningRate());
    opt.step([]);
  }
  assert.deepEqual(seen, [0.1, 0.1, 0.1, 0.01]);
});
