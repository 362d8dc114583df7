// The CI-sized kill test (tools/kill_test.ts runs 200): 20 SIGKILLs at random moments of a save
// loop; the folder always loads and holds one complete version, and the next save leaves no
// temporaries. The old folder swap fails the same test (its leftovers are never removed).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKillTest } from './kill_harness.js';

test(
  '20 SIGKILLs during saves: the folder always loads one complete version, no leftovers',
  { timeout: 120_000 },
  async () => {
    const r = await runKillTest(20, 3);
    assert.deepEqual(r.failures, []);
    assert.equal(r.survived, 20);
  },
);

test('the old rename-away-then-rename-in swap fails the kill test', { timeout: 120_000 }, async () => {
  const r = await runKillTest(6, 3, 'legacy-swap');
  assert.ok(r.failures.length > 0, 'the old swap leaves .tmp-/.old- folders behind');
});
