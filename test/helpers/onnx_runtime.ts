// Running an exported ONNX model in onnxruntime-node and comparing it with Hourglass's predict.

import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Random } from '../../src/engine/random.js';
import { size, type Shape } from '../../src/layers/layer.js';
import type { Model } from '../../src/model/model.js';

export async function runOnnx(bytes: Uint8Array, x: Float32Array, shape: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', x, shape) });
    return out['output']!;
  } finally {
    await session.release();
  }
}

/** Uniform values in [lo, hi) from a seeded generator. */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.uniform());
}

/**
 * Every parameter of the model set to seeded random values (biases and batch-norm statistics
 * included, which start at 0 and 1 and would hide layout mistakes); variances stay positive.
 */
export function randomizeWeights(model: Model, seed: number): void {
  const r = new Random(seed);
  for (const l of model.layers)
    for (const p of l.params) {
      const v = p.value.view();
      const positive = p.name === 'moving_variance';
      for (let i = 0; i < v.length; i++) v[i] = positive ? 0.5 + r.uniform() : (r.uniform() - 0.5) * 1.2;
    }
}

export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
): number {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  let worst = 0,
    at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!));
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(worst <= tol, `${what}: largest difference ${worst} at ${at} (${actual[at]} vs ${expected[at]})`);
  return worst;
}

/** Exports-and-compares: ONNX Runtime's output equals model.predict on odd-batch random input. */
export async function checkParity(
  model: Model,
  bytes: Uint8Array,
  what: string,
  options: { batch?: number; seed?: number; lo?: number; hi?: number } = {},
): Promise<number> {
  const inShape: Shape = model.input.shape;
  const batch = options.batch ?? 3;
  const x = randomValues(batch * size(inShape), options.seed ?? 7, options.lo, options.hi);
  const expected = model.predict({ data: x, shape: [batch, ...inShape] }, { verbose: false });
  const got = await runOnnx(bytes, x, [batch, ...inShape]);
  assert.deepEqual([...got.dims], [batch, ...model.output.shape], `${what}: output shape`);
  return assertAllClose(got.data as Float32Array, expected.data, 1e-5, what);
}
