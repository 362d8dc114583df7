// The server's scan of JSON request bytes (src/server/json_row_scan.ts, scanned_rows.ts) against
// JSON.parse and the general path it stands in for: every number it reads is the double
// JSON.parse gives (short and long mantissas, exponents, -0, subnormals, overflow); and for
// thousands of random bodies, well-formed, oddly spaced, mutated and truncated, a table model and
// a plain one get the same rows, mask and text cells, or the same 4xx message, whichever path
// reads them; the fast path really is the one taken for the bodies clients send; a body longer
// than the sink's first room (with gaps before and after it grows) reads alike, and a body of
// more rows than the limit is left to the general path without being scanned to its end.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../src/data/table.js';
import { fitPreprocessing } from '../../src/data/tabular_preprocessing.js';
import { Random } from '../../src/engine/random.js';
import { JsonBody, parseJsonBody } from '../../src/server/json_body.js';
import { scanJsonRows, type CellSink } from '../../src/server/json_row_scan.js';
import { RequestError } from '../../src/server/request_error.js';
import { requestRows, type RequestRows } from '../../src/server/request_rows.js';
import { scannedRows } from '../../src/server/scanned_rows.js';
import type { ServedModel } from '../../src/server/served_model.js';

/** Records every cell the scanner gives. */
class Recorder implements CellSink {
  cells: unknown[] = [];
  reserved = 0;
  constructor(readonly columns: number) {}
  reserve(rows: number): void {
    this.reserved = Math.max(this.reserved, rows);
  }
  number(_r: number, _c: number, v: number) {
    this.cells.push(v);
    return true;
  }
  text(_r: number, _c: number, v: string) {
    this.cells.push(v);
    return true;
  }
  missing() {
    this.cells.push(null);
    return true;
  }
}

function randomNumberText(rng: Random): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rng.uniform() * 10)).join('');
  const sign = rng.uniform() < 0.3 ? '-' : '';
  const int =
    rng.uniform() < 0.2 ? '0' : String(1 + Math.floor(rng.uniform() * 9)) + digits(Math.floor(rng.uniform() * 19));
  const frac = rng.uniform() < 0.6 ? '.' + digits(1 + Math.floor(rng.uniform() * 20)) : '';
  const exp =
    rng.uniform() < 0.3
      ? (rng.uniform() < 0.5 ? 'e' : 'E') +
        ['', '+', '-'][Math.floor(rng.uniform() * 3)] +
        String(Math.floor(rng.uniform() * (rng.uniform() < 0.8 ? 30 : 400)))
      : '';
  return sign + int + frac + exp;
}

test('every number scanned is the double JSON.parse gives', () => {
  const rng = new Random(11);
  const fixed = [
    '0',
    '-0',
    '-0.0',
    '1',
    '0.1',
    '0.3',
    '17.99',
    '0.006399',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '1e22',
    '1e23',
    '1.7976931348623157e308',
    '1e308',
    '1e400',
    '-1e400',
    '5e-324',
    '2.2250738585072014e-308',
    '1e-400',
    '0.000000000000000000000001',
    '123.456e-7',
    '4.35E+2',
  ];
  const texts = [...fixed, ...Array.from({ length: 20_000 }, () => randomNumberText(rng))];
  const sink = new Recorder(texts.length);
  const body = `{"rows":[[${texts.join(',')}]]}`;
  assert.equal(scanJsonRows(Buffer.from(body), sink), 1);
  const want = (JSON.parse(body) as { rows: number[][] }).rows[0]!;
  for (let i = 0; i < texts.length; i++)
    assert.ok(
      Object.is(sink.cells[i], want[i]),
      `${texts[i]}: scanned ${String(sink.cells[i])}, JSON.parse ${want[i]}`,
    );
});

test('text and null cells and spacing are read as JSON.parse reads them; anything else is left to it', () => {
  const body = ' {\n\t"rows" : [ [ "a b" , null,1 ] ,\r\n["", "NA", -2.5e1]] } ';
  const sink = new Recorder(3);
  assert.equal(scanJsonRows(Buffer.from(body), sink), 2);
  assert.deepEqual(sink.cells, (JSON.parse(body) as { rows: unknown[][] }).rows.flat());
  const general = [
    '',
    '{}',
    '{"rows": []}',
    '{"rows": [[]]}',
    '{"rows": [[1, 2]], "id": 3}',
    '{"id": 3, "rows": [[1, 2, 3]]}',
    '{"rows": [{"a": 1}]}',
    '{"rows": [[1, 2, "\\u0041"]]}',
    '{"rows": [[1, 2, "é"]]}',
    '{"rows": [[1, 2, true]]}',
    '{"rows": [[1, 2, [3]]]}',
    '{"rows": [[1, 2, 3, 4]]}',
    '{"rows": [[1, 2]]}',
    '{"rows": [[01, 2, 3]]}',
    '{"rows": [[.5, 2, 3]]}',
    '{"rows": [[5., 2, 3]]}',
    '{"rows": [[+5, 2, 3]]}',
    '{"rows": [[1, 2, 3]]} x',
    '{"rows": [[1, 2, 3],]}',
    '{"rows": [[1, 2, nul]]}',
    '{"rows": [[1, 2, 3]]',
    '\ufeff{"rows": [[1, 2, 3]]}',
  ];
  for (const text of general) assert.equal(scanJsonRows(Buffer.from(text), new Recorder(3)), null, text);
});

