// npm run fuzz -- --seed S --count N [--parser NAME[,NAME...]] [--time-limit MS] [--max-alloc-mb MB]
//   [--parallel K] [--crashes DIR] [--json FILE] [--progress SECONDS]
// Mutates valid inputs of every parser and loader (tools/fuzz/targets.ts) and prints one line per
// parser: inputs, accepted, refused with a HourglassError, crashes (any other exception, a hang
// over the time limit, an allocation over the bound, WebAssembly memory left allocated). Each
// distinct crash's input is written to the crashes folder (default fuzz-crashes/); exit code 1
// when there is any crash.

import fs from 'node:fs';
import path from 'node:path';
import { PARSER_NAMES } from './fuzz/parsers.js';
import { crashSignatures, fuzzParsers, inputOf, type ParserResult } from './fuzz/runner.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const seed = Number(flag('seed', '1'));
const count = Number(flag('count', '1000'));
const parsers = flag('parser', PARSER_NAMES.join(',')).split(',');
const unknown = parsers.filter((p) => !PARSER_NAMES.includes(p));
if (unknown.length || !Number.isSafeInteger(seed) || !Number.isSafeInteger(count) || count < 1) {
  console.error(`usage: npm run fuzz -- --seed S --count N [--parser ${PARSER_NAMES.join('|')}]`);
  process.exit(2);
}
const crashDir = flag('crashes', 'fuzz-crashes');
const options = {
  seed,
  count,
  timeLimitMs: Number(flag('time-limit', '5000')),
  maxAllocBytes: Number(flag('max-alloc-mb', '256')) * 2 ** 20,
  // A line on stderr now and then: how far a long run got, should it be stopped.
  progressMs: Number(flag('progress', '60')) * 1000,
  onProgress: (p: { parser: string; done: number; ok: number; refused: number; crashes: number }) =>
    console.error(
      `  ${p.parser}: ${p.done} of ${count} inputs, ${p.ok} read, ${p.refused} refused, ${p.crashes} crashes`,
    ),
};

const line = (r: ParserResult) =>
  `${r.parser.padEnd(16)} ${String(r.inputs).padStart(8)} inputs  ${String(r.ok).padStart(7)} read  ${String(r.refused).padStart(7)} refused  ${String(r.crashes.length).padStart(4)} crashes  slowest ${r.slowestMs.toFixed(0)} ms  (${r.seconds.toFixed(1)} s)`;

console.log(`fuzzing ${parsers.length} parsers, seed ${seed}, ${count} inputs each`);
const results = await fuzzParsers(parsers, options, Number(flag('parallel', '2')), (r) => {
  console.log(line(r));
  for (const g of crashSignatures(r.crashes)) {
    fs.mkdirSync(crashDir, { recursive: true });
    const file = path.join(crashDir, `${r.parser}-s${seed}-i${g.first.index}.bin`);
    fs.writeFileSync(file, inputOf(r, seed, g.first.index));
    console.log(`  ${g.count} x ${g.signature}\n    first: input ${g.first.index} -> ${file}`);
  }
});
const jsonFile = flag('json', '');
if (jsonFile)
  fs.writeFileSync(
    jsonFile,
    JSON.stringify(
      results.map(({ seeds: _, ...r }) => ({ ...r, crashes: crashSignatures(r.crashes) })),
      null,
      1,
    ),
  );
const crashes = results.reduce((s, r) => s + r.crashes.length, 0);
console.log(`${results.reduce((s, r) => s + r.inputs, 0)} inputs, ${crashes} crashes`);
process.exit(crashes ? 1 : 0);
