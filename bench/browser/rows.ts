// The runner's side of the browser row: spawns bench/systems/browser.ts for one workload, reads
// its rows, and prints them as a table with ratios against tfjs in the same page.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { flopsPerSample, WORKLOADS, type Workload } from '../workloads.js';

export interface BrowserRow {
  workload: string;
  system: string;
  /** 'isolated' (COOP/COEP: threads) or 'not isolated' (one thread). */
  page: string;
  threads: number;
  samples_per_s: number;
  gflops: number;
  final_loss: number;
  note: string | null;
  reduced: boolean;
  browser: string;
}

export interface BrowserRun {
  rows: BrowserRow[];
  /** What could not run, with the page's error (tfjs-wasm on conv: Conv2DBackpropFilter). */
  failures: string[];
}

export function runBrowser(root: string, w: Workload, threadCounts: number[], weightsFile: string): BrowserRun {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/systems/browser.ts'),
      JSON.stringify(w),
      threadCounts.join(','),
      weightsFile,
    ],
    { encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 },
  );
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Omit<BrowserRow, 'workload' | 'gflops'> & { error?: string });
  const failures = lines
    .filter((l) => l.error)
    .map((l) => `${w.name} chromium ${l.system} (${l.page} page): ${l.error}`);
  if (r.status !== 0)
    failures.push(`${w.name} chromium: failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  const rows = lines
    .filter((l) => !l.error)
    .map(({ error: _, ...l }) => ({ ...l, workload: w.name, gflops: (l.samples_per_s * flopsPerSample(w)) / 1e9 }));
  return { rows, failures };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const isTfjs = (r: BrowserRow) => r.system.startsWith('tfjs-');

/** The rows, each tfjs row with Hourglass in the same page ÷ it; then Hourglass's best ÷ tfjs's best per workload. */
export function printBrowserRows(rows: BrowserRow[], workloads: string[]): void {
  if (!rows.length) return;
  console.log(
    `\nIn the browser: ${rows[0]!.browser}, headless (playwright-core), Hourglass and tfjs in the same page:\n`,
  );
  console.log(
    '| workload | system | page | threads | samples/s | GFLOP/s | final loss | Hourglass in this page ÷ this |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  const samePage = (r: BrowserRow) =>
    rows.find(
      (h) => h.workload === r.workload && h.system === 'hourglass' && h.page === r.page && h.threads === r.threads,
    );
  for (const r of rows) {
    const hg = isTfjs(r) ? samePage(r) : undefined;
    console.log(
      `| ${r.workload} | ${r.system} | ${r.page} | ${r.threads} | ${fmt(r.samples_per_s)} | ${r.gflops.toFixed(1)} | ${r.final_loss.toFixed(4)}${r.reduced ? ' (fewer steps)' : ''} | ${hg ? `${(hg.samples_per_s / r.samples_per_s).toFixed(2)}x` : '-'} |`,
    );
  }
  const notes = [...new Set(rows.filter((r) => r.note).map((r) => `${r.system} (${r.page} page): ${r.note}`))];
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  console.log("\nHourglass's best in Chromium ÷ tfjs's best working backend in Chromium (over pages and threads):\n");
  console.log('| workload | Hourglass best samples/s | tfjs best samples/s | tfjs backend | Hourglass ÷ tfjs |');
  console.log('|---|---:|---:|---|---:|');
  for (const name of workloads.filter((n) => WORKLOADS[n])) {
    const best = (f: (r: BrowserRow) => boolean) =>
      rows.filter((r) => r.workload === name && f(r)).sort((a, b) => b.samples_per_s - a.samples_per_s)[0];
    const hg = best((r) => r.system === 'hourglass');
    const tf = best(isTfjs);
    if (!hg || !tf) continue;
    console.log(
      `| ${name} | ${fmt(hg.samples_per_s)} (${hg.page}, ${hg.threads} thread${hg.threads === 1 ? '' : 's'}) | ${fmt(tf.samples_per_s)} | ${tf.system} (${tf.page}, ${tf.threads}) | ${(hg.samples_per_s / tf.samples_per_s).toFixed(2)}x |`,
    );
  }
}
