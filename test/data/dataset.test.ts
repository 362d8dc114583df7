// Streaming datasets: the transformations (map, take, batch, seeded shuffle buffer, prefetch),
// files streamed row by row against the in-memory readers, the preprocessing fitted in one
// streaming pass against fitPreprocessing, and fitDataset against the in-memory fit: the same
// batches in the same order give the same weights.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { input, layers, model } from '../../src/index.js';
import { Dataset } from '../../src/data/dataset.js';
import { openFile, type ArrayFile, type TableFile } from '../../src/data/dataset_files.js';
import { fitPreprocessingStream, preparedRows } from '../../src/data/table_stream.js';
import { loadDataset, readDataset } from '../../src/data/datasets.js';
import { parseNpy, type NpyArray } from '../../src/data/npy_read.js';
import { encodeNpy } from '../../src/data/npy.js';
import { parseTable } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { Random } from '../../src/engine/random.js';
import { predictDataset, rowErrors } from '../../src/model/predict_dataset.js';
import type { Tensor } from '../../src/engine/tensor.js';

const DIR = new URL('../fixtures/data/', import.meta.url).pathname;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('map, take, batch and prefetch keep order; the last batch is partial', async () => {
  const ds = Dataset.fromGenerator(function* () {
    for (let i = 0; i < 10; i++) yield Float32Array.of(i, -i);
  });
  const batches = await ds
    .map((r) => r.map((v) => v * 2))
    .batch(4)
    .prefetch(3)
    .toArray();
  assert.deepEqual(
    batches.map((b) => b.shape),
    [
      [4, 2],
      [4, 2],
      [2, 2],
    ],
  );
  assert.deepEqual(Array.from(batches[2]!.data), [16, -16, 18, -18]);
  assert.equal((await ds.batch(4, true).toArray()).length, 2);
  assert.equal((await ds.take(3).toArray()).length, 3);
  // A dataset is read afresh on every pass.
  assert.equal((await ds.toArray()).length, 10);
});

test('the shuffle buffer: a permutation per pass, seeded, new each pass; a buffer of 1 keeps order', async () => {
  const ids = Dataset.fromGenerator(() => range(50));
  const a = ids.shuffle(64, 3);
  const [p1, p2] = [await a.toArray(), await a.toArray()];
  assert.deepEqual(
    [...p1].sort((x, y) => x - y),
    range(50),
  );
  assert.notDeepEqual(p1, p2);
  const b = ids.shuffle(64, 3);
  assert.deepEqual(await b.toArray(), p1);
  assert.deepEqual(await ids.shuffle(1, 3).toArray(), range(50));
  // With a buffer of 5 the first element out is one of the first 6 in.
  const small = await ids.shuffle(5, 9).toArray();
  assert.ok(small[0]! <= 5);
  assert.deepEqual(
    [...small].sort((x, y) => x - y),
    range(50),
  );
});

function rowsOf(a: NpyArray): Float32Array[] {
  const n = a.shape[0]!;
  const w = a.data.length / n;
  return range(n).map((r) => a.data.slice(r * w, (r + 1) * w));
}

