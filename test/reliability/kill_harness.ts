// Kill test for crash-safe saves: a child process saves a model folder over and over (two
// versions in turn, each ~4 MB of weights) and is SIGKILLed at a random moment; afterwards the
// folder must load and hold exactly one of the two versions (SHA-256 of the weights file), and
// after the next successful save no temporary or older file may remain.
// Run by tools/kill_test.ts:
//   node --import tsx tools/kill_test.ts --kills 200 [--seed 1] [--writer manifest|legacy-swap]
// --writer legacy-swap runs the old rename-away-then-rename-in folder swap (kept below as a
// scratch copy) to show that the test catches it.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { input, layers, loadModel, model } from '../../src/index.js';
import { modelToFiles, WEIGHTS_FILE } from '../../src/model/save.js';
import { readFolder, writeFolder } from '../../src/platform/node_folder.js';
import { legacySwapWrite } from './legacy_swap.js';

export type Writer = 'manifest' | 'legacy-swap';

export interface KillResult {
  kills: number;
  survived: number;
  failures: string[];
}

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

function versionFiles(seedScale: number): Record<string, Uint8Array> {
  const x = input([1000]);
  const m = model({ inputs: x, outputs: layers.dense(1000).apply(x) });
  for (const l of m.layers) for (const p of l.params) p.value.view().fill(seedScale);
  return modelToFiles(m);
}

function readWeights(dir: string, writer: Writer): Uint8Array {
  if (writer === 'legacy-swap') return fs.readFileSync(path.join(dir, WEIGHTS_FILE));
  return readFolder(dir, (read) => ({ [WEIGHTS_FILE]: read(WEIGHTS_FILE) }))[WEIGHTS_FILE]!;
}

/** Everything in the scratch folder besides the model folder's own files. */
function leftovers(root: string, dir: string, writer: Writer): string[] {
  const beside = fs.readdirSync(root).filter((n) => n !== path.basename(dir) && n !== 'versions');
  const inside = fs.readdirSync(dir);
  const expected = writer === 'manifest' ? 3 : 2; // manifest + model + weights, or model + weights
  return [...beside, ...(inside.length === expected ? [] : inside.map((n) => `${path.basename(dir)}/${n}`))];
}

export async function runKillTest(kills: number, seed = 1, writer: Writer = 'manifest'): Promise<KillResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-kill-'));
  const dir = path.join(root, 'model');
  const versions = path.join(root, 'versions');
  fs.mkdirSync(versions);
  const sums = new Set<string>();
  for (const v of ['a', 'b']) {
    const files = versionFiles(v === 'a' ? 0.25 : -0.5);
    fs.mkdirSync(path.join(versions, v));
    for (const [n, b] of Object.entries(files)) fs.writeFileSync(path.join(versions, v, n), b);
    sums.add(sha(files[WEIGHTS_FILE]!));
  }
  const child = fileURLToPath(new URL('./kill_child.ts', import.meta.url));
  let state = seed >>> 0 || 1;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const failures: string[] = [];
  let survived = 0;
  for (let k = 0; k < kills; k++) {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, writer, dir, versions], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Kill once the child has saved at least once, at a random moment of its save loop.
    await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, random() * 60));
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const problems: string[] = [];
    try {
      const w = readWeights(dir, writer);
      if (!sums.has(sha(w))) problems.push('weights are neither version');
      if (writer === 'manifest') loadModel(dir).model.dispose();
    } catch (e) {
      problems.push(`does not load: ${(e as Error).message}`);
    }
    // The next successful save must leave no temporaries behind.
    try {
      const files = Object.fromEntries(
        fs
          .readdirSync(path.join(versions, 'a'))
          .map((n) => [n, new Uint8Array(fs.readFileSync(path.join(versions, 'a', n)))]),
      );
      if (writer === 'manifest') writeFolder(dir, files);
      else legacySwapWrite(dir, files);
      const left = leftovers(root, dir, writer);
      if (left.length) problems.push(`left after the next save: ${left.join(', ')}`);
    } catch (e) {
      problems.push(`the next save failed: ${(e as Error).message}`);
    }
    if (problems.length) {
      failures.push(`kill ${k + 1}: ${problems.join('; ')}`);
      // Start the next round from a clean folder.
      for (const n of fs.readdirSync(root))
        if (n !== 'versions') fs.rmSync(path.join(root, n), { recursive: true, force: true });
    } else survived++;
  }
  fs.rmSync(root, { recursive: true, force: true });
  return { kills, survived, failures };
}
