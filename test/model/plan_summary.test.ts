// model.summary({ plan: true }) prints the planned operations readably: the fused epilogues, the
// sigmoid fused into cross-entropy on logits, the splits, the backward GEMMs and the optimizer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { input, layers, sequential } from '../../src/index.js';

test('summary({ plan: true }) shows the plan the planner made', () => {
  const m = sequential([
    input([784]),
    layers.dense(32, { activation: 'relu', name: 'code' }),
    layers.dense(784, { activation: 'sigmoid', name: 'out' }),
  ]);
  const lines: string[] = [];
  m.summary((l) => lines.push(l), { plan: true });
  const inference = lines.join('\n');
  assert.match(inference, /Plan \(infer, batches up to 1, executor wasm\)/);
  assert.match(
    inference,
    /gemm\(m=B n=784 k=32 a=code\.out .* c=out\.out .* bias=out\.bias act=sigmoid/,
    'the sigmoid in the epilogue at inference',
  );
  assert.doesNotMatch(inference, /backward:/);
  m.compile({ loss: 'bce', optimizer: 'adam' });
  const text = m.summary(() => {}, { plan: true });
  assert.match(text, /Plan \(train, batches up to 1, executor wasm\)/);
  assert.match(text, /gemm\(m=B n=32 k=784 a=input\w*\.out .* c=code\.out .* act=relu alpha=0\) \[split: rows\]/);
  assert.match(text, /gemm\(m=B n=784 k=32 .* c=out\.logits .* act=linear/, 'training writes the logits');
  assert.match(text, /loss BceLogits n=784·B z=out\.logits y=out\.out t=target grad=out\.dOut {2}\(\+loss\)/);
  assert.match(text, /activationBackward\(n=32·B y=code\.out dy=code\.dOut dz=code\.dOut act=relu/);
  assert.match(text, /gemm\(m=784 n=32 k=B a=input\w*\.out lda=784 transA=1 b=code\.dOut/, 'the kernel gradient');
  assert.doesNotMatch(text, /c=input\w*\.dOut/, 'no gradient for the input');
  assert.match(text, /host adam: clip gradients, advance the step/);
  assert.equal((text.match(/^ +\d+\. adam\(/gm) ?? []).length, 4, 'one update per parameter tensor');
});