test('.npy, IDX and image rows streamed from disk equal the in-memory readers', async () => {
  for (const f of ['f4_le_c.npy', 'f8_be_c.npy', 'i8_be_c.npy', 'u4_le_c.npy', 'f4_1d.npy']) {
    const s = (await openFile(path.join(DIR, f))) as ArrayFile;
    assert.deepEqual(await s.rows.toArray(), rowsOf(parseNpy(fs.readFileSync(path.join(DIR, f)), f)), f);
  }
  const img = (await openFile(path.join(DIR, 'images_u1.npy'))) as ArrayFile;
  assert.deepEqual(img.image, [6, 4, 1]);
  const mem = loadDataset(path.join(DIR, 'images_u1.npy')).x;
  assert.deepEqual(Array.from((await img.rows.batch(5).toArray())[0]!.data), Array.from(mem.data));
  await assert.rejects(openFile(path.join(DIR, 'f4_le_f.npy')), /Fortran order/);
  await assert.rejects(openFile(path.join(DIR, 'bad_truncated.npy')), /truncated/);
  // An IDX file (uint8, [3, 2, 2]), written by hand: big-endian header, then the values.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-ds-'));
  try {
    const idx = path.join(tmp, 'x-idx3-ubyte');
    const values = range(12).map((i) => i * 20);
    fs.writeFileSync(idx, Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, ...values]));
    const s = (await openFile(idx)) as ArrayFile;
    assert.deepEqual(s.image, [2, 2, 1]);
    assert.deepEqual(Array.from((await s.rows.batch(3).toArray())[0]!.data), Array.from(loadDataset(idx).x.data));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

const CSV = 'size,color,weight\n1,red,10\n3,"blue",NA\n,red,30\n5,green,null\n2.5,blue,7\n';

test('tables streamed (CSV, NDJSON, Parquet): same cells, same preprocessing fitted in one pass', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-ds-'));
  try {
    const csvFile = path.join(tmp, 't.csv');
    fs.writeFileSync(csvFile, CSV);
    const table = parseTable(CSV, 't.csv');
    const nd = path.join(tmp, 't.ndjson');
    fs.writeFileSync(
      nd,
      table.rows.map((r) => JSON.stringify(Object.fromEntries(table.columns.map((c, i) => [c, r[i]])))).join('\n'),
    );
    for (const f of [csvFile, nd]) {
      const s = (await openFile(f)) as TableFile;
      assert.deepEqual(s.columns, table.columns);
      assert.deepEqual(await s.cells.toArray(), table.rows);
      for (const scaling of ['standard', 'minmax', 'none'] as const) {
        const want = fitPreprocessing(table, scaling, f);
        const got = await fitPreprocessingStream(s.columns, s.cells, scaling, f);
        // Welford's running variance against the two-pass one: equal up to rounding.
        got.columns.forEach((c, i) => {
          const w = want.columns[i]!;
          if (c.kind === 'numeric' && w.kind === 'numeric') {
            for (const k of ['center', 'scale', 'fill'] as const) assert.ok(Math.abs(c[k] - w[k]) < 1e-12, `${k}`);
          } else assert.deepEqual(c, w);
        });
        const rows = await preparedRows(want, s.columns, s.cells, f).batch(100).toArray();
        assert.deepEqual(Array.from(rows[0]!.data), Array.from(transformTable(want, table, f).x.data));
      }
    }
    const pq = path.join(DIR, 'table.parquet');
    const s = (await openFile(pq)) as TableFile;
    assert.equal(s.count, 6);
    assert.deepEqual(await s.cells.toArray(), (await readDataset(pq)).table!.rows);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

function denseAutoencoder(weights?: Float32Array[]) {
  const x = input([6]);
  const h = layers.dense(3, { activation: 'tanh' }).apply(x);
  const y = layers.dense(6).apply(h);
  const m = model({ inputs: x, outputs: y });
  m.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse' });
  if (weights) m.setWeights(weights);
  return m;
}

test('fitDataset with a shuffle buffer over the whole set gives the in-memory fit weights', async () => {
  const random = new Random(5);
  const n = 37;
  const data = Float32Array.from({ length: n * 6 }, () => random.normal());
  const x: Tensor = { data, shape: [n, 6] };
  const streamed = denseAutoencoder();
  const start = streamed.getWeights();
  const inMemory = denseAutoencoder(start);

  // Row ids through the same shuffle give the order each epoch sees.
  const orders = Dataset.fromGenerator(() => range(n)).shuffle(n, 11);
  const epochOrders = [await orders.toArray(), await orders.toArray()];
  const rows = Dataset.fromTensor(x).shuffle(n, 11).batch(8).prefetch(2);
  await streamed.fitDataset(rows, { epochs: 2, verbose: false });
  for (const order of epochOrders) {
    const permuted = new Float32Array(n * 6);
    order.forEach((r, i) => permuted.set(data.subarray(r * 6, r * 6 + 6), i * 6));
    const xs = { data: permuted, shape: [n, 6] };
    await inMemory.fit(xs, xs, { epochs: 1, batchSize: 8, shuffle: false, verbose: false });
  }
  const a = streamed.getWeights(),
    b = inMemory.getWeights();
  assert.notDeepEqual(a[0], start[0], 'training changed the weights');
  assert.equal(a.length, 4);
  a.forEach((w, i) => assert.deepEqual(w, b[i], `weight ${i}`));
});

test('fitDataset from a .npy file on disk, with stepsPerEpoch across passes and validation', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-ds-'));
  try {
    const random = new Random(8);
    const data = Float32Array.from({ length: 30 * 6 }, () => random.normal());
    const file = path.join(tmp, 'x.npy');
    fs.writeFileSync(file, encodeNpy(data, [30, 6]));
    const streamed = denseAutoencoder();
    const initial = streamed.getWeights();
    const inMemory = denseAutoencoder(initial);
    const s = (await openFile(file)) as ArrayFile;
    assert.equal(s.count, 30);
    const x = { data, shape: [30, 6] };
    const h = await streamed.fitDataset(s.rows.batch(10), { epochs: 2, verbose: false, validationData: [x, x] });
    await inMemory.fit(x, x, { epochs: 2, batchSize: 10, shuffle: false, verbose: false });
    assert.equal(initial.length, 4);
    streamed.getWeights().forEach((w, i) => assert.deepEqual(w, inMemory.getWeights()[i]));
    assert.notDeepEqual(streamed.getWeights()[0], initial[0]);
    assert.equal(h.history['val_loss']!.length, 2);
    // 4 steps an epoch over 3 batches a pass: the pass restarts inside the epoch.
    const h2 = await streamed.fitDataset(s.rows.batch(10), { epochs: 2, stepsPerEpoch: 4, verbose: false });
    assert.equal(h2.history['loss']!.length, 2);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('predictDataset streams outputs equal to predict, and per-row errors', async () => {
  const random = new Random(2);
  const data = Float32Array.from({ length: 23 * 6 }, () => random.normal());
  const m = denseAutoencoder();
  const x = { data, shape: [23, 6] };
  const whole = m.predict(x, { verbose: false });
  const parts = await predictDataset(m, Dataset.fromTensor(x).batch(5)).toArray();
  const streamed = new Float32Array(whole.data.length);
  const errors: number[] = [];
  let o = 0;
  for (const p of parts) {
    streamed.set(p.y.data, o);
    o += p.y.data.length;
    errors.push(...rowErrors(p));
  }
  assert.deepEqual(streamed, whole.data);
  // Row 4's error by hand from the in-memory prediction.
  let s = 0;
  for (let j = 24; j < 30; j++) s += (data[j]! - whole.data[j]!) ** 2;
  assert.ok(Math.abs(errors[4]! - s / 6) < 1e-6);
  assert.equal(errors.length, 23);
});
