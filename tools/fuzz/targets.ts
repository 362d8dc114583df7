// What the fuzzer feeds: every parser and loader of Hourglass, each with valid seed inputs (made
// here by Hourglass's own writers, or the committed fixtures) and the call a user's file or a
// request body reaches. A target's `run` must end normally or throw a HourglassError with a
// message; the harness counts anything else as a crash.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { autoencoders } from '../../src/index.js';
import { encodingsParquet } from '../../test/helpers/parquet_encodings.js';
import { compressRows, decodeContainer, dequantize, modelFingerprint } from '../../src/apps/compress.js';
import { fitTable } from '../../src/apps/tabular.js';
import { numericRows } from '../../src/data/csv.js';
import { parseIdx } from '../../src/data/idx.js';
import { resizeInto } from '../../src/data/image_pixels.js';
import { decodeImage } from '../../src/data/images.js';
import { parseJsonTable, parseNdjsonTable } from '../../src/data/json_table.js';
import { parseNpy } from '../../src/data/npy_read.js';
import { encodeNpy } from '../../src/data/npy.js';
import { parseNpz, npzArrayNames } from '../../src/data/npz.js';
import { encodePng } from '../../src/data/png.js';
import { parquetInfo, readParquetTable } from '../../src/data/parquet.js';
import { parseTable, type Table } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { AnomalyDetector, DETECTOR_FILE } from '../../src/detection/detector.js';
import { HourglassError } from '../../src/engine/errors.js';
import { Random } from '../../src/engine/random.js';
import { exportPytorch, PYTORCH_MAP_FILE, PYTORCH_WEIGHTS_FILE } from '../../src/interop/pytorch/export.js';
import { importKeras } from '../../src/interop/keras/import.js';
import { importPytorch } from '../../src/interop/pytorch/import.js';
import { importTfjs } from '../../src/interop/tfjs/import.js';
import { parsePytorchMap } from '../../src/interop/pytorch/map_file.js';
import { MODEL_FILE, WEIGHTS_FILE } from '../../src/model/save.js';
import { allEpochs, HISTORY_FILE, historyFromBytes } from '../../src/model/training_history.js';
import { decodeSafetensors } from '../../src/model/safetensors.js';
import { loadAutoencoderFromFiles, loadAutoencoderFromZip } from '../../src/models/kinds.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { parseManifest } from '../../src/platform/manifest.js';
import { parseJsonBody } from '../../src/server/json_body.js';
import { requestRows } from '../../src/server/request_rows.js';
import { loadServedModel, type ServedModel } from '../../src/server/served_model.js';
import type { InputKind } from './mutate.js';

export interface FuzzTarget {
  kind: InputKind;
  seeds: Uint8Array[];
  run(input: Uint8Array): unknown;
}

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = path.join(ROOT, 'test/fixtures/data');
const enc = new TextEncoder();
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const testFile = (name: string) => new Uint8Array(fs.readFileSync(path.join(ROOT, 'test/fixtures', name)));

/** The first rows of the breast-cancer table as CSV text (a real header, a text column). */
function csvSeed(rows: number, delimiter = ','): string {
  const lines = fs
    .readFileSync(path.join(ROOT, 'data/breast_cancer.csv'), 'utf8')
    .split('\n')
    .slice(0, rows + 1);
  return lines.map((l) => (delimiter === ',' ? l : l.split(',').join(delimiter))).join('\n') + '\n';
}

const TABLE_SEEDS = [
  csvSeed(6),
  'a,b,c\n1,2,3\n4,,6\n7,8,NA\n',
  '1.5,2e3,-4\n0,0,0\n',
  'name,score\n"quoted, with comma",1\n"line\nbreak",2\nplain,3\n',
  'x,y,label\n1,2,red\n3,4,blue\n5,6,red\n',
];

/** A table as the loaders read it: preprocessed as training does, and as plain numbers (arrays). */
function readTable(t: Table, file: string): void {
  each([
    () => transformTable(fitPreprocessing(t, 'standard', file), t, file),
    // Text cells are a user error of the numeric reader (a HourglassError naming them).
    () => numericRows(t, file),
  ]);
}

/** Runs each check: a HourglassError of one does not skip the others; rethrown when all refused. */
function each(checks: (() => unknown)[]): void {
  let refused: HourglassError | null = null,
    accepted = false;
  for (const check of checks) {
    try {
      check();
      accepted = true;
    } catch (e) {
      if (!(e instanceof HourglassError)) throw e;
      refused ??= e;
    }
  }
  if (refused && !accepted) throw refused;
}

