// Finite differences of a model's whole training loss (data loss plus every penalty) for each
// trainable parameter, against the gradients one training step leaves in the parameters.

import type { Model } from '../../src/index.js';
import { assertClose } from './engine.js';

/** Returns the loss at the starting weights; resetRandom replays noise draws between evaluations. */
export function checkModelGradients(
  m: Model,
  x: Float32Array,
  t: Float32Array,
  batch: number,
  resetRandom: () => void = () => {},
): number {
  const plan = m.planForTraining(batch);
  const lossAt = (): number => {
    resetRandom();
    plan.input.view().set(x);
    plan.target!.view().set(t);
    return plan.trainStep(batch);
  };
  const loss = lossAt();
  const params = m.trainableParams();
  const analytic = params.map((p) => p.grad.view().slice());
  const eps = 1e-3;
  params.forEach((p, k) => {
    const num = new Float32Array(p.value.length);
    for (let i = 0; i < num.length; i++) {
      const v = p.value.view();
      const orig = v[i]!;
      v[i] = orig + eps;
      const fp = lossAt();
      p.value.view()[i] = orig - eps;
      const fm = lossAt();
      p.value.view()[i] = orig;
      num[i] = (fp - fm) / (2 * eps);
    }
    assertClose(analytic[k]!, num, 3e-2, 5e-4, `d ${p.name}`);
  });
  return loss;
}
