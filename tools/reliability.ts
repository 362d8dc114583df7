// npm run reliability [-- --quick] [--seed S] [--markdown FILE]
// Runs the reliability checks at their full counts (or CI-like counts with --quick) and prints one
// table: inputs fuzzed per parser with crashes (known library issues named), kills survived in the
// crash-safe save test, WebAssembly memory after the train/dispose lifecycle, and the server's
// load test. Full: 100,000 inputs per parser, 200 kills, 1,000 models at MNIST-like sizes, 1,000 connections for 30 s. Single counts can be
// set: --fuzz-count N, --kills N, --models N, --model-size small (the CI sizes of the lifecycle).

import fs from 'node:fs';
import os from 'node:os';
import { getEngine } from '../src/engine/kernels.js';
import { arena } from '../src/engine/memory.js';
import { runKillTest } from '../test/reliability/kill_harness.js';
import { trainAndDispose, SMALL } from '../test/helpers/model_churn.js';
import { runLoadTest } from '../test/server/load_runner.js';
import { isKnown, KNOWN_ISSUES } from './fuzz/known.js';
import { PARSER_NAMES } from './fuzz/parsers.js';
import { fuzzParsers, type ParserResult } from './fuzz/runner.js';

const quick = process.argv.includes('--quick');
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
};
const seed = Number(flag('seed', '1'));
const sizes: {
  fuzz: number;
  kills: number;
  models: number;
  churn: typeof SMALL;
  connections: number;
  seconds: number;
} = quick
  ? { fuzz: 300, kills: 20, models: 100, churn: SMALL, connections: 100, seconds: 5 }
  : {
      fuzz: 100_000,
      kills: 200,
      models: 1000,
      churn: { rows: 20000, step: 130 },
      connections: 1000,
      seconds: 30,
    };
// Overrides of single counts, e.g. a full run whose fuzzing was done separately with npm run fuzz.
const override = (key: 'fuzz' | 'kills' | 'models', name: string) => {
  const v = flag(name, '');
  if (v) sizes[key] = Number(v);
};
override('fuzz', 'fuzz-count');
override('kills', 'kills');
override('models', 'models');
if (flag('model-size', '') === 'small') sizes.churn = SMALL;
const smallModels = sizes.churn === SMALL;
const rows: string[][] = [];
let failed = false;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const started = Date.now();

// Fuzzing (parsers run in workers, two at a time).
const fuzzed: ParserResult[] = await fuzzParsers(PARSER_NAMES, { seed, count: sizes.fuzz }, 2, (r) =>
  console.log(`fuzz ${r.parser}: ${r.inputs} inputs, ${r.crashes.length} crashes (${r.seconds.toFixed(0)} s)`),
);
const fixedFiles = (p: string) => {
  const dir = new URL(`../test/fuzz/regressions/${p}/`, import.meta.url);
  return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
};
for (const r of fuzzed) {
  const known = r.crashes.filter((c) => isKnown(r.parser, c.kind)).length;
  const other = r.crashes.length - known;
  if (other) failed = true;
  const fixed = fixedFiles(r.parser);
  rows.push([
    `fuzz ${r.parser}`,
    `${r.inputs.toLocaleString('en')} inputs: ${r.ok} read, ${r.refused} refused, ${other} crashes` +
      (known ? `, ${known} known library hangs` : '') +
      (fixed ? `; ${fixed} crashes found earlier, fixed (test/fuzz/regressions/${r.parser})` : ''),
    `npm run fuzz -- --seed ${seed} --count ${r.inputs} --parser ${r.parser}`,
  ]);
}

// Kill test.
{
  const k = await runKillTest(sizes.kills, seed, 'manifest');
  if (k.failures.length) failed = true;
  rows.push([
    'kill test (SIGKILL during saves)',
    `${k.survived}/${k.kills} kills survived`,
    `npm run kill-test -- --kills ${sizes.kills} --seed ${seed}`,
  ]);
}

// Lifecycle: train, predict and dispose models; memory after the first ten and after all.
{
  await trainAndDispose(10, 0, sizes.churn);
  const memory = getEngine().memory.buffer.byteLength,
    top = arena.usedBytes;
  await trainAndDispose(sizes.models - 10, 10, sizes.churn);
  const after = getEngine().memory.buffer.byteLength;
  const grew = after !== memory || arena.usedBytes !== top;
  if (grew) failed = true;
  rows.push([
    `lifecycle (${sizes.models.toLocaleString('en')} train/dispose cycles${smallModels ? ', small models' : ''})`,
    `WebAssembly memory ${mib(after)} after ${sizes.models} models, ${mib(memory)} after 10 (${grew ? 'GREW' : 'unchanged'}); arena top ${mib(arena.usedBytes)}`,
    smallModels
      ? `npm run reliability -- --models ${sizes.models} --model-size small`
      : `npm run soak:memory -- ${sizes.models}`,
  ]);
}

// Server load test.
{
  const l = await runLoadTest({ connections: sizes.connections, durationS: sizes.seconds });
  if (l.errors || l.timeouts || l.health.failures) failed = true;
  rows.push([
    `server load (${l.connections} connections, ${l.durationS} s)`,
    `${l.requests.toLocaleString('en')} requests (${l.requestsPerSecond.toFixed(0)}/s), p99 ${l.latencyMs.p99} ms, ${l.errors} errors, ${l.timeouts} timeouts; health ${l.health.checks - l.health.failures}/${l.health.checks}`,
    `node --import tsx tools/load_test.ts --connections ${l.connections} --duration ${l.durationS}`,
  ]);
}

const load = os.loadavg()[0]!.toFixed(1);
const header = `Reliability (${quick ? 'quick' : 'full'} run, ${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 60000).toFixed(0)} min, load average ${load} on ${os.cpus().length} cores)`;
const table = [
  `| check | result | reproduce |`,
  `| --- | --- | --- |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const known = KNOWN_ISSUES.map((k) => `- known, not fixed: ${k.parser} ${k.kind}: ${k.reason} (${k.example})`).join(
  '\n',
);
console.log(`\n${header}\n\n${table}\n\n${known}`);
const out = flag('markdown', '');
if (out) fs.writeFileSync(out, `${header}\n\n${table}\n\n${known}\n`);
process.exit(failed ? 1 : 0);
