// The scoring server (src/server/) against the library: every route's answer equals what the
// library computes for the same rows (score, detect, encode, reconstruct, impute; an autoencoder
// on a table, an anomaly detector, an autoencoder on plain arrays), rows sent as arrays, as
// objects by column name, or as CSV; bad requests get 4xx with a message and no stack trace;
// concurrent requests share a predict and each still gets its own rows' answers; SIGTERM on the
// CLI finishes a request in flight and exits 0.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { detectAnomalies } from '../../src/apps/anomaly.js';
import { imputeTable } from '../../src/apps/impute.js';
import { preprocessingOf, prepareTable, rowsToTable } from '../../src/apps/tabular.js';
import { trainingQuantile, type TrainingScores } from '../../src/apps/training_scores.js';
import { formatTable, type Table } from '../../src/data/table.js';
import { featureNames, transformTable } from '../../src/data/tabular_preprocessing.js';
import { AnomalyDetector } from '../../src/detection/detector.js';
import type { Autoencoder } from '../../src/models/autoencoder.js';
import { loadAutoencoder } from '../../src/models/kinds.js';
import { startScoringServer, type ScoringServer } from '../../src/server/scoring_server.js';
import { loadServedModel } from '../../src/server/served_model.js';
import { makeFolders, type Folders } from './serve_fixtures.js';

let f: Folders;
let server: ScoringServer;
let ae: Autoencoder;
let detector: AnomalyDetector;
let plain: Autoencoder;

before(async () => {
  f = await makeFolders();
  server = await startScoringServer({
    root: loadServedModel('default', f.tabular),
    named: [loadServedModel('det', f.detector), loadServedModel('plain', f.arrays)],
    port: 0,
    bodyLimit: 64 * 1024,
    maxRowsPerRequest: 100,
    batchWaitMs: 5,
  });
  // The library's own copies of the models, loaded separately from the server's.
  ae = loadAutoencoder(f.tabular);
  detector = AnomalyDetector.load(f.detector);
  plain = loadAutoencoder(f.arrays);
});

after(async () => {
  await server.close();
  ae.dispose();
  detector.dispose();
  plain.dispose();
  fs.rmSync(f.tmp, { recursive: true, force: true });
});

async function post(route: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
  };
}

/** Table rows as JSON clients send them: numbers as numbers, missing cells as null. */
function jsonRows(t: Table, numeric: boolean[]): (string | number | null)[][] {
  return t.rows.map((r) => r.map((c, j) => (c === '' ? null : numeric[j] ? Number(c) : c)));
}

const slice = (t: Table, from: number, to: number): Table => ({ columns: t.columns, rows: t.rows.slice(from, to) });

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++)
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= 1e-6 * (1 + Math.abs(expected[i]!)),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
}

test('tabular model: /score, /detect, /encode, /reconstruct, /impute equal the library for arrays, objects and CSV', async () => {
  const p = preprocessingOf(ae)!;
  const numeric = p.columns.map((c) => c.kind === 'numeric');
  const part = slice(f.table, 0, 40); // rows 5, 22 and 39 have a missing cell
  const rows = jsonRows(part, numeric);
  const objects = rows.map((r) => Object.fromEntries(part.columns.map((c, j) => [c, r[j]])));
  const prepared = prepareTable(ae, part, 'x');
  const expected = ae.score(prepared.x, { mask: prepared.mask });

  const byArrays = await post('/score', { rows });
  assert.equal(byArrays.status, 200, byArrays.text);
  closeTo(byArrays.json.scores, expected, 'score (arrays)');
  closeTo((await post('/score', { rows: objects })).json.scores, expected, 'score (objects)');
  const csv = await post('/score', formatTable(part), { 'content-type': 'text/csv' });
  closeTo(csv.json.scores, expected, 'score (CSV)');

  const saved = ae.extra['trainingScores'] as TrainingScores;
  const threshold = trainingQuantile(saved, saved.defaultQuantile);
  const d = detectAnomalies(ae.model, prepared.x, { threshold }, 3, prepared.mask);
  const detected = (await post('/detect', { rows })).json;
  assert.equal(detected.threshold, threshold);
  closeTo(
    detected.rows.map((r: { score: number }) => r.score),
    d.scores,
    'detect scores',
  );
  assert.deepEqual(
    detected.rows.map((r: { anomaly: boolean }) => (r.anomaly ? 1 : 0)),
    Array.from(d.flagged),
  );
  const names = featureNames(p);
  d.topFeatures.forEach((top, r) =>
    assert.deepEqual(
      detected.rows[r].topFeatures,
      top.map((j) => names[j]),
    ),
  );
  assert.ok(d.flagged.some((v) => v === 1) && d.flagged.some((v) => v === 0), 'some rows flagged, some not');

  const codes = (await post('/encode', { rows })).json.codes as number[][];
  closeTo(codes.flat(), ae.encode(prepared.x).data, 'encode');
  const rebuilt = rowsToTable(p, ae.reconstruct(prepared.x).data);
  const rec = (await post('/reconstruct', { rows })).json;
  assert.deepEqual(rec.columns, part.columns);
  assert.deepEqual(rec.rows, jsonRows(rebuilt, numeric));
  const recObjects = (await post('/reconstruct', { rows: objects })).json.rows;
  assert.equal(recObjects[3]['mean radius'], Number(rebuilt.rows[3]![0]));

  const filled = imputeTable(ae, part, 'x');
  const imputed = (await post('/impute', { rows })).json;
  assert.equal(imputed.filledCells, filled.filledCells);
  assert.equal(imputed.filledCells, part.rows.flat().filter((c) => c === '').length);
  assert.ok(imputed.filledCells > 0);
  assert.deepEqual(imputed.rows, jsonRows(filled.table, numeric));
  const imputedCsv = await post('/impute', formatTable(part), { 'content-type': 'text/csv', accept: 'text/csv' });
  assert.equal(imputedCsv.text, formatTable(filled.table));
});

