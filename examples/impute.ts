// Filling missing values in a table: removes 20% of the cells of the breast-cancer table, trains
// a denoising autoencoder on what is left, fills the gaps, and compares with column means.
// Run: npx tsx examples/impute.ts

import fs from 'node:fs';
import { autoencoders, fitTable, imputeTable, parseTable, Random } from 'hourglass-ae';

const full = parseTable(fs.readFileSync('data/breast_cancer.csv', 'utf8'), 'breast_cancer.csv');
const rng = new Random(1);
const gappy = { columns: full.columns, rows: full.rows.map((r) => r.map((c) => (rng.uniform() < 0.2 ? 'NA' : c))) };

const ae = autoencoders.denoising({ hidden: [64], latent: 16, noise: { type: 'masking', rate: 0.2 } });
await fitTable(ae, gappy, 'breast_cancer.csv', { epochs: 200, batchSize: 32, learningRate: 0.002, verbose: false });
const filled = imputeTable(ae, gappy, 'breast_cancer.csv').table;

// Error on the removed numeric cells, in units of each column's spread, beside column means.
let ours = 0,
  means = 0,
  n = 0;
full.columns.forEach((_, c) => {
  const observed = gappy.rows
    .map((r) => r[c]!)
    .filter((v) => v !== 'NA')
    .map(Number);
  if (observed.some(Number.isNaN)) return; // the diagnosis column
  const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
  const sd = Math.sqrt(observed.reduce((a, b) => a + (b - mean) ** 2, 0) / observed.length);
  gappy.rows.forEach((r, i) => {
    if (r[c] !== 'NA') return;
    const truth = Number(full.rows[i]![c]);
    ours += ((Number(filled.rows[i]![c]) - truth) / sd) ** 2;
    means += ((mean - truth) / sd) ** 2;
    n++;
  });
});
console.log(
  `RMSE on ${n} removed cells: autoencoder ${Math.sqrt(ours / n).toFixed(3)}, column means ${Math.sqrt(means / n).toFixed(3)} (column SD units)`,
);
