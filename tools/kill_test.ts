// The full kill test (200 SIGKILLs during saves); the harness is test/reliability/kill_harness.ts.
//   node --import tsx tools/kill_test.ts --kills 200 [--seed 1] [--writer manifest|legacy-swap]

import { runKillTest, type Writer } from '../test/reliability/kill_harness.js';

{
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const writer = arg('writer', 'manifest') as Writer;
  const r = await runKillTest(Number(arg('kills', '200')), Number(arg('seed', '1')), writer);
  for (const f of r.failures.slice(0, 10)) console.log(f);
  console.log(`kill test (${writer}): ${r.survived}/${r.kills} kills survived, ${r.failures.length} failed`);
  process.exitCode = r.failures.length ? 1 : 0;
}
