// The streaming CSV reader's fast path (lines split on the delimiter, csv-parse only for lines
// with quotes) gives the records csv-parse gives the whole text: quoted cells holding commas,
// quotes and line breaks, CRLF line ends, spaces around cells, empty lines, a chunk boundary
// inside a line; and a row with a different number of cells is refused with its line number.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { csvReader } from '../../src/data/csv_stream.js';
import { parseTable } from '../../src/data/table.js';
import { HourglassError } from '../../src/engine/errors.js';

async function records(file: string, delimiter = ','): Promise<string[][]> {
  const out: string[][] = [];
  for await (const g of csvReader(file, delimiter).groups()) out.push(...g);
  return out;
}

test('streamed CSV records equal csv-parse on quotes, line breaks in cells, CRLF and spaces', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-csvs-'));
  try {
    const lines = ['name,note,value'];
    // Long enough to cross the 1 MB chunk boundary inside lines.
    for (let i = 0; i < 40000; i++) {
      const note =
        i % 7 === 0 ? `"said ""hi"", then\nleft"` : i % 5 === 0 ? `"a, b"` : i % 3 === 0 ? `  padded  ` : `n${i}`;
      lines.push(`row${i},${note},${(i * 0.37).toFixed(3)}`);
      if (i % 1000 === 0) lines.push('');
    }
    const text = lines.join('\r\n') + '\r\n';
    const file = path.join(tmp, 'q.csv');
    fs.writeFileSync(file, text);
    assert.ok(text.length > 1.1 * (1 << 20));
    const t = parseTable(text, file);
    const got = await records(file);
    assert.deepEqual(got[0], t.columns);
    assert.equal(got.length - 1, t.rows.length);
    assert.deepEqual(got.slice(1), t.rows);
    assert.ok(got.some((r) => r[1]!.includes('\n')) && got.some((r) => r[1] === 'padded'));

    const tsv = path.join(tmp, 't.tsv');
    fs.writeFileSync(tsv, 'a\tb\n1\t2\n3\t4\n');
    assert.deepEqual(await records(tsv, '\t'), [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);

    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    await assert.rejects(
      records(bad),
      (e: Error) => e instanceof HourglassError && /line 3 has 3 cells, the first row 2/.test(e.message),
    );
    const open = path.join(tmp, 'open.csv');
    fs.writeFileSync(open, 'a,b\n1,"never closed\n2,3\n');
    await assert.rejects(records(open), /a quoted cell opened near line \d+ never closes/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
