// The single-thread build (no shared memory: the fallback for browser pages without
// cross-origin isolation) trains exactly like the threaded one, with a note instead of workers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainInChild } from './helpers/child_training.js';

// Both on the plain build: the fused multiply-add build has no single-thread twin.
const run = (single: boolean) =>
  trainInChild({ threads: 2, epochs: 2, env: { HOURGLASS_SINGLE_THREAD: single ? '1' : '0', HOURGLASS_FMA: '0' } });

test('the single-thread build gives the same training as the threaded build, with a note', () => {
  const single = run(true),
    threaded = run(false);
  assert.deepEqual(single.loss, threaded.loss);
  assert.equal(single.threads, 1);
  assert.match(single.note ?? '', /one thread/);
  assert.equal(threaded.threads, 2);
});
