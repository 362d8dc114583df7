// A CI-sized load test of `hourglass serve` (tools/load_test.ts runs the full 1,000 clients for
// 30 s): 200 concurrent clients scoring 10-row requests for 5 s on the loopback get no errors
// and no non-2xx answers, /health answers throughout, and the abusive clients get 4xx or are cut
// off (a slow client by the request timeout, with 408). Latency is reported, not asserted: the
// CI machine is shared.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProblems, runLoadTest } from './load_runner.js';

test('200 clients for 5 s: no errors, /health answers, abusive clients refused or cut off', async () => {
  const r = await runLoadTest({ connections: 200, durationS: 5, requestTimeoutMs: 1500 });
  console.log(
    `load: ${r.requests} requests, ${r.requestsPerSecond.toFixed(0)}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
      `${r.errors} errors, ${r.non2xx} non-2xx, ${r.batches} batches of ${r.rowsPerBatch.toFixed(0)} rows; slow client ${r.abuse['slow']}`,
  );
  assert.ok(r.requests > 200, `only ${r.requests} requests answered`);
  assert.deepEqual(loadProblems(r), []);
  // Batching happened: far fewer predicts than requests.
  assert.ok(r.batches < r.requests / 2, `${r.batches} batches for ${r.requests} requests`);
});

test('loadProblems names each failure of a load run and passes a clean one', () => {
  const clean = {
    connections: 2,
    durationS: 1,
    warmUpS: 0,
    requests: 10,
    requestsPerSecond: 10,
    latencyMs: { p50: 1, p99: 2, max: 3 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    health: { checks: 4, failures: 0, slowestMs: 1 },
    abuse: {
      malformed: '400 the body is not valid JSON (Unexpected end)',
      wrongColumns: "422 rows[0]: its columns do not match the model's; not in the model: 'colour'",
      oversized: '413 Request body is too large',
      slow: 'answered HTTP/1.1 408 Request Timeout after 1600 ms',
    },
    batches: 2,
    rowsPerBatch: 5,
  };
  assert.deepEqual(loadProblems(clean), []);
  const bad = {
    ...clean,
    errors: 3,
    non2xx: 1,
    health: { checks: 4, failures: 2, slowestMs: 1 },
    abuse: { ...clean.abuse, oversized: '200 ', slow: 'NOT cut off after 12000 ms' },
  };
  assert.deepEqual(loadProblems(bad), [
    '3 errors',
    '1 non-2xx answers',
    '/health failed 2 of 4 polls',
    'the oversized client got "200 "',
    'the slow client got "NOT cut off after 12000 ms"',
  ]);
});
