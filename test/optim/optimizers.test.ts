// SGD (momentum, Nesterov), Adam, AdamW, RMSprop and global norm clipping follow PyTorch's
// parameter trajectories (tools/make_fixtures.py, optimizers.json) over 8 steps.

import { test } from 'node:test';
import { resolveOptimizer } from '../../src/optim/index.js';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input.js';
import { assertClose } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

interface OptFixture {
  c: number[];
  target: number[];
  w0: number[];
  cases: { optimizer: string; options: Record<string, unknown>; trajectory: number[][] }[];
}
const f = fixture<OptFixture>('optimizers.json');

for (const c of f.cases) {
  test(`${c.optimizer} ${JSON.stringify(c.options)} follows PyTorch`, () => {
    // A dense kernel of 12 values serves as the parameter tensor.
    const layer = new Dense(12, { useBias: false, kernelInitializer: { values: f.w0 } });
    layer.apply(input([1]));
    const p = layer.kernel;
    const opt = resolveOptimizer({ name: c.optimizer, ...c.options });
    opt.attach([p]);
    c.trajectory.forEach((expected, step) => {
      const w = p.value.view(),
        g = p.grad.view();
      for (let i = 0; i < 12; i++) g[i] = Math.fround(f.c[i]! * Math.fround(w[i]! - f.target[i]!));
      opt.step([p]);
      assertClose(p.value.view(), expected, 1e-5, 1e-6, `step ${step + 1}`);
    });
  });
}
