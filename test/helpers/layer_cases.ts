// What the layer test files share: cases from a PyTorch fixture (tools/make_conv_fixtures.py,
// tools/make_conv1d_fixtures.py write the same fields) checked value by value, and the
// finite-difference check of a layer on seeded random inputs.

import { Random } from '../../src/engine/random.js';
import type { Layer } from '../../src/layers/layer.js';
import { assertClose, randomArray } from './engine.js';
import { checkGradients, runLayer } from './layer_harness.js';

/** One layer applied to a batch in PyTorch: input, output, the upstream gradient and what it gave. */
export interface FixtureCase {
  layer: string;
  options: Record<string, unknown>;
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
  upstream: number[];
  dx: number[];
  /** Present for layers with weights, as Keras lays them out. */
  kernel?: number[];
  bias?: number[];
  dKernel?: number[];
  dBias?: number[];
}

/** The case's kernel and bias as initializers (nothing for a layer without weights). */
export function fixtureWeights(c: FixtureCase): object {
  return c.kernel ? { kernelInitializer: { values: c.kernel }, biasInitializer: { values: c.bias! } } : {};
}

/** Runs the layer on the case's batch and checks y, dx and the weight gradients against PyTorch's. */
export function checkAgainstFixture(layer: Layer, c: FixtureCase): void {
  const r = runLayer(layer, c.xShape.slice(1), c.xShape[0]!, Float32Array.from(c.x), Float32Array.from(c.upstream));
  assertClose(r.y, c.y, 1e-5, 1e-5, 'y');
  assertClose(r.dx, c.dx, 1e-4, 1e-5, 'dx');
  if (c.dKernel) {
    assertClose(r.paramGrads[0]!, c.dKernel, 1e-4, 1e-4, 'dKernel');
    assertClose(r.paramGrads[1]!, c.dBias!, 1e-4, 1e-4, 'dBias');
  }
}

/**
 * Every gradient of the layer against finite differences at batch 2, on inputs and an upstream
 * gradient drawn from `seed` (a first run, with no upstream, learns the output size).
 */
export function checkGradientsOnRandom(layer: Layer, shape: number[], seed: number, eps = 1e-2): void {
  const rng = new Random(seed);
  const n = 2 * shape.reduce((a, b) => a * b, 1);
  const probe = runLayer(layer, shape, 2, randomArray(n, rng), new Float32Array(0));
  checkGradients(layer, shape, 2, randomArray(n, rng), randomArray(probe.y.length, rng), { eps, atol: 5e-3 });
}
