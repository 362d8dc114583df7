// train --kind sequence --stream (and a series above the streaming size): the plan line, the
// in-memory run's --json fields plus streamed: true, and a series whose windows fit the shuffle
// buffer trains to the in-memory model itself (same weights, same record), so detect, encode
// and denoise on the two models write the same bytes; the epochs rule (the step budget, at most
// Keras's 50); --validation-split and --report refused in one line; the gap rules honoured (a
// gap refused by default with the in-memory message; filled, the same scaling as in memory); a
// file going back in time and a file that cannot stream give one-line errors and no model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadAutoencoder } from '../../src/index.js';
import { seriesRecordOf } from '../../src/apps/series_model.js';
import { seriesPlanLine } from '../../src/cli/stream_series_train.js';
import type { SeriesTrainFlags } from '../../src/cli/series_commands.js';
import { cliFolder, lastJson } from '../helpers/cli_folder.js';
import { stepTime, wave } from '../helpers/series_steps.js';

const { at, hourglass, ok, same } = cliFolder('stream-series-train');
const refused = (args: string[], message: RegExp) => {
  const r = hourglass(args);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  return r;
};

/** Steps every 5 minutes, two value columns and a text column; optionally gaps, a hole and a spike. */
function writeSeries(file: string, n: number, o: { gaps?: boolean; spike?: boolean } = {}) {
  const lines = ['timestamp,load,note,temp'];
  for (let i = 0; i < n; i++) {
    if (o.gaps && i > 100 && i < 106) continue;
    let load = wave(i).toFixed(4);
    if (o.spike && i >= 250 && i < 258) load = '5';
    if (o.gaps && i === 40) load = '';
    lines.push(`${stepTime(i)},${load},n${i % 3},${(20 + 3 * Math.cos((2 * Math.PI * i) / 96)).toFixed(3)}`);
  }
  fs.writeFileSync(at(file), lines.join('\n') + '\n');
}
writeSeries('train.csv', 400);
writeSeries('test.csv', 500, { spike: true });
writeSeries('gappy.csv', 400, { gaps: true });

const common = ['--kind', 'sequence', '--window', '24', '--epochs', '2', '--batch', '64', '--json'];

test('--stream trains the in-memory model on a series that fits the buffer: same weights, same outputs', () => {
  const m = lastJson(ok(['train', 'train.csv', ...common, '--out', 'mem']).stdout);
  const s = lastJson(ok(['train', 'train.csv', ...common, '--stream', '--out', 'str']).stdout);
  assert.equal(s['streamed'], true);
  assert.equal(m['streamed'], undefined);
  for (const k of Object.keys(m)) if (!['out', 'seconds'].includes(k)) assert.ok(k in s, `--json field ${k}`);
  for (const k of ['steps', 'columns', 'windows', 'window', 'stride', 'loss', 'trainingMaximum', 'history', 'epochs'])
    assert.deepEqual(s[k], m[k], k);
  assert.equal(s['steps'], 400);
  assert.equal(s['windows'], 377);
  assert.equal(s['batchSize'], 64);
  assert.match(
    String(s['plan']),
    /^streamed from disk \(400 steps, 377 windows of 24, stride 1\): every window trains/,
  );
  const a = loadAutoencoder(at('mem')),
    b = loadAutoencoder(at('str'));
  assert.deepEqual(seriesRecordOf(b), seriesRecordOf(a));
  b.model.getWeights().forEach((w, i) => assert.deepEqual(w, a.model.getWeights()[i], `weight ${i}`));
  for (const [command, out] of [
    ['detect', 'csv'],
    ['encode', 'npy'],
    ['denoise', 'csv'],
  ] as const) {
    ok([command, 'mem', 'test.csv', '--out', `m-${command}.${out}`, '--json']);
    ok([command, 'str', 'test.csv', '--out', `s-${command}.${out}`, '--json']);
    same(`m-${command}.${out}`, `s-${command}.${out}`, command);
  }
  const d = lastJson(ok(['detect', 'str', 'test.csv', '--out', 'd.csv', '--json', '--overwrite']).stdout);
  assert.ok((d['flagged'] as number) > 0, 'the spike flagged');
});

