#!/usr/bin/env bash
# Before/after comparison of the Hourglass rows of the benchmark: runs
#   node --import tsx bench/run.ts --systems hourglass --workloads <all> --threads 1,2 --json
# in a baseline checkout and in the current one, alternating (ABBA: baseline first on even
# rounds, current first on odd ones) N times so that noise and drift fall on both alike, then
# prints per workload and thread count the mean samples/s before and after, the percent change,
# and the GEMM throughput inside the runs.
#
# Usage: bench/compare_hourglass.sh [--runs N] [--quick] [--baseline DIR] [--current DIR] [-- run.ts args]
#   --runs N        rounds (default 2; each round runs both checkouts once)
#   --quick         pass --quick to run.ts (checks the harness, not speed)
#   --baseline DIR  the checkout to compare against (default /work/baseline, e.g. from
#                   `git worktree add /work/baseline HEAD`, with node_modules linked and built)
#   --current DIR   the checkout under test (default the one holding this script)
#   -- ARGS         further run.ts arguments (e.g. --workloads dense,deep); they go after the defaults
# NODE_FLAGS (environment) is put before --import tsx, e.g. NODE_FLAGS=--experimental-wasm-relaxed-simd.
# The raw JSON lines stay in a temporary folder whose name is printed.
set -euo pipefail

runs=2 quick= baseline=/work/baseline
current=$(cd "$(dirname "$0")/.." && pwd)
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --quick) quick=--quick; shift ;;
    --baseline) baseline=$2; shift 2 ;;
    --current) current=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
baseline=$(cd "$baseline" && pwd)

for dir in "$baseline" "$current"; do
  [ -f "$dir/bench/run.ts" ] || { echo "$dir has no bench/run.ts" >&2; exit 2; }
  [ -e "$dir/node_modules" ] || { echo "$dir has no node_modules (link the main checkout's: ln -s /work/main/node_modules $dir/node_modules)" >&2; exit 2; }
  [ -f "$dir/build/kernels.wasm" ] || { echo "$dir has no build/kernels.wasm: run 'npm run build' there" >&2; exit 2; }
  # The bench's children load build/*.wasm next to src/: warn when the kernels' sources are newer.
  if [ -n "$(find "$dir/src/kernels" -name '*.ts' -newer "$dir/build/kernels.wasm" -print -quit)" ]; then
    echo "warning: $dir/src/kernels has changes newer than build/kernels.wasm: run 'npm run build:wasm' there" >&2
  fi
done

out=$(mktemp -d "${TMPDIR:-/tmp}/hourglass-compare-XXXXXX")
echo "baseline: $baseline" >&2
echo "current:  $current" >&2
echo "raw results: $out" >&2

run_one() { # label dir round
  local label=$1 dir=$2 round=$3 t0 t1
  t0=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$dir" && node ${NODE_FLAGS:-} --import tsx bench/run.ts --systems hourglass \
    --workloads dense,deep,predict,conv,conv-strided --threads 1,2 --json $quick "${extra[@]}") \
    > "$out/$label.$round.jsonl" 2> "$out/$label.$round.err" || echo "warning: $label round $round exited $?" >&2
  t1=$(date +%s)
  echo "  round $round $label: $(wc -l < "$out/$label.$round.jsonl") rows in $((t1 - t0)) s" >&2
}

for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then run_one before "$baseline" "$i"; run_one after "$current" "$i"
  else run_one after "$current" "$i"; run_one before "$baseline" "$i"; fi
done

node --input-type=module - "$out" "$runs" "$quick" <<'EOF'
import fs from 'node:fs';
import path from 'node:path';
const [dir, runs, quick] = process.argv.slice(2);
const order = ['dense', 'tabular', 'deep', 'predict', 'inference', 'conv', 'conv-strided'];
const data = new Map(); // "workload xT" -> { before: rows[], after: rows[] }
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
  const side = f.split('.')[0];
  for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line);
    if (r.system !== 'hourglass') continue;
    const key = `${r.workload}\t${r.threads}`;
    if (!data.has(key)) data.set(key, { before: [], after: [] });
    data.get(key)[side].push(r);
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const cell = (rs) => {
  if (!rs.length) return '-';
  const v = rs.map((r) => r.samples_per_s), m = mean(v);
  const spread = v.length > 1 ? ` ±${((Math.max(...v) - Math.min(...v)) / 2 / m * 100).toFixed(1)}%` : '';
  return `${fmt(m)}${spread}`;
};
const gemm = (rs) => { const g = rs.map((r) => r.gemm_gflops).filter((x) => x); return g.length ? mean(g).toFixed(1) : '-'; };
console.log(`\nHourglass before/after, ${runs} alternating round(s)${quick ? ' (--quick: harness check only, not speed)' : ''}; mean samples/s (± half the range over rounds)\n`);
console.log('| workload | threads | before samples/s | after samples/s | change | GEMM GFLOP/s before | after |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const keys = [...data.keys()].sort((a, b) => {
  const [wa, ta] = a.split('\t'), [wb, tb] = b.split('\t');
  return (order.indexOf(wa) - order.indexOf(wb)) || (Number(ta) - Number(tb));
});
for (const key of keys) {
  const [w, t] = key.split('\t'), { before, after } = data.get(key);
  const change = before.length && after.length
    ? `${((mean(after.map((r) => r.samples_per_s)) / mean(before.map((r) => r.samples_per_s)) - 1) * 100).toFixed(1)}%` : '-';
  const loss = (rs) => [...new Set(rs.map((r) => r.final_loss === null ? '-' : r.final_loss.toFixed(4)))].join('/');
  const lossNote = before.length && after.length && w !== 'predict' && loss(before) !== loss(after) ? ` (loss ${loss(before)} -> ${loss(after)})` : '';
  console.log(`| ${w} | ${t} | ${cell(before)} | ${cell(after)} | ${change.startsWith('-') || change === '-' ? change : `+${change}`}${lossNote} | ${gemm(before)} | ${gemm(after)} |`);
}
const missing = fs.readdirSync(dir).filter((n) => n.endsWith('.err')).map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8').trim()]).filter(([, s]) => /skipped|Error|failed/.test(s));
for (const [n, s] of missing) console.log(`\n${n}: ${s.split('\n').slice(-3).join(' | ')}`);
EOF
