// The family trained from streaming datasets: a table streamed from a CSV file (preprocessing
// fitted in a first streaming pass, masks streaming with the rows) gives the same weights as the
// in-memory fit on the same prepared rows and mask; arrays streamed as batches give the in-memory
// fit's weights for a denoising and a variational autoencoder (whose ELBO is reported); the
// output chosen from a sample is checked against every later batch.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { autoencoders, loadAutoencoder, type Autoencoder } from '../../src/index.js';
import { Dataset } from '../../src/data/dataset.js';
import { fitFile } from '../../src/apps/fit_file.js';
import { preprocessingOf } from '../../src/apps/tabular.js';
import { parseTable } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { Random } from '../../src/engine/random.js';
import type { Tensor } from '../../src/engine/tensor.js';

const quiet = { verbose: false } as const;

function tableCsv(rows: number, random: Random): string {
  const lines = ['a,b,colour,c'];
  for (let r = 0; r < rows; r++) {
    const z = random.normal();
    const cells = [
      (2 * z + 1).toFixed(3),
      random.uniform() < 0.15 ? '' : (z - 0.5 * random.normal()).toFixed(3),
      ['red', 'green', 'blue'][r % 3]!,
      random.uniform() < 0.1 ? 'NA' : (10 + z).toFixed(2),
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

const weightsOf = (ae: Autoencoder) => ae.model.getWeights();

test('a CSV table streamed with its gaps masked trains to the in-memory fit of the same rows and mask', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-aeds-'));
  try {
    const text = tableCsv(53, new Random(4));
    const file = path.join(tmp, 't.csv');
    fs.writeFileSync(file, text);
    const streamed = autoencoders.dense({ hidden: [6], latent: 2 });
    const r = await fitFile(streamed, file, { batchSize: 8, epochs: 2, shuffleBuffer: 0, seed: 3, ...quiet });
    assert.equal(r.rows, 53);
    const table = parseTable(text, file);
    const p = preprocessingOf(streamed)!;
    // The streaming pass fits what the in-memory one does (up to rounding of the deviations).
    const inMemoryP = fitPreprocessing(table, 'standard', file);
    assert.equal(p.columns.length, inMemoryP.columns.length);
    p.columns.forEach((c, i) => {
      const d = inMemoryP.columns[i]!;
      assert.equal(c.kind, d.kind);
      if (c.kind === 'numeric' && d.kind === 'numeric') {
        assert.ok(Math.abs(c.center - d.center) < 1e-9 && Math.abs(c.scale - d.scale) < 1e-9, c.name);
      } else assert.deepEqual(c, d);
    });
    const prepared = transformTable(p, table, file);
    assert.ok(prepared.missingCells > 5, `${prepared.missingCells} gaps`);
    assert.equal(r.missingCells, prepared.missingCells);
    const inMemory = autoencoders.dense({ hidden: [6], latent: 2 });
    await inMemory.fit(prepared.x, { mask: prepared.mask, epochs: 2, batchSize: 8, shuffle: false, seed: 3, ...quiet });
    const a = weightsOf(streamed),
      b = weightsOf(inMemory);
    a.forEach((w, i) => assert.deepEqual(w, b[i], `weight ${i}`));
    // The mask mattered: without it the same rows train to other weights.
    const unmasked = autoencoders.dense({ hidden: [6], latent: 2 });
    await unmasked.fit(prepared.x, { epochs: 2, batchSize: 8, shuffle: false, seed: 3, ...quiet });
    assert.notDeepEqual(weightsOf(unmasked)[0], a[0]);
    // Saved with the model and read back.
    const dir = path.join(tmp, 'model');
    streamed.save(dir);
    assert.deepEqual(preprocessingOf(loadAutoencoder(dir)), p);
    const run = loadAutoencoder(dir).trainingHistory.runs.at(-1)!;
    assert.equal(run.source, file);
    assert.equal(run.trainingRows, 53);
    // A preprocessing pass over the first rows only, as stated.
    const sampled = autoencoders.dense({ hidden: [6], latent: 2 });
    await fitFile(sampled, file, { batchSize: 8, epochs: 1, preprocessingRows: 10, ...quiet });
    const head = fitPreprocessing({ columns: table.columns, rows: table.rows.slice(0, 10) }, 'standard', file);
    assert.ok(
      Math.abs(
        (preprocessingOf(sampled)!.columns[0] as { center: number }).center -
          (head.columns[0] as { center: number }).center,
      ) < 1e-9,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

function unitRows(n: number, width: number, seed: number): Tensor {
  const random = new Random(seed);
  return { data: Float32Array.from({ length: n * width }, () => random.uniform()), shape: [n, width] };
}

test('denoising and variational autoencoders fit from a dataset as from the same rows in memory', async () => {
  const x = unitRows(40, 5, 9);
  for (const make of [
    () => autoencoders.denoising({ hidden: [4], latent: 2, noise: { type: 'masking', rate: 0.2 } }),
    () => autoencoders.variational({ hidden: [4], latent: 2 }),
  ]) {
    const streamed = make(),
      inMemory = make();
    const h = await streamed.fit(Dataset.fromTensor(x).batch(10), { epochs: 2, seed: 5, ...quiet });
    const h2 = await inMemory.fit(x, { epochs: 2, batchSize: 10, shuffle: false, seed: 5, ...quiet });
    assert.equal(streamed.outputActivation, 'sigmoid', 'data in [0, 1] picks a sigmoid output');
    weightsOf(streamed).forEach((w, i) => assert.deepEqual(w, weightsOf(inMemory)[i], `${streamed.kind} weight ${i}`));
    assert.deepEqual(h.history['loss'], h2.history['loss']);
    assert.deepEqual(h.history['mse'], h2.history['mse']);
    if (streamed.kind === 'variational') assert.deepEqual(h.history['negative_elbo'], h2.history['negative_elbo']);
  }
});

test('a value outside [0, 1] after the sampled rows stops the sigmoid fit with the reason', async () => {
  const x = unitRows(30, 4, 2);
  x.data[25 * 4 + 1] = 3;
  const ae = autoencoders.dense({ hidden: [4], latent: 2 });
  await assert.rejects(
    ae.fitDataset(Dataset.fromTensor(x).batch(5), { sampleRows: 10, ...quiet }),
    /a batch from row 25 on has values outside \[0, 1\], but the first 10 rows were all in it/,
  );
  await assert.rejects(
    autoencoders.dense().fit(Dataset.fromTensor(x).batch(5), { batchSize: 4 }),
    /batchSize belong to in-memory rows/,
  );
});

test('a NaN or an infinity in a later streamed batch stops the fit, naming where it is', async () => {
  // Rows of 5 values in batches of 5: 25 values a batch, 24 in SIMD vectors and one in the tail.
  for (const [at, v, where] of [
    [17 * 5 + 2, NaN, 'NaN at row 2, column 2'],
    [24 * 5 + 4, Infinity, 'Infinity at row 4, column 4'],
    [10 * 5, -Infinity, '-Infinity at row 0, column 0'],
  ] as const) {
    const x = { data: Float32Array.from({ length: 30 * 5 }, (_, i) => Math.sin(i) * 2), shape: [30, 5] };
    x.data[at] = v;
    const ae = autoencoders.dense({ hidden: [4], latent: 2 });
    await assert.rejects(
      ae.fitDataset(Dataset.fromTensor(x).batch(5), { sampleRows: 5, ...quiet }),
      new RegExp(`fitDataset batch x contains ${where}: clean or impute the data first`),
    );
  }
});
