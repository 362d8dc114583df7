// The command line and the library share one set of defaults per member of the family
// (src/models/defaults.ts): `hourglass train --kind K` without size flags saves exactly the layers
// of autoencoders.K() with no options, and train --help prints those defaults. Data: the
// breast-cancer table (data/breast_cancer.csv).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  autoencoders,
  CONTRACTIVE_DEFAULTS,
  DENSE_DEFAULTS,
  SPARSE_DEFAULTS,
  VARIATIONAL_DEFAULTS,
  type Autoencoder,
} from '../../src/index.js';
import { parseTable } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { modelToJson } from '../../src/model/serialize.js';
import { CONV_DEFAULTS, denseSizes, variationalSizes, type NetworkSizes } from '../../src/models/defaults.js';
import { savedFilePath } from '../helpers/saved_folder.js';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;
const TABLE = new URL('../../data/breast_cancer.csv', import.meta.url).pathname;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-defaults-'));

function hourglass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!);

// The table's width once prepared (standardized numbers, one-hot categories), as train sees it.
const table = parseTable(fs.readFileSync(TABLE, 'utf8'), TABLE);
const width = transformTable(fitPreprocessing(table, 'standard', TABLE), table, TABLE).x.shape[1]!;

const mirrored = ({ hidden, latent }: NetworkSizes) =>
  [width, ...hidden, latent, ...[...hidden].reverse(), width].join('-');

const cases: [string, () => Autoencoder, string][] = [
  // Sizes left out are chosen from the input width by the library's rules (narrower than the
  // presets for this 32-value table: the code a quarter of the inputs).
  ['variational', () => autoencoders.variational(), mirrored(variationalSizes(width))],
  ['contractive', () => autoencoders.contractive(), mirrored(denseSizes(width))],
  ['sparse', () => autoencoders.sparse(), mirrored(denseSizes(width))],
];

for (const [kind, make, sizes] of cases) {
  test(`train --kind ${kind} without size flags saves the layers of autoencoders.${kind}()`, () => {
    const out = path.join(tmp, kind);
    const r = hourglass('train', TABLE, '--kind', kind, '--epochs', '1', '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lastJson(r.stdout).architecture, `dense ${sizes}`);
    const saved = JSON.parse(fs.readFileSync(savedFilePath(out, 'model.json'), 'utf8'));
    // The library's network for the same rows: standardized data has a linear output.
    const ae = make().build([width], 'linear');
    assert.deepEqual(saved.layers, modelToJson(ae.model).layers, 'same layers, sizes and options (penalties included)');
    assert.deepEqual(saved.extra.autoencoder.options, {}, 'no option was filled in by the command line');
  });
}

test("train --help prints the library's defaults", () => {
  const r = hourglass('train', '--help');
  assert.equal(r.code, 0, r.stderr);
  // Commander wraps long descriptions; compare with the whitespace folded.
  const help = r.stdout.replace(/\s+/g, ' ');
  for (const text of [
    `at most ${DENSE_DEFAULTS.hidden.join(',')}; variational ${VARIATIONAL_DEFAULTS.hidden.join(',')})`,
    `(default: a quarter of the inputs, 2 to ${DENSE_DEFAULTS.latent}; variational ${VARIATIONAL_DEFAULTS.latent};`,
    `(default l1:${SPARSE_DEFAULTS.sparsity.l1}; KL weight ${SPARSE_DEFAULTS.klWeight})`,
    `(default ${CONTRACTIVE_DEFAULTS.weight})`,
    `weight of the KL term (default ${VARIATIONAL_DEFAULTS.beta})`,
    `see the README); default ${CONV_DEFAULTS.decoder}`,
  ])
    assert.ok(help.includes(text), `--help shows ${text}`);
});
