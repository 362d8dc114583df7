// hourglass export / import as a user runs them (in-process main): a model trained on a table
// goes out as ONNX with its preprocessing folded in and as a PyTorch folder; weights trained in
// PyTorch come back with `hourglass import` and the saved model then predicts as PyTorch does.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { fitTable } from '../../src/apps/tabular.js';
import { parseTable } from '../../src/data/table.js';
import { transformTable, type TabularPreprocessing } from '../../src/data/tabular_preprocessing.js';
import { main } from '../../src/cli/main.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/model/safetensors.js';
import { autoencoders } from '../../src/models/index.js';
import { loadAutoencoder } from '../../src/models/kinds.js';
import { assertAllClose, runOnnx } from '../helpers/onnx_runtime.js';

const PYTHON = '/usr/bin/python3';
const TOOL = new URL('../../tools/torch_roundtrip.py', import.meta.url).pathname;
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

async function hourglass(...args: string[]): Promise<number> {
  process.exitCode = 0;
  await main(['node', 'hourglass', ...args, '--json']);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-export-'));
const csv = [
  'a,b,c',
  ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${Math.sin(i).toFixed(3)}`),
].join('\n');
const table = parseTable(csv, 'data.csv');
const dir = path.join(tmp, 'model');

test('hourglass export --format onnx, with the preprocessing folded in', async () => {
  const ae = autoencoders.dense({ hidden: [4], latent: 2 });
  await fitTable(ae, table, 'data.csv', { epochs: 2, verbose: false });
  ae.save(dir);
  const out = path.join(tmp, 'model.onnx');
  assert.equal(await hourglass('export', dir, '--format', 'onnx', '--out', out, '--fold-preprocessing'), 0);
  const p = ae.extra['preprocessing'] as TabularPreprocessing;
  const raw = Float32Array.from(table.rows.flat().map(Number));
  const scaled = ae.reconstruct(transformTable(p, table, 'data.csv').x).data;
  const cols = p.columns as { center: number; scale: number }[];
  const expected = scaled.map((v, i) => v * cols[i % 3]!.scale + cols[i % 3]!.center);
  const got = await runOnnx(new Uint8Array(fs.readFileSync(out)), raw, [40, 3]);
  assertAllClose(got.data as Float32Array, expected, 1e-5, 'CLI ONNX export');
  // No overwrite without --overwrite; an unknown part is refused.
  assert.equal(await hourglass('export', dir, '--format', 'onnx', '--out', out), 1);
  assert.notEqual(await hourglass('export', dir, '--format', 'onnx', '--out', `${out}2`, '--part', 'middle'), 0);
});

test(
  'hourglass export --format pytorch, train in PyTorch, hourglass import',
  { skip: hasTorch ? false : 'no torch in /usr/bin/python3' },
  async () => {
    const folder = path.join(tmp, 'torch');
    assert.equal(await hourglass('export', dir, '--format', 'pytorch', '--out', folder), 0);
    const ae = loadAutoencoder(dir);
    const x = transformTable(ae.extra['preprocessing'] as TabularPreprocessing, table, 'data.csv').x;
    fs.writeFileSync(
      path.join(folder, 'input.safetensors'),
      encodeSafetensors([
        { name: 'x', shape: [40, 3], data: x.data },
        { name: 'y', shape: [40, 3], data: x.data },
      ]),
    );
    fs.writeFileSync(path.join(folder, 'train.json'), JSON.stringify({ optimizer: 'adam', lr: 0.01, steps: 5 }));
    const r = spawnSync(PYTHON, [TOOL, folder], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    fs.copyFileSync(path.join(folder, 'trained.safetensors'), path.join(folder, 'weights.safetensors'));
    assert.equal(await hourglass('import', folder, '--into', dir), 0);
    const after = decodeSafetensors(fs.readFileSync(path.join(folder, 'outputs.safetensors')), 'outputs').tensors.get(
      'after',
    )!;
    const reloaded = loadAutoencoder(dir);
    assertAllClose(reloaded.reconstruct(x).data, after.data, 1e-5, 'imported model vs PyTorch');
    assert.ok(
      Math.max(...reloaded.reconstruct(x).data.map((v, i) => Math.abs(v - ae.reconstruct(x).data[i]!))) > 1e-4,
      'training changed the model',
    );
    // A folder without weights is refused by name.
    assert.equal(await hourglass('import', tmp, '--into', dir), 1);
  },
);