/** A table of two numeric columns and two text columns, and a plain model of four numbers a row. */
const table: Table = {
  columns: ['size', 'colour', 'weight', 'grade'],
  rows: [
    ['1.5', 'red', '10', 'A'],
    ['2.25', 'blue', '', 'B'],
    ['', 'red', '12.5', '7'],
    ['-4', 'green', '9', 'B'],
  ],
};
const tableModel = {
  kind: 'autoencoder',
  preprocessing: fitPreprocessing(table, 'standard', 'x.csv'),
  rowShape: [9],
} as unknown as ServedModel;
const plainModel = { kind: 'autoencoder', preprocessing: null, rowShape: [2, 2] } as unknown as ServedModel;

function randomCell(rng: Random, column: number): string {
  const u = rng.uniform();
  if (u < 0.06) return 'null';
  if (u < 0.09)
    return ['"NA"', '""', '"purple"', '"\\"q\\""', 'true', '[1]', '"7"', '{}'][Math.floor(rng.uniform() * 8)]!;
  if (column === 1) return ['"red"', '"blue"', '"green"'][Math.floor(rng.uniform() * 3)]!;
  if (column === 3) return rng.uniform() < 0.2 ? '7' : ['"A"', '"B"', '"7"'][Math.floor(rng.uniform() * 3)]!;
  return randomNumberText(rng);
}

function randomBody(rng: Random): string {
  const space = () => [' ', '', '', '\n', '  \t'][Math.floor(rng.uniform() * 5)]!;
  const rows = Array.from({ length: 1 + Math.floor(rng.uniform() * 12) }, () => {
    const cells = Array.from({ length: rng.uniform() < 0.03 ? 3 : 4 }, (_, c) => randomCell(rng, c));
    return `[${space()}${cells.join(`${space()},${space()}`)}]`;
  });
  let text = `{${space()}"rows"${space()}:${space()}[${rows.join(',' + space())}]${space()}}`;
  const u = rng.uniform();
  // Damage some: a byte changed, a cut-off end.
  if (u < 0.08) {
    const at = Math.floor(rng.uniform() * text.length);
    text = text.slice(0, at) + ',]["x0.-e'[Math.floor(rng.uniform() * 9)]! + text.slice(at + 1);
  } else if (u < 0.12) text = text.slice(0, Math.floor(rng.uniform() * text.length));
  return text;
}

type Outcome = { x: unknown; mask: unknown; style: string; cells: unknown } | { error: string };

function outcome(read: () => RequestRows): Outcome {
  try {
    const rows = read();
    return { x: rows.x, mask: rows.mask, style: rows.style, cells: rows.table()?.rows ?? null };
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    return { error: `${e.statusCode} ${e.message}` };
  }
}

test('random bodies give the same rows or the same message through the scan as through JSON.parse', () => {
  const rng = new Random(12);
  let scanned = 0,
    answered = 0;
  for (const [model, name] of [
    [tableModel, 'table'],
    [plainModel, 'plain'],
  ] as const)
    for (let k = 0; k < 3000; k++) {
      let text = randomBody(rng);
      // The plain model takes numbers only: most of its bodies have none of the table's text.
      if (model === plainModel && rng.uniform() < 0.8) text = text.replace(/"(red|blue|green|A|B|7)"/g, '3');
      const maxRows = 10;
      const viaParse = outcome(() => requestRows(model, parseJsonBody(text), maxRows));
      const body = new JsonBody(Buffer.from(text));
      const viaBytes = outcome(() => requestRows(model, body, maxRows));
      assert.deepEqual(viaBytes, viaParse, `${name}: ${text}`);
      if ('x' in viaParse) answered++;
      if (scannedRows(model, new JsonBody(Buffer.from(text)), maxRows, () => assert.fail('not called')) !== null) {
        assert.ok('x' in viaParse, `${name}: scanned a body the general path refuses: ${text}`);
        scanned++;
      }
    }
  // The bodies it leaves to the general path and that path answers are the few with escaped text.
  assert.ok(scanned >= 0.9 * answered && answered > 1000, `${scanned} of the ${answered} answered bodies scanned`);
});

test('long bodies read alike after the rows grow, and bodies over the row limit stop at it', () => {
  const rng = new Random(13);
  const rows = Array.from({ length: 45 }, (_, r) =>
    [randomNumberText(rng), '"red"', r === 3 || r === 33 ? 'null' : '2.5', r === 20 ? '"NA"' : '"B"'].join(','),
  );
  const text = `{"rows": [[${rows.join('], [')}]]}`;
  const viaParse = outcome(() => requestRows(tableModel, parseJsonBody(text), 100));
  assert.ok('x' in viaParse && (viaParse.mask as { data: Float32Array }).data.includes(0));
  assert.deepEqual(
    outcome(() => requestRows(tableModel, new JsonBody(Buffer.from(text)), 100)),
    viaParse,
  );
  assert.notEqual(
    scannedRows(tableModel, new JsonBody(Buffer.from(text)), 100, () => assert.fail()),
    null,
  );
  // 45 rows against a limit of 10: the scan stops at the 11th row; the general path answers 413.
  const sink = new Recorder(4);
  assert.equal(scanJsonRows(Buffer.from(text), sink, 10), null);
  assert.equal(sink.reserved, 10);
  assert.deepEqual(
    outcome(() => requestRows(tableModel, new JsonBody(Buffer.from(text)), 10)),
    outcome(() => requestRows(tableModel, parseJsonBody(text), 10)),
  );
  assert.match(
    JSON.stringify(outcome(() => requestRows(tableModel, parseJsonBody(text), 10))),
    /413 the request has 45 rows/,
  );
});
