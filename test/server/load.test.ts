// A CI-sized load test of `hourglass serve` (tools/load_test.ts runs the full 1,000 clients for
// 30 s): 200 concurrent clients scoring 10-row requests for 5 s on the loopback get no errors
// and no non-2xx answers, /health answers throughout, and the abusive clients get 4xx or are cut
// off (a slow client by the request timeout, with 408). Latency is reported, not asserted: the
// CI machine is shared.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoadTest } from './load_runner.js';

test('200 clients for 5 s: no errors, /health answers, abusive clients refused or cut off', async () => {
  const r = await runLoadTest({ connections: 200, durationS: 5, requestTimeoutMs: 1500 });
  console.log(
    `load: ${r.requests} requests, ${r.requestsPerSecond.toFixed(0)}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
      `${r.errors} errors, ${r.non2xx} non-2xx, ${r.batches} batches of ${r.rowsPerBatch.toFixed(0)} rows; slow client ${r.abuse['slow']}`,
  );
  assert.ok(r.requests > 200, `only ${r.requests} requests answered`);
  assert.equal(r.errors, 0);
  assert.equal(r.timeouts, 0);
  assert.equal(r.non2xx, 0);
  assert.ok(r.health.checks > 0);
  assert.equal(r.health.failures, 0);
  // Batching happened: far fewer predicts than requests.
  assert.ok(r.batches < r.requests / 2, `${r.batches} batches for ${r.requests} requests`);
  assert.match(r.abuse['malformed']!, /^400 .*not valid JSON/);
  assert.match(r.abuse['wrongColumns']!, /^422 .*not in the model: 'colour'/);
  assert.match(r.abuse['oversized']!, /^413 /);
  assert.match(r.abuse['slow']!, /^(answered HTTP\/1\.1 408|closed|reset)/);
});
