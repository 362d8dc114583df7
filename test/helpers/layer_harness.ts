// Runs one layer's planned forward/backward outside a model, and checks its gradients by
// central finite differences of sum(upstream * output) (the tinygrad test_ops idea).

import { wasmExecutor } from '../../src/engine/executor.js';
import { arena, type Buf } from '../../src/engine/memory.js';
import { planActivation } from '../../src/model/fusion.js';
import { Random } from '../../src/engine/random.js';
import { input } from '../../src/layers/input.js';
import { size, type Layer, type Shape } from '../../src/layers/layer.js';
import { assertClose } from './engine.js';

export interface LayerRun {
  y: Float32Array;
  dx: Float32Array;
  paramGrads: Float32Array[];
}

export function runLayer(
  layer: Layer,
  inShape: Shape,
  batch: number,
  x: Float32Array,
  upstream: Float32Array,
  options: { training?: boolean; seed?: number } = {},
): LayerRun {
  const sym = input(inShape);
  const out = layer.apply(sym);
  const inN = batch * size(inShape),
    outN = batch * size(out.shape);
  const owned: Buf[] = [];
  const alloc = (n: number, label = '') => {
    const b = arena.alloc(n, label);
    owned.push(b);
    return b;
  };
  const xb = alloc(inN),
    yb = alloc(outN),
    dxb = alloc(inN),
    dyb = alloc(outN);
  xb.view().set(x);
  const rng = new Random(options.seed ?? 1);
  const mode = (options.training ?? true) ? 'train' : 'infer';
  const site = {
    mode,
    name: layer.name,
    maxBatch: batch,
    output: yb,
    dOutput: mode === 'train' ? dyb : null,
    logits: null,
    alloc,
  } as const;
  const ops = layer.plan({
    ...site,
    inputShapes: [inShape],
    outputShape: out.shape,
    inputs: [xb],
    dInputs: [dxb],
    accumulateInputs: [false],
    overwriteParamGrads: true,
    random: rng,
    activation: (a, epilogue) => planActivation({ ...site, values: size(out.shape) }, a, epilogue),
  });
  const ex = wasmExecutor();
  for (const op of ops.forward) ex.compile(op)(batch);
  const y = yb.view().slice();
  dyb.view().set(upstream);
  for (const op of ops.backward) ex.compile(op)(batch);
  const result = {
    y,
    dx: dxb.view().slice(),
    paramGrads: layer.params.filter((p) => p.trainable).map((p) => p.grad.view().slice()),
  };
  for (const b of owned) arena.release(b);
  return result;
}

/** sum(upstream * layer(x)) in float64, for finite differences. */
function objective(
  layer: Layer,
  inShape: Shape,
  batch: number,
  x: Float32Array,
  upstream: Float32Array,
  seed: number,
): number {
  const { y } = runLayer(layer, inShape, batch, x, upstream, { seed });
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * upstream[i]!;
  return s;
}

/** Checks dx and every trainable parameter gradient against central differences. */
export function checkGradients(
  layer: Layer,
  inShape: Shape,
  batch: number,
  x: Float32Array,
  upstream: Float32Array,
  tol: { rtol?: number; atol?: number; eps?: number } = {},
): void {
  const eps = tol.eps ?? 1e-3,
    rtol = tol.rtol ?? 2e-2,
    atol = tol.atol ?? 2e-3;
  const seed = 5;
  // Parameters are perturbed through their memory; x through a copy.
  const run = runLayer(layer, inShape, batch, x, upstream, { seed });
  const numeric = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = x.slice();
    xp[i] = x[i]! + eps;
    const xm = x.slice();
    xm[i] = x[i]! - eps;
    numeric[i] =
      (objective(layer, inShape, batch, xp, upstream, seed) - objective(layer, inShape, batch, xm, upstream, seed)) /
      (2 * eps);
  }
  assertClose(run.dx, numeric, rtol, atol, `${layer.className} d input (finite differences)`);
  layer.params
    .filter((p) => p.trainable)
    .forEach((p, k) => {
      const v = p.value.view();
      const num = new Float32Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const orig = v[i]!;
        p.value.view()[i] = orig + eps;
        const fp = objective(layer, inShape, batch, x, upstream, seed);
        p.value.view()[i] = orig - eps;
        const fm = objective(layer, inShape, batch, x, upstream, seed);
        p.value.view()[i] = orig;
        num[i] = (fp - fm) / (2 * eps);
      }
      assertClose(run.paramGrads[k]!, num, rtol, atol, `${layer.className} d ${p.name} (finite differences)`);
    });
}
