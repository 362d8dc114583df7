// Tables: header and missing spellings, scaling fitted on training data, one-hot categories,
// masks, inverse back to original units, column mismatches named, the preprocessing saved in and
// read back from the model folder; and the k-NN imputation baseline against scikit-learn.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { autoencoders, loadAutoencoder } from '../../src/index.js';
import { fitTable, prepareTable } from '../../src/apps/tabular.js';
import { knnImpute } from '../../src/apps/knn_impute.js';
import { parseTable } from '../../src/data/table.js';
import { featureNames, fitPreprocessing, inverseRows, transformTable } from '../../src/data/tabular_preprocessing.js';
import { assertClose } from '../helpers/engine.js';
import { fixture } from '../helpers/fixtures.js';

const CSV = 'size,color,weight\n1,red,10\n3,blue,NA\n,red,30\n5,green,null\n';

test('numeric columns are scaled, text columns one-hot, missing cells masked; inverse gives original units', () => {
  const t = parseTable(CSV, 'shapes.csv');
  const p = fitPreprocessing(t, 'standard', 'shapes.csv');
  assert.deepEqual(featureNames(p), ['size', 'color=blue', 'color=green', 'color=red', 'weight']);
  const { x, mask, missingCells } = transformTable(p, t, 'shapes.csv');
  assert.equal(missingCells, 3);
  // size: mean 3, population sd sqrt(8/3); weight: mean 20, sd 10.
  const sd = Math.sqrt(8 / 3);
  assertClose(
    x.data,
    [-2 / sd, 0, 0, 1, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 2 / sd, 0, 1, 0, 0],
    1e-6,
    1e-6,
    'prepared rows',
  );
  assertClose(mask.data, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0], 0, 0, 'mask');
  const back = inverseRows(p, x.data);
  assert.deepEqual(back[0], ['1', 'red', '10']);
  assert.deepEqual(back[3]!.slice(0, 2), ['5', 'green']);
  const mm = fitPreprocessing(t, 'minmax', 'shapes.csv');
  const xm = transformTable(mm, t, 'shapes.csv').x.data;
  assert.deepEqual([xm[0], xm[5], xm[15]], [0, 0.5, 1]);
});

test("a table whose columns differ from the model's is refused, naming them", () => {
  const p = fitPreprocessing(parseTable(CSV, 'a.csv'), 'standard', 'a.csv');
  assert.throws(
    () => transformTable(p, parseTable('size,colour,weight\n1,red,2\n', 'b.csv'), 'b.csv'),
    /b\.csv: its columns do not match the model's; missing: 'color'; not in the model: 'colour'/,
  );
  assert.throws(
    () => transformTable(p, parseTable('size,color,weight\nbig,red,2\n', 'c.csv'), 'c.csv'),
    /row 2, column 'size' is 'big', but the model learned it as a number/,
  );
  assert.throws(
    () => fitPreprocessing(parseTable('a,b\n1,\n2,NA\n', 'd.csv'), 'standard', 'd.csv'),
    /column 'b' has no values/,
  );
  assert.throws(() => parseTable('a,a\n1,2\n', 'e.csv'), /column 'a' appears twice/);
});

test('the preprocessing is saved in the model folder and applied at inference', async () => {
  const t = parseTable(fs.readFileSync('data/breast_cancer.csv', 'utf8'), 'data/breast_cancer.csv');
  const ae = autoencoders.dense({ hidden: [16], latent: 4 });
  await fitTable(ae, t, 'data/breast_cancer.csv', { epochs: 2, verbose: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-tab-'));
  ae.save(dir);
  const back = loadAutoencoder(dir);
  assert.deepEqual(back.extra['preprocessing'], ae.extra['preprocessing']);
  // Columns in another order are matched by name.
  const shuffled = { columns: [...t.columns].reverse(), rows: t.rows.map((r) => [...r].reverse()) };
  assertClose(
    back.score(prepareTable(back, shuffled, 'x.csv').x),
    ae.score(prepareTable(ae, t, 'y.csv').x),
    0,
    0,
    'scores',
  );
  fs.rmSync(dir, { recursive: true });
});

test("k-NN imputation equals scikit-learn's KNNImputer", () => {
  const f = fixture<{ rows: number; cols: number; k: number; x: (number | null)[]; filled: number[] }>(
    'knn_impute.json',
  );
  const filled = knnImpute(
    f.x.map((v) => (v === null ? NaN : v)),
    f.rows,
    f.cols,
    f.k,
  );
  assertClose(filled, f.filled, 1e-9, 1e-9, 'filled values');
});
