// The fused multiply-add build (build/kernels-fma.wasm: the GEMM micro-kernel with relaxed SIMD's
// f32x4.relaxed_madd) is chosen where the runtime validates relaxed SIMD; Node 20 has it behind
// --experimental-wasm-relaxed-simd, which src/index.ts sets itself at start-up (and these child
// processes also get on the command line). It passes the GEMM and conv reference tests, trains
// bit-identically on one and two threads, and lands within rounding of the plain build;
// HOURGLASS_FMA=0 keeps the plain build.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT, trainInChild } from './helpers/child_training.js';

const FLAG = '--experimental-wasm-relaxed-simd';
const flagAccepted = spawnSync(process.execPath, [FLAG, '-e', '0']).status === 0;
const runtime = flagAccepted ? [FLAG] : [];

const train = (threads: number, fma: boolean) =>
  trainInChild({ threads, epochs: 3, env: { HOURGLASS_FMA: fma ? '1' : '0' }, nodeArgs: runtime });

const probe = `import { relaxedSimdSupported } from './src/engine/kernels.ts'; process.exit(relaxedSimdSupported() ? 0 : 1);`;
const available =
  spawnSync(process.execPath, [...runtime, '--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT })
    .status === 0;
const skip = available ? false : 'this Node has no WebAssembly relaxed SIMD, even with ' + FLAG;

test('the fused multiply-add build passes the GEMM and conv reference tests', { skip }, () => {
  // The test runner's context variable is dropped so the child reports in plain TAP.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  for (const file of ['test/kernels/gemm.test.ts', 'test/layers/conv.test.ts']) {
    // The tests run inside a child that has the runtime flag, after it checks the build in use.
    const load = `import { usesFusedMultiplyAdd } from './src/index.ts'; if (!usesFusedMultiplyAdd()) process.exit(3); await import('./${file}');`;
    const r = spawnSync(process.execPath, [...runtime, '--import', 'tsx', '--input-type=module', '-e', load], {
      encoding: 'utf8',
      cwd: ROOT,
      env,
    });
    assert.notEqual(r.status, 3, 'the child did not load the fused multiply-add build');
    assert.equal(
      r.status,
      0,
      `${file}:\n${r.stdout
        .split('\n')
        .filter((l) => l.startsWith('not ok'))
        .join('\n')}${r.stderr}`,
    );
    assert.match(r.stdout, /# fail 0/);
    assert.match(r.stdout, /# pass [1-9]/);
  }
});

test(
  'the fused multiply-add build trains bit-identically on one and two threads, within rounding of the plain build',
  { skip },
  () => {
    const one = train(1, true),
      two = train(2, true),
      plain = train(2, false);
    assert.equal(one.fma, true);
    assert.equal(plain.fma, false);
    assert.equal(two.threads, 2);
    assert.deepEqual(one.loss, two.loss);
    one.loss.forEach((l, i) =>
      assert.ok(
        Math.abs(l - plain.loss[i]!) < 1e-3 * plain.loss[i]!,
        `epoch ${i + 1}: fma ${l}, plain ${plain.loss[i]}`,
      ),
    );
  },
);

test(
  'Node loads the fused multiply-add build without a command-line flag; HOURGLASS_FMA=0 keeps the plain one',
  { skip },
  () => {
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const report = `import { usesFusedMultiplyAdd } from './src/index.ts'; console.log(usesFusedMultiplyAdd());`;
    const build = (fma: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', report], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...env, HOURGLASS_FMA: fma },
      }).stdout.trim();
    assert.equal(build('1'), 'true');
    assert.equal(build('0'), 'false');
  },
);
