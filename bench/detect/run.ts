// The detection bench: ADBench's protocol on the tables in data/adbench. For each dataset and
// seed, a stratified 60/40 split (made here, so every detector scores the same rows); each
// detector is fitted on the 60% without labels (anomalies included, as in real data) and scores
// the 40%; ROC-AUC and average precision, averaged over seeds. scikit-learn's Isolation Forest,
// LOF, One-Class SVM, PCA and k-NN run in the same run (Debian's python3-sklearn; skipped with a
// message when absent) beside Hourglass's default detector (src/detection/detector.ts).
//
// npm run bench:detect [-- --seeds 5 --datasets cardio,glass --json out.json]
// Ablation (what each piece adds): --members 1, --contamination 0 (no trimming), --views
// reconstruction (no code distance), --no-baselines to skip scikit-learn.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnomalyDetector } from '../../src/detection/detector.js';
import { averagePrecision, rocAuc } from '../../src/apps/metrics.js';
import { parseTable } from '../../src/data/table.js';
import { Random } from '../../src/engine/random.js';
import { setThreads } from '../../src/index.js';

const DATASETS = [
  'cardio',
  'thyroid',
  'satellite',
  'WDBC',
  'Pima',
  'shuttle',
  'mammography',
  'annthyroid',
  'vowels',
  'glass',
];
const BASELINES = ['iforest', 'lof', 'ocsvm', 'pca', 'knn'] as const;
const DATA_DIR = 'data/adbench';

interface Split {
  seed: number;
  train: number[];
  test: number[];
}
interface Quality {
  rocAuc: number;
  ap: number;
}

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    datasets: { type: 'string', default: DATASETS.join(',') },
    json: { type: 'string' },
    members: { type: 'string' },
    contamination: { type: 'string' },
    views: { type: 'string' },
    'no-baselines': { type: 'boolean', default: false },
  },
});
const seeds = Number(flags.seeds);
const datasets = flags.datasets.split(',');
for (const d of datasets)
  if (!DATASETS.includes(d)) throw new Error(`unknown dataset '${d}' (have ${DATASETS.join(', ')})`);

function loadTable(name: string): { x: number[][]; y: number[] } {
  const table = parseTable(fs.readFileSync(`${DATA_DIR}/${name}.csv`, 'utf8'), `${name}.csv`);
  const label = table.columns.indexOf('anomaly');
  const rows = table.rows.map((r) => r.map(Number));
  return { x: rows.map((r) => r.filter((_, j) => j !== label)), y: rows.map((r) => r[label]!) };
}

/** A stratified split: 40% of each class to the test part, drawn with the seed. */
function stratifiedSplit(y: number[], seed: number): Split {
  const rng = new Random(seed + 1);
  const train: number[] = [],
    test: number[] = [];
  for (const cls of [0, 1]) {
    const idx = y.flatMap((v, i) => (v === cls ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const nTest = Math.round(idx.length * 0.4);
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
  }
  return { seed, train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

function sklearnAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

const tables = new Map(datasets.map((d) => [d, loadTable(d)]));
const splits: Record<string, Split[]> = {};
for (const [name, t] of tables) splits[name] = Array.from({ length: seeds }, (_, s) => stratifiedSplit(t.y, s));

let baselines: Record<string, Record<string, Quality[]>> | null = null;
const detectorOptions = {
  ...(flags.members !== undefined ? { members: Number(flags.members) } : {}),
  ...(flags.contamination !== undefined ? { contamination: Number(flags.contamination) } : {}),
  ...(flags.views !== undefined ? { views: flags.views as 'both' | 'reconstruction' } : {}),
};
if (flags['no-baselines']) {
  console.error('baselines skipped (--no-baselines)');
} else if (sklearnAvailable()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-detect-'));
  fs.writeFileSync(`${dir}/splits.json`, JSON.stringify(splits));
  console.error('scikit-learn baselines ...');
  execFileSync('/usr/bin/python3', ['bench/detect/baselines.py', `${dir}/splits.json`, DATA_DIR, `${dir}/out.json`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  baselines = JSON.parse(fs.readFileSync(`${dir}/out.json`, 'utf8')) as Record<string, Record<string, Quality[]>>;
  fs.rmSync(dir, { recursive: true });
} else {
  console.error('scikit-learn is not installed (apt-get install python3-sklearn): the baselines are skipped');
}

// Small networks: one thread is fastest (the work per step is too small to split).
setThreads(1);
const ours: Record<string, Quality[]> = {};
for (const [name, t] of tables) {
  ours[name] = [];
  for (const split of splits[name]!) {
    const started = performance.now();
    const detector = await AnomalyDetector.fit(
      split.train.map((i) => t.x[i]!),
      { seed: 42 + split.seed, ...detectorOptions },
    );
    const scores = detector.score(split.test.map((i) => t.x[i]!));
    detector.dispose();
    const labels = split.test.map((i) => t.y[i]!);
    ours[name].push({ rocAuc: rocAuc(scores, labels), ap: averagePrecision(scores, labels) });
    console.error(
      `  ${name} split ${split.seed}: Hourglass ROC-AUC ${ours[name].at(-1)!.rocAuc.toFixed(3)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}

const mean = (q: Quality[], key: keyof Quality) => q.reduce((a, b) => a + b[key], 0) / q.length;
const systems = ['hourglass', ...(baselines ? BASELINES : [])];
const quality = (name: string, system: string): Quality[] =>
  system === 'hourglass' ? ours[name]! : baselines![name]![system]!;

for (const key of ['rocAuc', 'ap'] as const) {
  console.log(`\n${key === 'rocAuc' ? 'ROC-AUC' : 'Average precision'}, mean of ${seeds} seeds`);
  console.log(`| dataset | ${systems.join(' | ')} |`);
  console.log(`|---|${systems.map(() => '---').join('|')}|`);
  const means = systems.map(() => 0);
  for (const name of datasets) {
    const row = systems.map((s) => mean(quality(name, s), key));
    row.forEach((v, i) => (means[i] = means[i]! + v / datasets.length));
    console.log(`| ${name} | ${row.map((v) => v.toFixed(3)).join(' | ')} |`);
  }
  console.log(`| **mean** | ${means.map((v) => `**${v.toFixed(3)}**`).join(' | ')} |`);
}
if (baselines) {
  const rocMean = (s: string) => datasets.reduce((a, n) => a + mean(quality(n, s), 'rocAuc'), 0) / datasets.length;
  const best = Math.max(...BASELINES.map(rocMean));
  const behind = datasets.filter((n) => mean(ours[n]!, 'rocAuc') < mean(quality(n, 'iforest'), 'rocAuc') - 0.05);
  console.log(
    `\nHourglass mean ROC-AUC ${rocMean('hourglass').toFixed(3)} vs best baseline ${best.toFixed(3)}; ` +
      `datasets more than 0.05 below Isolation Forest: ${behind.length ? behind.join(', ') : 'none'}`,
  );
}
if (flags.json) fs.writeFileSync(flags.json, JSON.stringify({ seeds, splits: undefined, ours, baselines }, null, 1));