test('detector folder: /score and /detect equal the detector; plain arrays model: /score and /encode', async () => {
  const p = preprocessingOf({ extra: detector.extra } as Autoencoder)!;
  const part = slice(f.table, 100, 130);
  const numeric = p.columns.map((c) => c.kind === 'numeric');
  const x = transformTable(p, part, 'x').x;
  const scored = await post('/models/det/score', { rows: jsonRows(part, numeric) });
  assert.equal(scored.status, 200, scored.text);
  closeTo(scored.json.scores, detector.score(x), 'detector score');
  const d = detector.detect(x);
  const detected = (await post('/models/det/detect', formatTable(part), { 'content-type': 'text/csv' })).json;
  assert.equal(detected.threshold, detector.threshold);
  assert.deepEqual(
    detected.rows.map((r: { anomaly: boolean }) => (r.anomaly ? 1 : 0)),
    Array.from(d.flagged),
  );
  assert.equal((await post('/models/det/encode', { rows: jsonRows(part, numeric) })).status, 404);

  const rows = [
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    [0.9, 0.1, 0.8, 0.2, 0.7, 0.3],
  ];
  closeTo((await post('/models/plain/score', { rows })).json.scores, plain.score(rows), 'plain score');
  closeTo((await post('/models/plain/encode', { rows })).json.codes.flat(), plain.encode(rows).data, 'plain encode');
  const nested = rows.map((r) => [r.slice(0, 3), r.slice(3)]);
  closeTo((await post('/models/plain/score', { rows: nested })).json.scores, plain.score(rows), 'nested rows');
  const model = await (await fetch(`${server.url}/models/det/model`)).json();
  assert.equal(model.threshold.value, detector.threshold);
  assert.deepEqual(model.preprocessing, p);
  const doc = await (await fetch(`${server.url}/openapi.json`)).json();
  assert.equal(doc.openapi, '3.1.0');
  for (const route of ['/score', '/impute', '/models/det/detect', '/models/plain/reconstruct'])
    assert.ok(doc.paths[route]?.post, `${route} in the OpenAPI description`);
});

