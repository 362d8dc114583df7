// Dropout and GaussianNoise: identity at inference; in training the right statistics,
// the gradient through the same mask/noise (finite differences with a fixed seed).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dropout } from '../../src/layers/dropout.js';
import { GaussianNoise } from '../../src/layers/gaussian_noise.js';
import { Random } from '../../src/engine/random.js';
import { assertClose, randomArray } from '../helpers/engine.js';
import { checkGradients, runLayer } from '../helpers/layer_harness.js';

test('dropout is the identity at inference', () => {
  const x = randomArray(100, new Random(1));
  const r = runLayer(new Dropout(0.5), [10], 10, x, new Float32Array(100), { training: false });
  assertClose(r.y, x, 0, 0, 'inference output');
});

test('dropout zeroes about rate of the values and scales the rest by 1/(1-rate)', () => {
  const n = 20000;
  const x = new Float32Array(n).fill(1);
  const r = runLayer(new Dropout(0.3), [100], n / 100, x, new Float32Array(n).fill(1));
  const zeros = r.y.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / n - 0.3) < 0.02, `dropped fraction ${zeros / n}`);
  assert.ok(
    r.y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6),
    'kept values are scaled',
  );
  // The gradient goes through the same mask.
  assertClose(r.dx, r.y, 0, 0, 'gradient mask');
  checkGradients(new Dropout(0.4), [6], 4, randomArray(24, new Random(2)), randomArray(24, new Random(3)));
});

test('gaussianNoise adds noise of the given stddev in training only', () => {
  const n = 20000;
  const x = new Float32Array(n).fill(2);
  const inference = runLayer(new GaussianNoise(0.5), [100], n / 100, x, new Float32Array(n), { training: false });
  assertClose(inference.y, x, 0, 0, 'inference output');
  const r = runLayer(new GaussianNoise(0.5), [100], n / 100, x, new Float32Array(n));
  const d = Array.from(r.y, (v) => v - 2);
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(std - 0.5) < 0.02, `noise mean ${mean}, std ${std}`);
  checkGradients(new GaussianNoise(0.3), [5], 3, randomArray(15, new Random(4)), randomArray(15, new Random(5)));
});
