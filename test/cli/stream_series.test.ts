// detect and encode --stream on a sequence model: the series is read in one pass (a first pass
// for the usual step), so on an in-order file the outputs are the same bytes as the in-memory
// commands write: scores CSV, intervals CSV and JSON report (saved threshold, --quantile,
// --contamination with both flag rules), codes (.npy and .csv, a stride that leaves a last
// window), across gap filling (interpolate and previous), missing cells, merged duplicate
// timestamps and more windows than one streamed batch (1,024). A row that goes back in time is
// refused in one line naming it, and leaves no output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cliFolder, lastJson } from '../helpers/cli_folder.js';
import { stepTime, wave } from '../helpers/series_steps.js';

const { tmp, at, hourglass, ok, same } = cliFolder('stream-series');

/** Steps 0..n-1 every 5 minutes, two value columns and a text column the model ignores. */
function writeSeries(file: string, n: number, o: { gaps?: boolean; spike?: boolean } = {}) {
  const lines = ['timestamp,load,note,temp'];
  for (let i = 0; i < n; i++) {
    // Gaps: an hour missing (11 steps) and 25 minutes missing (4 steps).
    if (o.gaps && ((i > 300 && i < 312) || (i > 900 && i < 905))) continue;
    let load = wave(i).toFixed(4);
    const temp = (20 + 3 * Math.cos((2 * Math.PI * i) / 96)).toFixed(3);
    if (o.spike && i >= 700 && i < 712) load = '5';
    // Missing cells: alone, and a run of three in one column.
    if (o.gaps && (i === 50 || (i >= 640 && i < 643))) load = i === 50 ? '' : 'NA';
    lines.push(`${stepTime(i)},${load},n${i % 3},${temp}`);
    // A timestamp written twice (a sensor logging one instant again).
    if (o.gaps && i === 1200) lines.push(`${stepTime(i)},${(wave(i) + 0.2).toFixed(4)},dup,${temp}`);
  }
  fs.writeFileSync(at(file), lines.join('\n') + '\n');
}
writeSeries('train.csv', 400);
writeSeries('test.csv', 1400, { gaps: true, spike: true });
const repairs = ['--gaps', 'interpolate', '--missing', 'interpolate', '--duplicates', 'mean'];

ok([
  ...['train', 'train.csv', '--kind', 'sequence', '--window', '24', '--columns', 'load,temp'],
  ...['--epochs', '2', '--batch', '64', '--out', 'seq'],
]);

test('detect --stream on a sequence model writes the in-memory scores, intervals and report', () => {
  const runs: string[][] = [
    repairs,
    ['--gaps', 'previous', '--missing', 'previous', '--duplicates', 'last', '--quantile', '0.5'],
    [...repairs, '--contamination', '0.05'],
    [...repairs, '--contamination', '0.05', '--flag-rule', 'mean'],
  ];
  for (const flags of runs) {
    const what = flags.join(' ');
    const common = ['detect', 'seq', 'test.csv', ...flags, '--overwrite', '--json'];
    const m = lastJson(ok([...common, '--out', 'm.csv', '--intervals', 'mi.csv']).stdout);
    const s = lastJson(ok([...common, '--stream', '--out', 's.csv', '--intervals', 'si.csv']).stdout);
    same('m.csv', 's.csv', what);
    same('mi.csv', 'si.csv', what);
    assert.equal(s['streamed'], true);
    for (const k of ['steps', 'flagged', 'threshold', 'intervals', 'rule', 'flagRule'])
      assert.deepEqual(s[k], m[k], `${what}: ${k}`);
    // 1,400 steps less the 15 left out, plus the 15 inserted back; the duplicate merged.
    assert.equal(m['steps'], 1400);
    assert.ok((m['flagged'] as number) > 0, `${what}: the spike flagged`);
    if (flags === repairs) fs.copyFileSync(at('m.csv'), at('m0.csv'));
  }
  // Without --stream, above the size (here 0 MB): the streamed path.
  const auto = ok(['detect', 'seq', 'test.csv', ...repairs, '--out', 'a.csv', '--json'], {
    HOURGLASS_STREAM_ABOVE_MB: '0',
  });
  assert.equal(lastJson(auto.stdout)['streamed'], true);
  same('m0.csv', 'a.csv', 'automatic streaming');
});

test('encode --stream on a sequence model writes the in-memory codes', () => {
  for (const [out, stride] of [
    ['npy', '5'],
    ['csv', '1'],
  ] as const) {
    const common = ['encode', 'seq', 'test.csv', ...repairs, '--stride', stride, '--overwrite', '--json'];
    const m = lastJson(ok([...common, '--out', `m.${out}`]).stdout);
    const s = lastJson(ok([...common, '--stream', '--out', `s.${out}`]).stdout);
    same(`m.${out}`, `s.${out}`, `stride ${stride}`);
    assert.equal(s['rows'], m['rows']);
    assert.equal(s['dims'], m['dims']);
    // Every 5th window start and one more ending at the last step: (1400 - 24) / 5 rounded up + 1.
    assert.equal(m['rows'], stride === '5' ? Math.floor((1400 - 24) / 5) + 2 : 1400 - 24 + 1);
  }
});

test('detect --stream refuses a file that goes back in time, naming the row, and leaves no output', () => {
  const lines = fs.readFileSync(at('train.csv'), 'utf8').trim().split('\n');
  [lines[200], lines[201]] = [lines[201]!, lines[200]!];
  fs.writeFileSync(at('shuffled.csv'), lines.join('\n') + '\n');
  const r = hourglass(['detect', 'seq', 'shuffled.csv', '--stream', '--out', 'bad.csv']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: shuffled\.csv: timestamps go backwards: row 202 \('[^']+'\) comes after row 201/);
  assert.match(r.stderr, /sort the file by time/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.startsWith('bad.csv')),
    [],
  );
  // Gaps with the default rule: the in-memory message, before any output.
  const rules = ['--missing', 'interpolate', '--duplicates', 'mean'];
  const g = hourglass(['detect', 'seq', 'test.csv', ...rules, '--stream', '--out', 'bad.csv']);
  const gm = hourglass(['detect', 'seq', 'test.csv', ...rules, '--out', 'bad.csv']);
  assert.equal(g.code, 1);
  assert.match(
    g.stderr,
    /^error: test\.csv: rows 302 and 303 \('2024-01-02 01:00:00', '2024-01-02 02:00:00'\) are 1 hour apart/,
  );
  assert.equal(g.stderr, gm.stderr);
  assert.deepEqual(
    fs.readdirSync(tmp).filter((f) => f.startsWith('bad.csv')),
    [],
  );
});
