// The CI-sized fuzz run: 300 mutated inputs per parser (seeded, the same every run) through
// every parser and loader, each in a worker under a watchdog with allocations guarded. Any
// failure other than a HourglassError with a message is a crash (an exception, a hang, an
// allocation over the bound, WebAssembly memory left allocated), except the known library
// issues of tools/fuzz/known.ts, which are counted, not hidden. The full run is npm run fuzz.

import assert from 'node:assert/strict';
import test from 'node:test';
import { isKnown } from '../../tools/fuzz/known.js';
import { PARSER_NAMES } from '../../tools/fuzz/parsers.js';
import { crashSignatures, fuzzParsers } from '../../tools/fuzz/runner.js';

const SEED = 20261201;

test('300 fuzzed inputs per parser: only HourglassErrors', async () => {
  const results = await fuzzParsers(PARSER_NAMES, { seed: SEED, count: 300, timeLimitMs: 10_000 });
  assert.deepEqual(results.map((r) => r.parser).sort(), [...PARSER_NAMES].sort());
  for (const r of results) {
    // Every input ends one way: read, refused, or a crash (a crash may also follow a read: a leak).
    assert.ok(r.ok + r.refused >= r.inputs - r.crashes.length, `${r.parser}: ${r.ok} + ${r.refused} of ${r.inputs}`);
    // The seeds themselves (the first inputs) are valid files: at least they must be read.
    assert.ok(r.ok >= 1, `${r.parser}: not even its seeds were read`);
    const unknown = r.crashes.filter((c) => !isKnown(r.parser, c.kind));
    assert.deepEqual(
      crashSignatures(unknown).map((g) => `${g.signature} (input ${g.first.index} of seed ${SEED})`),
      [],
      `${r.parser} crashed`,
    );
  }
});