test('a series above the size streams by itself and prints its plan; the epochs rule', () => {
  const r = ok(['train', 'train.csv', '--kind', 'sequence', '--window', '24', '--epochs', '1', '--out', 'auto'], {
    HOURGLASS_STREAM_ABOVE_MB: '0',
  });
  const lines = r.stdout.trim().split('\n');
  assert.match(
    lines[0]!,
    /^streamed from disk \(400 steps, 377 windows of 24, stride 1\): every window trains, none held out, so no early stopping, batch 128 \(Keras's example\), 1 epochs \(--epochs, 3 steps\), lr 0\.001 \(Adam's usual\), the windows fit the shuffle buffer of 10,000/,
  );
  assert.match(
    lines[1]!,
    /^trained a conv1d sequence autoencoder on train\.csv \(400 steps of load, temp; 377 windows of 24, streamed\)/,
  );
  assert.match(lines.at(-1)!, /^saved to auto$/);
  // Left out, the epochs reach the step budget (1,500 steps, at least 10 epochs), at most 50.
  const flags = { window: 24, stride: 1 } as SeriesTrainFlags;
  const plan = { steps: 0, epochsFrom: 'budget', learningRate: 0.001, inMemory: false, shuffleBuffer: 10_000 } as const;
  const line = (windows: number, epochs: number) => seriesPlanLine({ ...plan, windows, epochs, batchSize: 128 }, flags);
  assert.match(line(100_000, 10), /10 epochs \(7,820 steps: at least 1,500 steps and 10 epochs, at most Keras's 50\)/);
  assert.match(line(100_000, 10), /shuffle buffer of 10,000 windows, read again each epoch/);
});

test('the epochs left out: the step budget, at most 50', async () => {
  const { seriesFileEpochs } = await import('../../src/apps/series_file_train.js');
  assert.equal(seriesFileEpochs(377, 128), 50);
  assert.equal(seriesFileEpochs(10_000, 128), 20);
  assert.equal(seriesFileEpochs(1_000_000, 128), 10);
});

test('--validation-split and --report are refused with a streamed series, in one line', () => {
  refused(
    ['train', 'train.csv', ...common, '--stream', '--validation-split', '0.2', '--out', 'v'],
    /^error: --stream: a streamed run trains on every window; drop --validation-split/,
  );
  refused(
    ['train', 'train.csv', ...common, '--stream', '--report', 'r.html', '--out', 'v'],
    /^error: --stream: --report on a sequence model plots the whole series, read into memory; train without --report/,
  );
  assert.ok(!fs.existsSync(at('v')));
});

test('gap rules: refused by default as in memory; filled, the in-memory scaling', () => {
  const m = hourglass(['train', 'gappy.csv', ...common, '--missing', 'interpolate', '--out', 'g1']);
  const s = refused(
    ['train', 'gappy.csv', ...common, '--missing', 'interpolate', '--stream', '--out', 'g1'],
    /^error: gappy\.csv: rows/,
  );
  assert.equal(s.stderr, m.stderr);
  const rules = ['--missing', 'interpolate', '--gaps', 'interpolate'];
  ok(['train', 'gappy.csv', ...common, ...rules, '--out', 'gm']);
  const j = lastJson(ok(['train', 'gappy.csv', ...common, ...rules, '--stream', '--out', 'gs']).stdout);
  assert.equal(j['steps'], 400, 'the 5 left out filled back');
  const sm = seriesRecordOf(loadAutoencoder(at('gm')))!,
    ss = seriesRecordOf(loadAutoencoder(at('gs')))!;
  assert.deepEqual(ss.scaling, sm.scaling);
  assert.deepEqual(ss.training, sm.training);
});

test('bad files: one line naming the problem, exit 1, no model folder', () => {
  const lines = fs.readFileSync(at('train.csv'), 'utf8').trim().split('\n');
  [lines[200], lines[201]] = [lines[201]!, lines[200]!];
  fs.writeFileSync(at('backwards.csv'), lines.join('\n') + '\n');
  refused(
    ['train', 'backwards.csv', ...common, '--stream', '--out', 'bad'],
    /^error: backwards\.csv: timestamps go backwards: row 202 .* sort the file by time/,
  );
  fs.writeFileSync(at('series.json'), '[]');
  refused(
    ['train', 'series.json', ...common, '--stream', '--out', 'bad'],
    /^error: --stream: series\.json: a series streams from a \.csv or \.tsv file/,
  );
  refused(['train', 'nope.csv', ...common, '--stream', '--out', 'bad'], /^error: --stream: nope\.csv is not a file/);
  // A stray word in a value column (nine numbers and one word: a typo, not a text column).
  const cells = Array.from({ length: 10 }, (_, i) => `${i},${i === 5 ? 'x' : i % 4}`);
  fs.writeFileSync(at('words.csv'), ['timestamp,load', ...cells].join('\n') + '\n');
  const w = refused(
    ['train', 'words.csv', ...common, '--stream', '--out', 'bad'],
    /^error: words\.csv: row 7, column 'load' is 'x', not a number/,
  );
  assert.equal(w.stderr, hourglass(['train', 'words.csv', ...common, '--out', 'bad']).stderr);
  assert.ok(!fs.existsSync(at('bad')));
});
