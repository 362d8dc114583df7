// trainOnSeriesFile (a sequence model trained from a series file in passes, at bounded memory)
// against the in-memory trainOnSeries and the in-memory pieces it must reproduce:
// - windows that fit the shuffle buffer: the weights, the scaling (standard and minmax) and the
//   training error quantiles of trainOnSeries on the same file, for stride 1 and a stride that
//   leaves a last window, one and two features, columns chosen and given;
// - more windows than the buffer (the streamed training set through fitDataset): the weights of
//   an in-memory fit on slidingWindows' windows put in the order the seeded buffer draws
//   (replayed on window ids), and quantiles of the in-memory errors by anomaly.ts quantile();
// - a longer sine series through a small buffer: the model's detect flags an injected spike;
// - the error sample above its capacity: exact minimum and maximum, sampled quantiles close;
// - the in-memory messages for a constant column and a one-step series.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../../src/index.js';
import { quantile } from '../../src/apps/anomaly.js';
import { trainOnSeriesFile, type SeriesFilePhase } from '../../src/apps/series_file_train.js';
import { detectInSeries, makeSeriesAutoencoder, trainOnSeries } from '../../src/apps/series_model.js';
import { Dataset } from '../../src/data/dataset.js';
import { Random } from '../../src/engine/random.js';
import { ErrorSample, errorQuantiles } from '../../src/series/error_quantiles.js';
import { readSeries } from '../../src/series/read_series.js';
import { fitSeriesScaling, scaleSeries } from '../../src/series/scaling.js';
import { windowErrors } from '../../src/series/window_errors.js';
import { slidingWindows } from '../../src/series/windows.js';
import { windowCount } from '../../src/series/window_stream.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-series-file-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SMALL = { filters: [8, 4], kernelSize: 5 };

/** n steps every 5 minutes: a daily-looking wave with noise, a second column and a text column. */
function seriesText(n: number, seed: number, spikeAt = -1): string {
  const random = new Random(seed);
  const lines = ['timestamp,load,note,temp'];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const time = new Date(start + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
    let load = Math.sin((2 * Math.PI * i) / 48) + 0.1 * random.normal();
    if (spikeAt >= 0 && i >= spikeAt && i < spikeAt + 6) load += 4;
    const temp = 20 + 3 * Math.cos((2 * Math.PI * i) / 96) + 0.2 * random.normal();
    lines.push(`${time},${load.toFixed(4)},n${i % 3},${temp.toFixed(3)}`);
  }
  return lines.join('\n') + '\n';
}

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  a.forEach((w, i) => {
    assert.equal(w.length, b[i]!.length);
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j]! - b[i]![j]!));
  });
  return worst;
}

test('windows within the shuffle buffer: the weights, scaling and quantiles of trainOnSeries', async () => {
  const text = seriesText(260, 3);
  const file = write('small.csv', text);
  const cases = [
    { stride: 1, valueColumns: ['load'], scaling: 'standard' as const },
    // (260 - 20) / 7 leaves a remainder: one more window ends at the last step.
    { stride: 7, valueColumns: undefined, scaling: 'standard' as const },
    { stride: 2, valueColumns: ['temp', 'load'], scaling: 'minmax' as const },
  ];
  for (const c of cases) {
    const what = JSON.stringify(c);
    const o = { window: 20, stride: c.stride, epochs: 2, batchSize: 32, seed: 7, scaling: c.scaling, ...SMALL };
    const streamed = await trainOnSeriesFile(file, {
      ...o,
      ...(c.valueColumns ? { valueColumns: c.valueColumns } : {}),
    });
    const series = readSeries(text, { file, ...(c.valueColumns ? { valueColumns: c.valueColumns } : {}) });
    const inMemory = await trainOnSeries(series, o);
    assert.ok(streamed.plan.inMemory, what);
    assert.deepEqual(streamed.columns, c.valueColumns ?? ['load', 'temp'], what);
    assert.equal(streamed.windows, inMemory.windows, what);
    assert.equal(streamed.windows, windowCount(260, 20, c.stride), what);
    if (c.stride === 7) assert.equal(streamed.windows, Math.floor(240 / 7) + 2, 'the extra last window');
    assert.deepEqual(streamed.record.scaling, inMemory.record.scaling, what);
    assert.deepEqual(streamed.record.scaling, fitSeriesScaling(series, c.scaling), what);
    const diff = maxDifference(streamed.ae.model.getWeights(), inMemory.ae.model.getWeights());
    assert.ok(diff <= 1e-6, `${what}: weights differ by ${diff}`);
    assert.deepEqual(streamed.history.history['loss'], inMemory.history.history['loss'], what);
    assert.deepEqual(streamed.record, inMemory.record, what);
    assert.equal(streamed.record.training.sampled, undefined);
    assert.equal(streamed.history.history['loss']!.length, 2, what);
    streamed.ae.dispose();
    inMemory.ae.dispose();
  }
});