function rows(n: number, width: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n * width }, () => rng.uniform());
}

/** A tiny trained autoencoder on 24 rows of 6 values (so it has optimizer state and a history). */
async function tinyAutoencoder(): Promise<Autoencoder> {
  const ae = autoencoders.dense({ hidden: [4], latent: 2 });
  await ae.fit({ data: rows(24, 6, 1), shape: [24, 6] }, { epochs: 2, batchSize: 8, verbose: false, seed: 3 });
  // Clock readings in history.json would make the seeds (and so every input) differ per run.
  for (const run of ae.model.trainingHistory.runs) {
    run.startedAt = '2026-01-01T00:00:00.000Z';
    run.seconds = 1;
    for (const e of run.epochs) [e.seconds, e.samplesPerSecond] = [0.5, 48];
  }
  return ae;
}

function idxSeed(type: number, dims: number[], bytesPer: number): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + count * bytesPer);
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  for (let i = 0; i < count * bytesPer; i++) out[4 + 4 * dims.length + i] = (i * 37) & 0xff;
  return out;
}

function pngSeeds(): Uint8Array[] {
  return [new Uint8Array(encodePng(rows(6 * 5, 1, 2), 6, 5, 1)), new Uint8Array(encodePng(rows(4 * 4, 3, 3), 4, 4, 3))];
}

function jpegSeeds(): Uint8Array[] {
  const img = (w: number, h: number) => {
    const data = Buffer.alloc(w * h * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 29) & 0xff;
    return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 80).data);
  };
  return [img(8, 8), img(13, 7)];
}

const image = (file: string) => (b: Uint8Array) => {
  const rgba = decodeImage(Buffer.from(b.buffer, b.byteOffset, b.length), file);
  resizeInto(rgba, { height: 4, width: 4, channels: 1 }, new Float32Array(16), 0);
};

/** A served tabular autoencoder and one on plain rows, as `hourglass serve` loads them. */
async function servedModels(): Promise<ServedModel[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-fuzz-'));
  const table = parseTable(csvSeed(60), 'table.csv');
  const tabular = autoencoders.dense({ hidden: [8], latent: 3 });
  await fitTable(tabular, table, 'table.csv', { epochs: 1, batchSize: 32, verbose: false, seed: 1 });
  tabular.save(path.join(tmp, 'tabular'));
  tabular.dispose();
  const arrays = autoencoders.dense({ hidden: [4], latent: 2 });
  await arrays.fit({ data: rows(16, 6, 4), shape: [16, 6] }, { epochs: 1, verbose: false, seed: 2 });
  arrays.save(path.join(tmp, 'arrays'));
  arrays.dispose();
  const served = [
    loadServedModel('tabular', path.join(tmp, 'tabular')),
    loadServedModel('arrays', path.join(tmp, 'arrays')),
  ];
  fs.rmSync(tmp, { recursive: true, force: true });
  return served;
}

/** 40 rows in each encoding hyparquet-writer writes (delta, byte stream split, RLE), uncompressed. */
function parquetEncodingsSeed(): Uint8Array {
  return encodingsParquet({ rows: 40, offset: 50, categories: 7, dictionary: false, rowGroupSize: 25, pageSize: 128 });
}

function disposeAll(...things: ({ dispose(): void } | null | undefined)[]): void {
  for (const t of things) t?.dispose();
}