test('bad requests get 4xx naming the problem, never a stack trace', async () => {
  const row = jsonRows(
    slice(f.table, 0, 1),
    preprocessingOf(ae)!.columns.map((c) => c.kind === 'numeric'),
  )[0]!;
  const columns = f.table.columns;
  const cases: [string, () => Promise<{ status: number; text: string }>, number, RegExp][] = [
    ['malformed JSON', () => post('/score', '{"rows": [[1, 2'), 400, /not valid JSON/],
    ['NaN in JSON', () => post('/score', '{"rows": [[NaN]]}'), 400, /not valid JSON/],
    ['cut-off JSON', () => post('/score', '{"rows": [[1, 2'), 400, /not valid JSON \(.*position/],
    ['empty body', () => post('/score', ''), 400, /the body is empty/],
    [
      'a "__proto__" column',
      () =>
        post(
          '/score',
          `{"rows": [${JSON.stringify(Object.fromEntries(columns.map((c, j) => [c, row[j]]))).slice(0, -1)}, "__proto__": {"polluted": 1}}]}`,
        ),
      422,
      /not in the model: '__proto__'/,
    ],
    [
      'true in a numeric column',
      () => post('/score', { rows: [[true, ...row.slice(1)]] }),
      422,
      /'mean radius' is true/,
    ],
    ['no rows key', () => post('/score', { data: [] }), 400, /\{"rows": \[\.\.\.\]\}/],
    ['no rows', () => post('/score', { rows: [] }), 422, /no rows/],
    [
      'short row',
      () => post('/score', { rows: [row.slice(1)] }),
      422,
      /rows\[0\] has 30 values; the model's table has 31 columns/,
    ],
    [
      'wrong column',
      () => post('/score', { rows: [{ ...Object.fromEntries(columns.map((c, j) => [c, row[j]])), colour: 'red' }] }),
      422,
      /not in the model: 'colour'/,
    ],
    [
      'missing column',
      () => post('/score', { rows: [Object.fromEntries(columns.slice(1).map((c, j) => [c, row[j + 1]]))] }),
      422,
      /missing: 'mean radius'/,
    ],
    [
      'text in a numeric column',
      () => post('/score', { rows: [['big', ...row.slice(1)]] }),
      422,
      /column 'mean radius' is "big", but the model learned it as a number/,
    ],
    [
      '"NaN" in a numeric column',
      () => post('/detect', { rows: [['NaN', ...row.slice(1)]] }),
      422,
      /'mean radius' is "NaN"/,
    ],
    [
      'CSV with wrong columns',
      () => post('/score', 'a,b\n1,2\n', { 'content-type': 'text/csv' }),
      422,
      /missing: 'mean radius'.*not in the model: 'a', 'b'/,
    ],
    [
      'text in a numeric model',
      () => post('/models/plain/score', { rows: [[1, 2, 3, 4, 5, 'x']] }),
      422,
      /rows\[0\], value 5 is "x": expected a finite number/,
    ],
    [
      'NaN string in a numeric model',
      () => post('/models/plain/score', { rows: [[1, 2, 3, 4, 5, 'NaN']] }),
      422,
      /value 5 is "NaN"/,
    ],
    [
      'objects for a model without columns',
      () => post('/models/plain/score', { rows: [{ a: 1 }] }),
      422,
      /no named columns/,
    ],
    [
      'too many rows',
      () => post('/score', { rows: Array.from({ length: 101 }, () => row) }),
      413,
      /101 rows; this server takes at most 100/,
    ],
    ['oversized body', () => post('/score', { rows: [row], pad: 'x'.repeat(70_000) }), 413, /too large/i],
    [
      'unknown route',
      () => post('/predict', { rows: [row] }),
      404,
      /no route POST \/predict; this server answers .*POST \/score/,
    ],
    [
      'wrong method',
      async () => {
        const r = await fetch(`${server.url}/score`);
        return { status: r.status, text: await r.text() };
      },
      405,
      /\/score takes POST, not GET/,
    ],
    [
      'unknown content type',
      () => post('/score', '<rows/>', { 'content-type': 'application/xml' }),
      415,
      /Unsupported Media Type/,
    ],
  ];
  for (const [what, send, status, message] of cases) {
    const r = await send();
    assert.equal(r.status, status, `${what}: ${r.text}`);
    const body = JSON.parse(r.text);
    assert.match(body.message, message, what);
    assert.equal(body.statusCode, status, what);
    assert.doesNotMatch(r.text, /\bat .*\.(ts|js):\d+|stack/, `${what}: no stack trace`);
  }
  // The server still answers after all of that.
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test('concurrent requests share a predict, each getting its own rows back', async () => {
  const p = preprocessingOf(ae)!;
  const numeric = p.columns.map((c) => c.kind === 'numeric');
  const batcher = server.models[0]!.batchers['score']!;
  const before = batcher.batches;
  const parts = Array.from({ length: 30 }, (_, i) => slice(f.table, i * 10, i * 10 + 10));
  const answers = await Promise.all(parts.map((t) => post('/score', { rows: jsonRows(t, numeric) })));
  const batches = batcher.batches - before;
  assert.ok(batches >= 1 && batches < 10, `30 concurrent requests ran in ${batches} batches`);
  answers.forEach((a, i) => {
    const prepared = prepareTable(ae, parts[i]!, 'x');
    closeTo(a.json.scores, ae.score(prepared.x, { mask: prepared.mask }), `request ${i}`);
  });
});

test('SIGTERM on `hourglass serve` finishes the request in flight and exits 0', async () => {
  const bin = new URL('../../bin/hourglass.js', import.meta.url).pathname;
  // A long batch wait keeps the request in flight when the signal comes.
  const child = spawn(process.execPath, [bin, 'serve', f.arrays, '--port', '0', '--batch-wait', '1500'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const rows = [[0.5, 0.5, 0.5, 0.5, 0.5, 0.5]];
  const inFlight = fetch(`${url}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rows }),
  });
  await new Promise((r) => setTimeout(r, 400));
  child.kill('SIGTERM');
  const res = await inFlight;
  assert.equal(res.status, 200);
  closeTo(((await res.json()) as { scores: number[] }).scores, plain.score(rows), 'in-flight answer');
  assert.equal(await exited, 0);
  // And it no longer listens.
  await assert.rejects(fetch(`${url}/health`));
});