test('more windows than the buffer: streamed batches in the buffer order train to the in-memory fit', async () => {
  const text = seriesText(330, 5);
  const file = write('buffered.csv', text);
  for (const { stride, valueColumns } of [
    { stride: 1, valueColumns: ['load'] },
    { stride: 2, valueColumns: ['load', 'temp'] },
  ]) {
    const what = `stride ${stride}, ${valueColumns.join('+')}`;
    const o = { window: 16, stride, batchSize: 24, seed: 11, learningRate: 0.002, ...SMALL };
    const phases = new Set<SeriesFilePhase>();
    const streamed = await trainOnSeriesFile(file, {
      ...o,
      valueColumns,
      epochs: 2,
      shuffleBuffer: 40,
      onProgress: (phase) => phases.add(phase),
    });
    assert.equal(streamed.plan.inMemory, false, what);
    assert.deepEqual([...phases], ['layout', 'sums', 'deviations', 'training 1', 'training 2', 'scoring'], what);

    // The in-memory reference: readSeries, fitSeriesScaling, slidingWindows.
    const series = readSeries(text, { file, valueColumns });
    const scaling = fitSeriesScaling(series);
    assert.deepEqual(streamed.record.scaling, scaling, what);
    const w = slidingWindows(scaleSeries(scaling, series), { window: 16, stride });
    assert.equal(streamed.windows, w.count, what);
    const size = 16 * series.features;
    // The orders the buffer draws, replayed on window ids (the draws depend only on the count).
    const ids = Dataset.fromGenerator(() => [Float32Array.from({ length: w.count }, (_, i) => i)]).shuffleBlockBatches(
      1,
      40,
      24,
      11,
    );
    const reference = makeSeriesAutoencoder(o, series.features);
    for (let epoch = 0; epoch < 2; epoch++) {
      const order = (await ids.toArray()).flatMap((b) => Array.from(b.data));
      assert.equal(order.length, w.count);
      assert.notDeepEqual(
        order.slice(0, 10),
        Array.from({ length: 10 }, (_, i) => i),
        'the buffer shuffles',
      );
      const permuted = new Float32Array(w.count * size);
      order.forEach((id, i) => permuted.set(w.data.subarray(id * size, (id + 1) * size), i * size));
      const x = { data: permuted, shape: [w.count, 16, series.features] };
      // The first fit builds and compiles as the streamed run does; the second goes on with it.
      const first = { seed: 11, learningRate: 0.002, loss: 'mse' as const };
      await reference.fit(x, { epochs: 1, batchSize: 24, shuffle: false, verbose: false, ...(epoch ? {} : first) });
    }
    const diff = maxDifference(streamed.ae.model.getWeights(), reference.model.getWeights());
    assert.ok(diff <= 1e-6, `${what}: weights differ by ${diff}`);
    // The scoring pass: quantiles of every window's mean absolute error, by anomaly.ts quantile().
    const errors = windowErrors(w, streamed.ae.reconstruct(w).data, { metric: 'mae' });
    const q = streamed.record.training.quantiles;
    assert.equal(q.length, 1001);
    for (const i of [0, 1, 250, 500, 900, 999, 1000]) {
      const want = quantile(errors, i / 1000);
      assert.ok(Math.abs(q[i]! - want) <= 1e-6 * Math.max(1, want), `${what}: quantile ${i}: ${q[i]} vs ${want}`);
    }
    streamed.ae.dispose();
    reference.dispose();
  }
});