export const TARGETS: Record<string, () => Promise<FuzzTarget>> = {
  csv: async () => ({
    kind: 'text',
    seeds: TABLE_SEEDS.map((s) => enc.encode(s)),
    run: (b) => readTable(parseTable(utf8(b), 'fuzz.csv'), 'fuzz.csv'),
  }),
  tsv: async () => ({
    kind: 'text',
    seeds: [csvSeed(6, '\t'), 'a\tb\n1\t2\n3\t\n'].map((s) => enc.encode(s)),
    run: (b) => readTable(parseTable(utf8(b), 'fuzz.tsv'), 'fuzz.tsv'),
  }),
  npy: async () => ({
    kind: 'binary',
    seeds: [
      ...['f4_le_c.npy', 'f8_be_f.npy', 'i8_le_c.npy', 'u2_be_f.npy', 'bool.npy', 'f4_3d_f.npy'].map(fixture),
      encodeNpy(rows(3, 4, 5), [3, 4]),
    ],
    run: (b) => parseNpy(b, 'fuzz.npy'),
  }),
  npz: async () => ({
    kind: 'binary',
    seeds: ['named.npz', 'pair.npz'].map(fixture),
    run: (b) => {
      const names = npzArrayNames(b, 'fuzz.npz');
      return parseNpz(b, 'fuzz.npz', names.length > 1 ? names[0] : undefined);
    },
  }),
  idx: async () => ({
    kind: 'binary',
    seeds: [idxSeed(0x08, [3, 4, 4], 1), idxSeed(0x0d, [5, 2], 4), idxSeed(0x0e, [7], 8), idxSeed(0x0b, [2, 3], 2)],
    run: (b) => parseIdx(b, 'fuzz.idx'),
  }),
  png: async () => ({ kind: 'binary', seeds: pngSeeds(), run: image('fuzz.png') }),
  jpeg: async () => ({ kind: 'binary', seeds: jpegSeeds(), run: image('fuzz.jpg') }),
  json: async () => ({
    kind: 'json',
    seeds: [
      '[[1,2,3],[4,5,6]]',
      '[{"a":1,"b":"x"},{"a":2,"b":null},{"a":3,"c":true}]',
      '{"shape":[2,2],"codes":[[0.5,1],[2,3]]}',
      '[["a","b"],[1,2],[3,"NA"]]',
    ].map((s) => enc.encode(s)),
    run: (b) => readTable(parseJsonTable(utf8(b), 'fuzz.json'), 'fuzz.json'),
  }),
  ndjson: async () => ({
    kind: 'json',
    seeds: ['{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n', '[1,2]\n[3,4]\n\n[5,6]\n'].map((s) => enc.encode(s)),
    run: (b) => readTable(parseNdjsonTable(utf8(b), 'fuzz.ndjson'), 'fuzz.ndjson'),
  }),
  // Version 2 pages (hyparquet-writer), version 1 and 2 pages with dictionaries and several pages
  // per chunk (arrow-rs), and every other encoding hyparquet-writer writes.
  parquet: async () => ({
    kind: 'binary',
    seeds: [
      ...['table.parquet', 'arrow_v1_dictionary.parquet', 'arrow_v1_plain.parquet', 'arrow_v2_dictionary.parquet'].map(
        fixture,
      ),
      parquetEncodingsSeed(),
    ],
    run: async (b) => {
      parquetInfo(b, 'fuzz.parquet');
      readTable(await readParquetTable(b, 'fuzz.parquet'), 'fuzz.parquet');
    },
  }),
  'model-json': async () => {
    const ae = await tinyAutoencoder();
    const files = ae.toFiles();
    ae.dispose();
    return {
      kind: 'json',
      seeds: [files[MODEL_FILE]!],
      run: (b) => disposeAll(loadAutoencoderFromFiles({ ...files, [MODEL_FILE]: b }, 'fuzz')),
    };
  },
  weights: async () => {
    const ae = await tinyAutoencoder();
    const files = ae.toFiles();
    ae.dispose();
    return {
      kind: 'binary',
      seeds: [files[WEIGHTS_FILE]!],
      run: (b) => {
        decodeSafetensors(b, 'fuzz.safetensors');
        disposeAll(loadAutoencoderFromFiles({ ...files, [WEIGHTS_FILE]: b }, 'fuzz'));
      },
    };
  },
  history: async () => {
    const ae = await tinyAutoencoder();
    const files = ae.toFiles();
    ae.dispose();
    return {
      kind: 'json',
      seeds: [files[HISTORY_FILE]!],
      run: (b) => {
        allEpochs(historyFromBytes(b, 'fuzz/history.json'));
        disposeAll(loadAutoencoderFromFiles({ ...files, [HISTORY_FILE]: b }, 'fuzz'));
      },
    };
  },
  'model-zip': async () => {
    const ae = await tinyAutoencoder();
    const zip = ae.toZip();
    ae.dispose();
    return { kind: 'binary', seeds: [zip], run: (b) => disposeAll(loadAutoencoderFromZip(b, 'fuzz.zip')) };
  },
  manifest: async () => {
    const sha = 'ab'.repeat(32);
    const m = {
      format: 'hourglass-folder',
      version: 1,
      generation: 3,
      files: {
        'model.json': { file: 'model.g3-1a2b3c4d.json', bytes: 120, sha256: sha },
        'weights.safetensors': { file: 'weights.g3-1a2b3c4d.safetensors', bytes: 4000, sha256: sha },
      },
    };
    return { kind: 'json', seeds: [enc.encode(JSON.stringify(m, null, 1))], run: (b) => parseManifest(b, 'fuzz') };
  },
  container: async () => {
    const ae = await tinyAutoencoder();
    const fingerprint = modelFingerprint(ae.model);
    const x = { data: rows(5, 6, 7), shape: [5, 6] };
    const seeds = ([4, 8, 16] as const).map((bits) => compressRows(ae, x, bits).bytes);
    ae.dispose();
    return { kind: 'binary', seeds, run: (b) => dequantize(decodeContainer(b, fingerprint, 'fuzz.hgc')) };
  },
  detector: async () => {
    const detector = await AnomalyDetector.fit(
      { data: rows(40, 5, 8), shape: [40, 5] },
      { members: 1, steps: 20, seed: 4 },
    );
    const files = detector.toFiles();
    detector.dispose();
    return {
      kind: 'json',
      seeds: [files[DETECTOR_FILE]!],
      run: (b) => disposeAll(AnomalyDetector.fromFiles({ ...files, [DETECTOR_FILE]: b }, 'fuzz')),
    };
  },
  'pytorch-weights': async () => {
    const ae = await tinyAutoencoder();
    const { files } = exportPytorch(ae);
    return {
      kind: 'binary',
      seeds: [files[PYTORCH_WEIGHTS_FILE]!],
      run: (b) => importPytorch(ae, b, 'fuzz.safetensors'),
    };
  },
  'pytorch-map': async () => {
    const ae = await tinyAutoencoder();
    const { files } = exportPytorch(ae);
    ae.dispose();
    return { kind: 'json', seeds: [files[PYTORCH_MAP_FILE]!], run: (b) => parsePytorchMap(b, 'fuzz/hourglass.json') };
  },
  // Keras 3 archives (a zip around HDF5 weights) and legacy Keras 2 HDF5 files, as importKeras reads them.
  keras: async () => ({
    kind: 'binary',
    seeds: ['keras/dense_ae.keras', 'keras/sequence_ae.keras', 'keras/legacy_dense.h5'].map(testFile),
    run: (b) => importKeras(b, { where: 'fuzz.keras' }).model.dispose(),
  }),
  // A tfjs layers-model's model.json (topology and weights manifest) beside its real weight shard.
  tfjs: async () => {
    const shard = testFile('tfjs/dense_ae/weights.bin');
    return {
      kind: 'json',
      seeds: [testFile('tfjs/dense_ae/model.json')],
      run: (b) =>
        importTfjs({ modelJson: utf8(b), shards: { 'weights.bin': shard } }, 'fuzz/model.json').model.dispose(),
    };
  },
  'tfjs-weights': async () => {
    const modelJson = utf8(testFile('tfjs/dense_ae/model.json'));
    return {
      kind: 'binary',
      seeds: [testFile('tfjs/dense_ae/weights.bin')],
      run: (b) => importTfjs({ modelJson, shards: { 'weights.bin': b } }, 'fuzz/model.json').model.dispose(),
    };
  },
  'server-json': async () => {
    const [tabular, arrays] = await servedModels();
    const table = parseTable(csvSeed(3), 't.csv');
    const objects = table.rows.map((r) => Object.fromEntries(table.columns.map((c, j) => [c, Number(r[j]) || r[j]])));
    const seeds = [
      { rows: table.rows.map((r) => r.map((c) => Number(c) || c)) },
      { rows: objects },
      {
        rows: [
          [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ],
      },
    ].map((s) => enc.encode(JSON.stringify(s)));
    return {
      kind: 'json',
      seeds,
      run: (b) => {
        // The server's own body parser: bad JSON is its 400 (a HourglassError) before any row is read.
        const body = parseJsonBody(utf8(b));
        each([tabular!, arrays!].map((m) => () => requestRows(m, body, 1000)));
      },
    };
  },
  'server-csv': async () => {
    const [tabular, arrays] = await servedModels();
    return {
      kind: 'text',
      seeds: [csvSeed(3), 'x0,x1,x2,x3,x4,x5\n1,2,3,4,5,6\n'].map((s) => enc.encode(s)),
      run: (b) => {
        each([tabular!, arrays!].map((m) => () => requestRows(m, utf8(b), 1000)));
      },
    };
  },
};
