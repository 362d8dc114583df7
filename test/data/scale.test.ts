// Training on files larger than the WebAssembly memory, at constant memory: a float32 .npy of
// 3 GB (random rows with a learnable low-rank structure) and a 1 GB CSV are written to a
// temporary folder, one epoch trained from each, then every row scored to an output file; peak
// resident memory must stay under 600 MB and the wasm memory under 256 MB. Slow and disk-heavy
// (about 4 GB written, several minutes): it runs only with HOURGLASS_SCALE_TEST=1.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { input, layers, model } from '../../src/index.js';
import { openFile, type ArrayFile, type TableFile } from '../../src/data/dataset_files.js';
import { fitPreprocessingStream, preparedRows } from '../../src/data/table_stream.js';
import { predictDataset, rowErrors } from '../../src/model/predict_dataset.js';
import { getEngine } from '../../src/engine/kernels.js';
import { Random } from '../../src/engine/random.js';
import type { Dataset } from '../../src/data/dataset.js';

const RUN = process.env['HOURGLASS_SCALE_TEST'] === '1';
const NPY_BYTES = 3.05e9;
const CSV_BYTES = 1.02e9;
const WIDTH = 64;
const CSV_COLUMNS = 16;
const MB = 1 << 20;

/** Rows x = z W + noise with z of rank 4: an autoencoder with a 4-wide code can learn them. */
function structuredRows(random: Random, width: number) {
  const w = Float32Array.from({ length: 4 * width }, () => random.normal());
  return (out: Float32Array, rows: number) => {
    for (let r = 0; r < rows; r++) {
      const z = [random.normal(), random.normal(), random.normal(), random.normal()];
      for (let j = 0; j < width; j++)
        out[r * width + j] =
          z[0]! * w[j]! +
          z[1]! * w[width + j]! +
          z[2]! * w[2 * width + j]! +
          z[3]! * w[3 * width + j]! +
          0.1 * random.normal();
    }
  };
}

function writeNpy(file: string, rows: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${WIDTH}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const head = new Uint8Array(total);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(head.buffer).setUint16(8, header.length, true);
  head.set(new TextEncoder().encode(header), 10);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, head);
  const fill = structuredRows(new Random(1), WIDTH);
  const chunkRows = 16384;
  const chunk = new Float32Array(chunkRows * WIDTH);
  for (let r = 0; r < rows; r += chunkRows) {
    const n = Math.min(chunkRows, rows - r);
    fill(chunk, n);
    fs.writeSync(fd, new Uint8Array(chunk.buffer, 0, n * WIDTH * 4));
  }
  fs.closeSync(fd);
}

function writeCsv(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Array.from({ length: CSV_COLUMNS }, (_, i) => `c${i}`).join(',') + '\n');
  const fill = structuredRows(new Random(2), CSV_COLUMNS);
  const chunk = new Float32Array(4096 * CSV_COLUMNS);
  let written = 0;
  while (written < bytes) {
    fill(chunk, 4096);
    const lines: string[] = [];
    for (let r = 0; r < 4096; r++)
      lines.push(Array.from(chunk.subarray(r * CSV_COLUMNS, (r + 1) * CSV_COLUMNS), (v) => v.toFixed(4)).join(','));
    const text = lines.join('\n') + '\n';
    fs.writeSync(fd, text);
    written += text.length;
  }
  fs.closeSync(fd);
}

function autoencoder(width: number) {
  const x = input([width]);
  const h = layers.dense(16, { activation: 'relu' }).apply(x);
  const code = layers.dense(4).apply(h);
  const h2 = layers.dense(16, { activation: 'relu' }).apply(code);
  const m = model({ inputs: x, outputs: layers.dense(width).apply(h2) });
  m.compile({ optimizer: { name: 'adam', learningRate: 0.003 }, loss: 'mse' });
  return m;
}

async function trainAndScore(rows: Dataset<Float32Array>, width: number, out: string) {
  const m = autoencoder(width);
  const started = Date.now();
  const batches = () => rows.batch(1024).prefetch(2);
  const h = await m.fitDataset(batches(), { epochs: 1, verbose: false });
  const trainS = (Date.now() - started) / 1000;
  const fd = fs.openSync(out, 'w');
  let scored = 0;
  for await (const b of predictDataset(m, batches())) {
    const e = rowErrors(b);
    fs.writeSync(fd, Array.from(e, (v) => v.toPrecision(5)).join('\n') + '\n');
    scored += e.length;
  }
  fs.closeSync(fd);
  return { loss: h.history['loss']![0]!, trainS, scoreS: (Date.now() - started) / 1000 - trainS, scored };
}

test(
  'one epoch and a scoring pass over a 3 GB .npy and a 1 GB CSV at bounded memory',
  { skip: !RUN && 'set HOURGLASS_SCALE_TEST=1' },
  async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-scale-'));
    try {
      const npy = path.join(tmp, 'big.npy');
      const rows = Math.ceil(NPY_BYTES / (WIDTH * 4));
      writeNpy(npy, rows);
      const a = (await openFile(npy)) as ArrayFile;
      assert.ok(a.bytes >= 3e9, `${a.bytes} bytes`);
      const r1 = await trainAndScore(a.rows, WIDTH, path.join(tmp, 'npy_scores.txt'));
      assert.equal(r1.scored, rows);
      // The structure is rank 4 with noise 0.1 (per-value variance 0.01 out of about 4): an epoch
      // must learn most of it.
      assert.ok(r1.loss < 1, `npy loss ${r1.loss}`);
      fs.rmSync(npy);

      const csv = path.join(tmp, 'big.csv');
      writeCsv(csv, CSV_BYTES);
      const t = (await openFile(csv)) as TableFile;
      assert.ok(t.bytes >= 1e9, `${t.bytes} bytes`);
      const p = await fitPreprocessingStream(t.columns, t.cells, 'standard', csv);
      const r2 = await trainAndScore(
        preparedRows(p, t.columns, t.cells, csv),
        CSV_COLUMNS,
        path.join(tmp, 'csv_scores.txt'),
      );
      assert.ok(r2.loss < 0.5, `csv loss ${r2.loss}`);

      const rssMB = process.resourceUsage().maxRSS / 1024;
      const wasmMB = getEngine().memory.buffer.byteLength / MB;
      console.log(
        `scale: npy ${(a.bytes / 1e9).toFixed(2)} GB ${rows} rows: train ${r1.trainS.toFixed(0)} s (loss ${r1.loss.toFixed(3)}), score ${r1.scoreS.toFixed(0)} s; ` +
          `csv ${(t.bytes / 1e9).toFixed(2)} GB ${r2.scored} rows: train ${r2.trainS.toFixed(0)} s (loss ${r2.loss.toFixed(3)}), score ${r2.scoreS.toFixed(0)} s; ` +
          `peak RSS ${rssMB.toFixed(0)} MB, wasm memory ${wasmMB.toFixed(0)} MB`,
      );
      assert.ok(rssMB < 600, `peak RSS ${rssMB} MB`);
      assert.ok(wasmMB < 256, `wasm memory ${wasmMB} MB`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);
