// Per-operation time of a workload's training step (where the step's time goes, kernel by kernel):
//   node --import tsx bench/profile_ops.ts [workload=conv] [threads=1]
// Wraps the wasm executor's compiled operations with a timer; the totals cover the timed epochs
// (all but the first). The timers add a little per operation, so the total runs slightly slow.

import { setThreads } from '../src/index.js';
import { wasmExecutor, type CompiledOp } from '../src/engine/executor.js';
import type { Op } from '../src/engine/operation.js';
import { hourglassModel, trainHourglass } from './hourglass_model.js';
import { workloadRows } from './shared.js';
import { glorotWeights, splitWeights } from './weights.js';
import { WORKLOADS } from './workloads.js';

const [name = 'conv', threadArg = '1'] = process.argv.slice(2);
const w = WORKLOADS[name];
if (!w) throw new Error(`unknown workload ${name}`);
setThreads(Number(threadArg));
await new Promise((r) => setTimeout(r, 200));

interface Entry {
  label: string;
  seconds: number;
  calls: number;
}
const entries: Entry[] = [];
let timing = false;
const ex = wasmExecutor();
const compile = ex.compile.bind(ex);
const label = (op: Op): string => {
  if (op.kind === 'kernel') {
    const a = op.args as Record<string, unknown>;
    const dims = [
      'm',
      'n',
      'k',
      'h',
      'w',
      'c',
      'oh',
      'ow',
      'mode',
      'transA',
      'transB',
      'backward',
      'rows',
      'cols',
      'ch',
    ]
      .filter((d) => typeof a[d] === 'number' || (typeof a[d] === 'object' && a[d] !== null && 'perSample' in a[d]))
      .map((d) => `${d}=${typeof a[d] === 'number' ? String(a[d]) : `${(a[d] as { perSample: number }).perSample}/s`}`);
    return `${op.kernel} ${dims.join(' ')}`;
  }
  return op.kind === 'host' ? `host ${op.name}` : `loss ${op.loss}`;
};
(ex as { compile: (op: Op) => CompiledOp }).compile = (op: Op) => {
  const run = compile(op);
  const e: Entry = { label: label(op), seconds: 0, calls: 0 };
  entries.push(e);
  return (batch) => {
    if (!timing) return run(batch);
    const t0 = performance.now();
    const v = run(batch);
    e.seconds += (performance.now() - t0) / 1000;
    e.calls++;
    return v;
  };
};

const ae = hourglassModel(w, splitWeights(glorotWeights(w), w));
let cpu0 = process.cpuUsage();
const r = await trainHourglass(ae, w, workloadRows(w, w.batch * w.steps), () => {
  timing = true;
  cpu0 = process.cpuUsage();
});
// CPU time (all threads of the process) is steadier than wall time on a shared machine.
const cpu = process.cpuUsage(cpu0);
const total = entries.reduce((s, e) => s + e.seconds, 0);
const steps = w.steps * w.blocks;
console.log(
  `${name} x${threadArg}: ${Math.round(r.samplesPerSecond)} samples/s (timed), ops ${((total / steps) * 1e3).toFixed(2)} ms/step, CPU ${((cpu.user + cpu.system) / 1e3 / steps).toFixed(2)} ms/step`,
);
const byKernel = new Map<string, number>();
for (const e of entries) byKernel.set(e.label.split(' ')[0]!, (byKernel.get(e.label.split(' ')[0]!) ?? 0) + e.seconds);
for (const [k, s] of [...byKernel].sort((a, b) => b[1] - a[1]))
  console.log(`  ${k.padEnd(22)} ${((s / steps) * 1e3).toFixed(3)} ms/step  ${((s / total) * 100).toFixed(1)}%`);
console.log('per operation, in plan order:');
for (const e of entries)
  if (e.calls) console.log(`  ${((e.seconds / steps) * 1e3).toFixed(3).padStart(7)} ms  ${e.label}`);