test('a series longer than the shuffle buffer trains, and its model flags an injected spike', async () => {
  const file = write('long.csv', seriesText(3000, 9));
  const t = await trainOnSeriesFile(file, {
    window: 24,
    valueColumns: ['load'],
    epochs: 4,
    batchSize: 64,
    shuffleBuffer: 300,
    seed: 1,
    ...SMALL,
  });
  assert.equal(t.plan.inMemory, false);
  assert.equal(t.windows, 3000 - 24 + 1);
  assert.equal(t.record.training.windows, t.windows);
  const q = t.record.training.quantiles;
  assert.ok(
    q.every((v, i) => Number.isFinite(v) && (i === 0 || v >= q[i - 1]!)),
    'quantiles increase',
  );
  const loss = t.history.history['loss']!;
  assert.ok(loss.at(-1)! < loss[0]!, `the loss falls: ${loss.join(', ')}`);
  // Against rebuilding every window as zeros (the scaled series' mean): the median window error
  // is well under that baseline's.
  const series = readSeries(fs.readFileSync(file, 'utf8'), { file, valueColumns: ['load'] });
  const w = slidingWindows(scaleSeries(t.record.scaling, series), { window: 24 });
  const zeros = windowErrors(w, new Float32Array(w.data.length), { metric: 'mae' });
  assert.ok(q[500]! < 0.5 * quantile(zeros, 0.5), `median window error ${q[500]} vs ${quantile(zeros, 0.5)}`);

  const spiked = readSeries(seriesText(1200, 10, 600), { file: 'spiked.csv', valueColumns: ['load'] });
  const d = detectInSeries(t.ae, spiked);
  const flagged = Array.from(d.flagged.keys()).filter((i) => d.flagged[i]);
  assert.ok(flagged.length > 0, 'the spike is flagged');
  assert.ok(
    flagged.every((i) => i >= 600 - 24 && i < 606 + 24),
    `flags only near the spike: ${flagged.slice(0, 20).join(',')}`,
  );
  assert.ok(flagged.some((i) => i >= 600 && i < 606));
  t.ae.dispose();
});

test('the error sample: exact until its capacity, then a sample with the exact extremes', () => {
  const random = new Random(4);
  const values = Float64Array.from({ length: 5000 }, () => random.uniform());
  const whole = new ErrorSample(10_000);
  whole.add(values.subarray(0, 2000));
  whole.add(values.subarray(2000));
  assert.ok(whole.exact);
  const want = Array.from({ length: 1001 }, (_, i) => quantile(values, i / 1000));
  assert.deepEqual(whole.quantiles(), want);
  assert.deepEqual(errorQuantiles(values), want);
  const sampled = new ErrorSample(500, 3);
  sampled.add(values);
  assert.equal(sampled.exact, false);
  assert.equal(sampled.count, 5000);
  const q = sampled.quantiles();
  assert.equal(q[0], Math.min(...values));
  assert.equal(q[1000], Math.max(...values));
  for (const i of [100, 500, 900]) assert.ok(Math.abs(q[i]! - want[i]!) < 0.08, `quantile ${i}: ${q[i]} vs ${want[i]}`);
});

test('a constant column and a one-step series fail with the in-memory messages', async () => {
  const constant = ['timestamp,a,b', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 5},3`)].join('\n') + '\n';
  const one = 'timestamp,a\n0,1\n';
  for (const text of [constant, one]) {
    const file = write('bad.csv', text);
    let message = '';
    try {
      await trainOnSeries(readSeries(text, { file }), { window: 1 });
    } catch (e) {
      message = (e as Error).message;
    }
    assert.match(message, /constant|scaling needs at least two/);
    await assert.rejects(trainOnSeriesFile(file, { window: 1 }), (e: Error) => e.message === message);
  }
  await assert.rejects(
    trainOnSeriesFile(write('short.csv', seriesText(10, 1)), { window: 24 }),
    /has 10 steps, fewer than the window of 24/,
  );
});
