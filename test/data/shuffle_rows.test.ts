// Dataset.shuffleRows, the copy-free shuffle buffer of rows of numbers: batched, it gives the
// batches shuffle() gives (its reference: the same seeded draws over copied rows), pass after
// pass, with buffers smaller than, equal to and larger than the set, and rows read from disk as
// views into the reader's chunks; a row of another width is refused.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Dataset } from '../../src/data/dataset.js';
import { openFile } from '../../src/data/dataset_files.js';
import { encodeNpy } from '../../src/data/npy.js';
import { Random } from '../../src/engine/random.js';

const random = new Random(12);
const n = 333,
  width = 7;
const x = { data: Float32Array.from({ length: n * width }, () => random.normal()), shape: [n, width] };
const flat = async (ds: Dataset<{ data: Float32Array; shape: number[] }>) =>
  (await ds.toArray()).map((b) => [b.shape, Array.from(b.data)]);

test('shuffleRows batches as shuffle() does, every pass, whatever the buffer size', async () => {
  for (const buffer of [1, 50, 333, 1000]) {
    const reference = Dataset.fromTensor(x)
      .map((r) => r.slice())
      .shuffle(buffer, 9)
      .batch(32);
    const copyFree = Dataset.fromTensor(x).shuffleRows(buffer, 9).batch(32);
    for (let pass = 0; pass < 3; pass++)
      assert.deepEqual(await flat(copyFree), await flat(reference), `buffer ${buffer}, pass ${pass}`);
  }
});

test('shuffleBatches gives the batches shuffle().batch() gives, every pass, whatever the sizes', async () => {
  for (const buffer of [1, 50, 333, 1000])
    for (const batch of [1, 32, 333, 500]) {
      const reference = Dataset.fromTensor(x)
        .map((r) => r.slice())
        .shuffle(buffer, 9)
        .batch(batch);
      const fused = Dataset.fromTensor(x).shuffleBatches(buffer, batch, 9);
      for (let pass = 0; pass < 2; pass++)
        assert.deepEqual(await flat(fused), await flat(reference), `buffer ${buffer}, batch ${batch}, pass ${pass}`);
    }
  assert.throws(() => Dataset.fromTensor(x).shuffleBatches(8, 0), /batchSize must be a positive integer/);
});

test('rows streamed from a .npy (views into its chunks) shuffle as copied rows do', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-shuffle-rows-'));
  try {
    const file = path.join(dir, 'x.npy');
    fs.writeFileSync(file, encodeNpy(x.data, x.shape));
    const f = await openFile(file);
    assert.equal(f.kind, 'array');
    if (f.kind !== 'array') return;
    const a = await flat(f.rows.shuffleRows(64, 3).batch(50));
    const b = await flat(
      Dataset.fromTensor(x)
        .map((r) => r.slice())
        .shuffle(64, 3)
        .batch(50),
    );
    assert.deepEqual(a, b);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** x as a float64 .npy: encodeNpy's header with the '<f8' type (the same length), then the doubles. */
function float64Npy(): Uint8Array {
  const f32 = encodeNpy(x.data, x.shape);
  const headerBytes = f32.length - x.data.length * 4;
  const header = Buffer.from(f32.subarray(0, headerBytes)).toString('latin1').replace("'<f4'", "'<f8'");
  return Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(Float64Array.from(x.data).buffer)]);
}

test('a .npy read in blocks (its chunks) shuffles into the batches its rows give', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-shuffle-blocks-'));
  try {
    for (const dtype of ['float32', 'float64'] as const) {
      const file = path.join(dir, `x-${dtype}.npy`);
      fs.writeFileSync(file, dtype === 'float32' ? encodeNpy(x.data, x.shape) : float64Npy());
      const f = await openFile(file);
      assert.ok(f.kind === 'array' && f.chunks, 'a .npy file has blocks');
      if (f.kind !== 'array' || !f.chunks) return;
      const fromRows = Dataset.fromTensor(x)
        .map((r) => r.slice())
        .shuffle(64, 3)
        .batch(50);
      const fromBlocks = f.chunks.shuffleBlockBatches(width, 64, 50, 3);
      for (let pass = 0; pass < 2; pass++) assert.deepEqual(await flat(fromBlocks), await flat(fromRows), dtype);
      assert.deepEqual(
        (await f.rows.toArray()).map((r) => Array.from(r)),
        Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * width, (i + 1) * width))),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('shuffleRows refuses rows of another width and a buffer that is not a positive integer', async () => {
  const uneven = Dataset.fromGenerator(() => [new Float32Array(3), new Float32Array(4)]);
  await assert.rejects(uneven.shuffleRows(2).toArray(), /shuffle: a row has 4 values, the first had 3/);
  assert.throws(() => Dataset.fromTensor(x).shuffleRows(0), /bufferSize must be a positive integer/);
});
