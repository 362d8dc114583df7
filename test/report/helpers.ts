// Models and data the report tests share: a small MNIST model (its report is on the 10,000 test
// digits) and a breast-cancer table model with the diagnosis as labels (1 = malignant) and gaps.

import fs from 'node:fs';
import { autoencoders, type Autoencoder } from '../../src/index.js';
import { fitTable } from '../../src/apps/tabular.js';
import { loadMnist } from '../../src/data/mnist.js';
import { parseTable, type Table } from '../../src/data/table.js';

export const CANCER_FILE = 'data/breast_cancer.csv';

export async function mnistModel(): Promise<{ ae: Autoencoder; test: ReturnType<typeof loadMnist> }> {
  const train = loadMnist('train'),
    test = loadMnist('test');
  const n = 3000;
  const ae = autoencoders.dense({ hidden: [64], latent: 12 });
  await ae.fit(
    { data: train.images.data.subarray(0, n * 784), shape: [n, 784] },
    { epochs: 2, batchSize: 100, validationSplit: 0.1, verbose: false, source: 'mnist:train' },
  );
  return { ae, test };
}

/** The table without its diagnosis column, 0/1 labels (malignant = 1), and two cells made missing. */
export function cancerTable(): { table: Table; labels: Int32Array; gaps: [number, string][] } {
  const t = parseTable(fs.readFileSync(CANCER_FILE, 'utf8'), CANCER_FILE);
  const d = t.columns.indexOf('diagnosis');
  const labels = Int32Array.from(t.rows, (r) => (r[d] === 'malignant' ? 1 : 0));
  const table = { columns: t.columns.filter((_, i) => i !== d), rows: t.rows.map((r) => r.filter((_, i) => i !== d)) };
  const gaps: [number, string][] = [
    [3, table.columns[2]!],
    [10, table.columns[5]!],
  ];
  table.rows[3]![2] = '';
  table.rows[10]![5] = 'NA';
  return { table, labels, gaps };
}

export async function cancerModel(table: Table): Promise<Autoencoder> {
  const ae = autoencoders.dense({ hidden: [32], latent: 6 });
  await fitTable(ae, table, CANCER_FILE, { epochs: 40, batchSize: 32, validationSplit: 0.2, verbose: false });
  return ae;
}
