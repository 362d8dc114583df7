// Keras's "Timeseries anomaly detection using an Autoencoder" (keras-io examples/timeseries/
// timeseries_anomaly_detection.py), step by step: train a Conv1D autoencoder on NAB's
// art_daily_small_noise (no anomaly), then find the jump in art_daily_jumpsup.
//   - standard scaling fitted on the training series (pandas' n - 1 deviation) and applied to both
//   - windows of 288 steps (one day of 5-minute values), stride 1
//   - conv1d 32 k7 s2 relu, dropout 0.2, conv1d 16 k7 s2 relu, conv1dTranspose 16, dropout 0.2,
//     conv1dTranspose 32, conv1dTranspose 1 k7 (autoencoders.sequence's default layout)
//   - Adam 0.001, MSE, 50 epochs of batches of 128, 10% held out, early stopping (patience 5)
//   - the threshold is the largest mean absolute error of a training window; a test step is
//     anomalous when every window covering it is above it
// Writes timeseries.png: the test series with the flagged steps in red and NAB's labelled anomaly
// window shaded. A few minutes on two cores. Run: npm run example:timeseries

import {
  autoencoders,
  detectSeriesAnomalies,
  EarlyStopping,
  fitSeriesScaling,
  loadNabSeries,
  scaleSeries,
  slidingWindows,
  windowErrors,
  writeSeriesPlot,
} from 'hourglass-ae';

const TIME_STEPS = 288;
const train = loadNabSeries('art_daily_small_noise').series;
const test = loadNabSeries('art_daily_jumpsup');

const scaling = fitSeriesScaling(train, 'standard');
const xTrain = slidingWindows(scaleSeries(scaling, train), { window: TIME_STEPS });
console.log(`training windows: [${xTrain.shape.join(', ')}]`);

const ae = autoencoders.sequence({ window: TIME_STEPS, features: 1, arch: 'conv1d' });
const history = await ae.fit(xTrain, {
  epochs: 50,
  batchSize: 128,
  learningRate: 0.001,
  loss: 'mse',
  validationSplit: 0.1,
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, mode: 'min' })],
});
const epochs = history.history['loss']!.length;
console.log(`trained ${epochs} epochs, final validation loss ${history.history['val_loss']!.at(-1)!.toFixed(5)}`);

const trainMae = windowErrors(xTrain, ae.reconstruct(xTrain).data, { metric: 'mae' });
const xTest = slidingWindows(scaleSeries(scaling, test.series), { window: TIME_STEPS });
const testMae = windowErrors(xTest, ae.reconstruct(xTest).data, { metric: 'mae' });
const d = detectSeriesAnomalies(test.series, xTest, testMae, {
  threshold: { trainingMaximum: trainMae },
  flagRule: 'all-windows',
});
const anomalousWindows = testMae.filter((e) => e > d.threshold).length;
console.log(`reconstruction error threshold (largest training MAE): ${d.threshold.toFixed(4)}`);
console.log(`anomalous windows: ${anomalousWindows} of ${xTest.count}`);
const flagged = d.flagged.reduce((a, b) => a + b, 0);
const inside = d.flagged.reduce((a, f, i) => a + (f && test.labels[i] ? 1 : 0), 0);
console.log(
  `anomalous steps: ${flagged}, ${inside} of them inside NAB's labelled window ${test.windows[0]!.join(' .. ')}`,
);
for (const v of d.intervals) console.log(`  ${v.startTime} .. ${v.endTime} (${v.steps} steps), peak at ${v.peakTime}`);

writeSeriesPlot('timeseries.png', test.series.values, d.flagged, { labels: test.labels });
console.log('wrote timeseries.png: art_daily_jumpsup, flagged steps in red, the labelled window shaded');
